import pandas as pd
import pytest

from core.errors import UserInputError
from core.schema import ColumnSpec, Schema, check_synthetic_matches, detect_schema
from core.schema.model import MSG_NO_SYNTH_COLUMNS, MSG_SYNTH_MISMATCH, MSG_TARGET_IDENTIFIER


def _people(n: int = 40) -> pd.DataFrame:
    return pd.DataFrame({
        "Full Name": [f"Person {i} Smith" for i in range(n)],
        "email": [f"p{i}@example.org" for i in range(n)],
        "customer_id": range(1000, 1000 + n),
        "age": [20 + i % 50 for i in range(n)],
        "sex": ["F", "M"] * (n // 2),
        "joined": pd.date_range("2020-01-01", periods=n, freq="D").strftime("%Y-%m-%d"),
        "active": ["true", "false"] * (n // 2),
        "city": ["Oslo", "Lima", "Pune", "Kyiv"] * (n // 4),
        "outcome": ["yes", "no", "no", "no"] * (n // 4),
    })


def test_detect_schema_marks_direct_identifiers_sdv_calls_categorical():
    # Setup
    df = _people()
    # Run
    schema = detect_schema(df)
    # Assert: SDV 2.x calls person names categorical; we must catch them
    assert schema.sdtype("Full Name") == "identifier"
    assert schema.sdtype("email") == "identifier"
    assert schema.sdtype("customer_id") == "identifier"
    assert schema.sdtype("age") == "numerical"
    assert schema.sdtype("joined") == "datetime"
    assert next(c for c in schema.columns if c.name == "joined").datetime_format == "%Y-%m-%d"
    assert schema.sdtype("active") == "boolean"
    assert schema.sdtype("city") == "categorical"
    assert "Full Name" not in schema.synth_columns


def test_detect_schema_suggests_roles_from_names():
    schema = detect_schema(_people())
    assert schema.target == "outcome"
    assert set(schema.protected) == {"age", "sex"}
    assert {"age", "sex", "city"} <= set(schema.quasi_identifiers)


def test_unique_free_text_is_an_identifier_but_repeated_codes_are_not():
    df = pd.DataFrame({
        "note": [f"note number {i}" for i in range(30)],
        "code": ["A1", "B2", "C3"] * 10,
        "x": range(30),
    })
    schema = detect_schema(df)
    assert schema.sdtype("note") == "identifier"
    assert schema.sdtype("code") == "categorical"


def test_roles_must_name_existing_columns_and_target_not_identifier():
    # Setup
    schema = detect_schema(_people())
    # Run / Assert
    with pytest.raises(UserInputError) as err:
        schema.with_roles("email", ["nope"], [])
    assert MSG_TARGET_IDENTIFIER.format(column="email") in err.value.problems
    assert any("'nope'" in p for p in err.value.problems)


def test_all_identifier_schema_is_refused():
    schema = Schema((ColumnSpec("a", "identifier"),))
    with pytest.raises(UserInputError) as err:
        schema.validate()
    assert err.value.problems == (MSG_NO_SYNTH_COLUMNS,)


def test_schema_round_trips_through_json_and_editor_frame():
    schema = detect_schema(_people())
    assert Schema.from_json(schema.to_json()) == schema
    frame = schema.to_frame()
    frame.loc[frame["column"] == "city", "type"] = "identifier"
    edited = schema.with_frame(frame)
    assert edited.sdtype("city") == "identifier"
    assert "city" not in edited.quasi_identifiers  # roles drop columns now excluded


def test_sdv_metadata_has_only_synthesised_columns():
    schema = detect_schema(_people())
    meta = schema.to_sdv_metadata().to_dict()["tables"]["t"]["columns"]
    assert set(meta) == set(schema.synth_columns)
    assert meta["joined"] == {"sdtype": "datetime", "datetime_format": "%Y-%m-%d"}


def test_synthetic_file_mismatch_lists_every_problem():
    # Setup
    schema = detect_schema(_people())
    synth = _people().drop(columns=["city"]).assign(extra=1, age="old")
    # Run
    with pytest.raises(UserInputError) as err:
        check_synthetic_matches(schema, synth)
    # Assert
    assert err.value.message == MSG_SYNTH_MISMATCH
    assert err.value.problems == (
        "Column 'city' is in the dataset but not in the synthetic file. Add it.",
        "Column 'extra' is in the synthetic file but not in the dataset. Remove or rename it.",
        "Column 'age' should be numerical but has 40 non-numeric values, e.g. 'old'.",
    )


def test_synthetic_file_may_leave_out_identifiers():
    schema = detect_schema(_people())
    synth = _people().drop(columns=["Full Name", "email", "customer_id"])
    out = check_synthetic_matches(schema, synth)
    assert list(out.columns) == list(schema.synth_columns)
