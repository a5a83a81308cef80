"""Detection on tables shaped like published ones: codes, identifiers by content, roles."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from core.schema import detect_schema
from tests.published import (
    CENSUS_EXPECTED,
    RECORDS_EXPECTED,
    RECORDS_IDENTIFIERS,
    census_frame,
    records_frame,
)


def _reason(schema, column: str) -> str:
    return next(c.reason for c in schema.columns if c.name == column)


@pytest.fixture(scope="module")
def records_schema():
    return detect_schema(records_frame())


@pytest.fixture(scope="module")
def census_schema():
    raw = census_frame()
    # The loader turns the 'N' markers into missing values; here we do it by hand.
    df = raw.apply(pd.to_numeric, errors="coerce").assign(PUMA=raw["PUMA"])
    return detect_schema(df)


def test_records_identifiers_are_found_with_their_reasons(records_schema):
    # Assert
    assert set(records_schema.identifiers) == set(RECORDS_IDENTIFIERS)
    assert _reason(records_schema, "id") == "the name looks like a direct identifier"
    for col in ("first", "last", "nm"):
        assert _reason(records_schema, col).endswith("of the values read as person names"), col
    assert _reason(records_schema, "c_case_number") == (
        "text where nearly every non-empty value is distinct (1,500 distinct of 1,500 non-empty "
        "values)"
    )


def test_sparse_case_numbers_count_only_their_non_empty_values(records_schema):
    # r_case_number is blank for most rows, vr_case_number for ~90 %
    for col in ("r_case_number", "vr_case_number"):
        assert records_schema.sdtype(col) == "identifier"
        assert _reason(records_schema, col).startswith(
            "text where nearly every non-empty value is distinct"
        )


def test_records_codes_are_categorical_and_target_is_the_outcome(records_schema):
    for col in RECORDS_EXPECTED["categorical"]:
        assert records_schema.sdtype(col) == "categorical", col
    assert _reason(records_schema, "decile_score") == (
        "whole numbers with 10 distinct values (1–10): codes, not amounts"
    )
    assert records_schema.sdtype("two_year_recid") == "categorical"
    assert records_schema.target == RECORDS_EXPECTED["target"]
    # counts stay numbers: their name says so
    assert records_schema.sdtype("priors_count") == "numerical"
    assert records_schema.sdtype("age") == "numerical"


def test_records_free_text_is_not_an_identifier(records_schema):
    assert records_schema.sdtype("c_charge_desc") == "categorical"


def test_records_quasi_identifiers_include_age_and_date_of_birth(records_schema):
    assert {"age", "dob", "sex", "race"} <= set(records_schema.quasi_identifiers)


def test_census_codes_are_categorical_and_measures_numerical(census_schema):
    for col in CENSUS_EXPECTED["categorical"]:
        assert census_schema.sdtype(col) == "categorical", col
    for col in CENSUS_EXPECTED["numerical"]:
        assert census_schema.sdtype(col) == "numerical", col
    assert _reason(census_schema, "SEX") == (
        "whole numbers with 2 distinct values (1/2): codes, not amounts"
    )
    assert _reason(census_schema, "RAC1P") == (
        "whole numbers with 9 distinct values (1–9): codes, not amounts"
    )
    assert census_schema.identifiers == ()


def test_census_has_no_obvious_target_and_suggests_age_and_geography(census_schema):
    assert census_schema.target is None
    assert {"AGEP", "PUMA", "SEX", "RAC1P"} <= set(census_schema.quasi_identifiers)


def test_ages_and_geography_found_by_content_under_plain_names():
    # Setup: names that say nothing
    rng = np.random.default_rng(1)
    n = 400
    df = pd.DataFrame({
        "v1": rng.integers(18, 90, n),
        "v2": rng.choice(["02139", "10001", "94103", "60614", "73301"], n),
        "v3": rng.choice([40, 40, 40, 38, 45, 50, 20, 60, 35, 25, 30, 55, 42, 44, 48, 36, 32,
                          28, 24, 52, 65], n),
        "v4": (pd.Timestamp("1940-01-01")
               + pd.to_timedelta(rng.integers(0, 20000, n), unit="D")).strftime("%Y-%m-%d"),
        "y": rng.choice(["a", "b"], n),
    })
    # Run
    schema = detect_schema(df)
    # Assert: hours-per-week-like v3 has a spike at 40, so it is not taken for an age
    assert {"v1", "v2", "v4"} <= set(schema.quasi_identifiers)
    assert "v3" not in schema.quasi_identifiers


def test_patterns_are_identifiers_with_their_reasons():
    # Setup
    n = 60
    i = np.arange(n)
    df = pd.DataFrame({
        "contact": [f"user{k}@mail.example.com" for k in i],
        "site": [f"https://example.org/u/{k}" for k in i],
        "host": [f"10.0.{k // 250}.{k % 250}" for k in i],
        "natl": [f"{100 + k:03d}-{k % 90 + 10:02d}-{1000 + k:04d}" for k in i],
        "tel": [f"+1 (555) {100 + k:03d}-{2000 + k:04d}" for k in i],
        "ref": [f"AB{k % 7}{1000 + k}X" for k in i],
        "group": ["x", "y", "z"] * (n // 3),
    })
    # Run
    schema = detect_schema(df)
    # Assert
    assert _reason(schema, "contact") == "the values look like email addresses"
    assert _reason(schema, "site") == "the values look like web addresses (URLs)"
    assert _reason(schema, "host") == "the values look like IP addresses"
    assert _reason(schema, "natl") == "the values look like national-id-like numbers (ddd-dd-dddd)"
    assert _reason(schema, "tel") == "the values look like phone numbers"
    assert schema.sdtype("ref") == "identifier"
    assert schema.sdtype("group") == "categorical"


def test_patterned_codes_that_repeat_are_identifiers_by_shape():
    # Setup: case numbers shared by two rows each, so not "nearly unique"
    codes = [f"{13000000 + k}CF{10 + k % 80}A" for k in range(100)]
    df = pd.DataFrame({"case": codes * 2, "g": ["a", "b"] * 100})
    # Run
    schema = detect_schema(df)
    # Assert
    assert _reason(schema, "case") == (
        "codes of letters and digits in one shape (99999999AA99A) with 100 distinct values"
    )


def test_unique_floats_are_measurements_and_integer_sequences_ids():
    # Setup
    rng = np.random.default_rng(0)
    n = 300
    df = pd.DataFrame({
        "reading": rng.normal(50, 10, n).round(3),
        "weight_like": rng.choice(np.arange(10_000, 2_000_000), n, replace=False),
        "seq": np.arange(5000, 5000 + n),
        "g": rng.choice(["a", "b"], n),
    })
    # Run
    schema = detect_schema(df)
    # Assert
    assert schema.sdtype("reading") == "numerical"
    assert schema.sdtype("weight_like") == "numerical"  # unique but spread thin: like fnlwgt
    assert schema.sdtype("seq") == "identifier"
    assert _reason(schema, "seq") == (
        "an integer sequence where nearly every value is distinct (300 distinct of 300 non-empty "
        "values)"
    )


def test_small_samples_are_not_called_unique_or_codes():
    # Setup: 12 rows; a sequence, a 1-5 score seen about twice each
    df = pd.DataFrame({
        "step": range(12),
        "rating": [1, 2, 3, 4, 5, 1, 2, 3, 4, 5, 1, 2],
    })
    # Run
    schema = detect_schema(df)
    # Assert
    assert schema.sdtype("step") == "numerical"
    assert schema.sdtype("rating") == "numerical"


def test_adult_has_no_identifiers_and_keeps_its_types(adult, adult_small):
    for df in (adult, adult_small):
        # Run
        schema = detect_schema(df)
        # Assert: fnlwgt is a weight (99 % distinct in 600 rows) but spread over a wide range
        assert schema.identifiers == ()
        assert schema.sdtype("fnlwgt") == "numerical"
        # education-num stays a number: its name says so (it mirrors the education categories)
        assert schema.sdtype("education-num") == "numerical"
        assert schema.sdtype("capital-loss") == "numerical"
        assert schema.target == "class"
        assert "hours-per-week" not in schema.quasi_identifiers


def test_unique_integers_of_one_width_are_ids_even_if_spread_thin():
    # Setup: account-like numbers, all 8 digits
    rng = np.random.default_rng(3)
    df = pd.DataFrame({"acct": rng.choice(np.arange(10_000_000, 99_999_999), 200, replace=False),
                       "g": rng.choice(["a", "b"], 200)})
    # Run
    schema = detect_schema(df)
    # Assert
    assert _reason(schema, "acct") == (
        "8-digit numbers where nearly every value is distinct (200 distinct of 200 non-empty "
        "values)"
    )


def test_a_small_adult_sample_keeps_fnlwgt_a_number(adult):
    # Setup: in 100 rows every fnlwgt is distinct (SDV then calls it an 'id')
    df = adult.sample(100, random_state=3)
    assert df["fnlwgt"].is_unique
    # Run / Assert
    assert detect_schema(df).sdtype("fnlwgt") == "numerical"
