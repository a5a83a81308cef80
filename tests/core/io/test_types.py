"""Per-column missing-value markers: census ``N`` among numbers, the rule's limits and options."""

from __future__ import annotations

import pandas as pd
import pytest

from core.io import load_table
from core.io import messages as msg
from core.io.report import Marker
from core.io.types import MARKER_TOKENS, MAX_MARKERS
from tests.published import CENSUS_COLUMNS, CENSUS_EXPECTED, census_csv, census_frame


def load_csv(text: str, **kwargs):
    return load_table(text.encode(), "t.csv", **kwargs)


def test_census_markers_are_missing_and_the_columns_numeric():
    # Setup
    cells = census_frame()
    # Run
    df, report = load_table(census_csv(), "census.csv")
    # Assert
    assert list(df.columns) == CENSUS_COLUMNS
    for column in ("PINCP", "POVPIP"):
        assert pd.api.types.is_float_dtype(df[column]), column
    expected = tuple(Marker(c, token, int((cells[c] == token).sum()))
                     for c, token in CENSUS_EXPECTED["markers"].items())
    assert report.markers == expected
    assert [m.count for m in report.markers] == [283, 283, 65, 595, 968]
    for m in report.markers:
        assert int(df[m.column].isna().sum()) == m.count
    assert report.nulls_mapped == {}  # markers are per column, not global tokens
    assert report.notes()[1] == msg.NOTE_MARKER.format(column="PINCP", token="N", count=283)
    assert df["PINCP"].dropna().tolist() == cells.loc[cells["PINCP"] != "N", "PINCP"].astype(
        float).tolist()


def test_no_auto_na_keeps_census_markers_as_text():
    # Run
    df, report = load_table(census_csv(), "census.csv", auto_na=False)
    # Assert
    assert report.markers == () and report.auto_na is False
    assert df["PINCP"].dtype == object and (df["PINCP"] == "N").sum() == 283
    assert pd.api.types.is_integer_dtype(df["AGEP"])


def test_explicit_na_values_are_missing_in_every_column():
    # Run: with detection off, --na N still makes every N column numeric
    df, report = load_table(census_csv(), "census.csv", na_values=["N"], auto_na=False)
    # Assert
    assert report.nulls_mapped == {"N": 283 + 283 + 65 + 595 + 968}
    assert report.na_values == ("N",) and report.markers == ()
    assert pd.api.types.is_float_dtype(df["PINCP"]) and pd.api.types.is_float_dtype(df["INDP"])


def test_explicit_na_values_also_apply_to_text_columns_and_are_trimmed():
    # Run
    df, report = load_csv("a,b\nx,1\nnone given,2\ny,3\n", na_values=[" none given "])
    # Assert
    assert df["a"].tolist() == ["x", None, "y"]
    assert report.nulls_mapped == {"none given": 1}


@pytest.mark.parametrize("token", ["N", ".", "*", "X", "-", "NA", "unknown", "(X)", "n/a"])
def test_each_listed_token_is_a_marker_among_numbers(token):
    # Setup: global null tokens ("-", "NA", "n/a") are mapped before marker detection
    text = "v\n" + "\n".join(["12", "7", token, "3.5"] * 5) + "\n"
    # Run
    df, report = load_csv(text)
    # Assert
    assert df["v"].isna().sum() == 5 and pd.api.types.is_float_dtype(df["v"])
    assert report.markers == (() if token in ("-", "NA", "n/a") else (Marker("v", token, 5),))


def test_two_markers_in_one_column_are_both_reported():
    # Run
    df, report = load_csv("v\n1\nN\n2\n.\n3\n4\nN\n")
    # Assert
    assert report.markers == (Marker("v", "N", 2), Marker("v", ".", 1))
    assert df["v"].dropna().tolist() == [1, 2, 3, 4]


@pytest.mark.parametrize(("values", "why"), [
    (["1", "N", "2", ".", "3", "*", "4", "5"], "three distinct markers"),
    (["1", "N", "N", "2"], "markers fill half the values"),
    (["1", "K", "2", "3"], "'K' is not a listed marker"),
    (["N", "X"], "no numbers at all"),
    (["007", "N", "012", "3"], "leading zeros keep the column text"),
])
def test_columns_that_do_not_meet_the_rule_stay_text_as_written(values, why):
    # Run
    df, report = load_csv("v\n" + "\n".join(values) + "\n")
    # Assert
    assert df["v"].tolist() == values, why
    assert report.markers == ()


def test_markers_are_trimmed_and_matched_case_insensitively():
    # Run
    df, report = load_csv("v\n1\n n \n2\n3\nUNKNOWN\n4\n")
    # Assert
    assert report.markers == (Marker("v", "n", 1), Marker("v", "UNKNOWN", 1))
    assert df["v"].dropna().tolist() == [1, 2, 3, 4]


def test_marker_rule_constants():
    assert MAX_MARKERS == 2
    assert {"N", ".", "*", "X", "-", "NA", "unknown"} <= set(MARKER_TOKENS)
    assert not {"S", "D", "Z", "K"} & set(MARKER_TOKENS)
