"""unique_names: blank and repeated column names get deterministic unique names; records loads."""

from __future__ import annotations

import pytest

from core.io import load_table
from core.io.headers import unique_names
from core.io.report import Rename
from tests.published import RECORDS_COLUMNS, RECORDS_EXPECTED, records_csv


@pytest.mark.parametrize(("header", "names"), [
    (["a", "b"], ["a", "b"]),
    (["a", "a", "a"], ["a", "a_2", "a_3"]),
    (["a", "a_2", "a"], ["a", "a_2", "a_3"]),  # a suffix never takes a written name
    (["a_2", "a", "a"], ["a_2", "a", "a_3"]),
    (["a", "a", "a_3", "a"], ["a", "a_2", "a_3", "a_4"]),
    (["", "x", " "], ["column_1", "x", "column_3"]),
    (["column_2", ""], ["column_2", "column_2_2"]),
    (["", "column_1_2", "column_1"], ["column_1_3", "column_1_2", "column_1"]),
])
def test_unique_names(header, names):
    # Run
    got, renames = unique_names(header)
    # Assert
    assert got == names
    assert len(set(got)) == len(got)
    assert [(r.position, r.original, r.name) for r in renames] == [
        (i, h, n) for i, (h, n) in enumerate(zip(header, names, strict=True), 1) if h != n]


def test_renames_say_why():
    # Run
    _, renames = unique_names(["a", "", "a"])
    # Assert
    assert renames == (Rename(2, "", "column_2", "blank"), Rename(3, "a", "a_2", "duplicate"))
    assert renames[1].sentence() == (
        "Column 3 is named 'a' like an earlier column; it was renamed 'a_2'.")


def test_records_table_loads_as_published_with_its_renames_reported():
    # Run: the records-style table once refused for its repeated headers
    df, report = load_table(records_csv(), "records.csv")
    # Assert
    assert list(df.columns) == RECORDS_COLUMNS
    assert {r.original: r.name for r in report.renamed} == RECORDS_EXPECTED["renames"]
    assert [(r.position, r.reason) for r in report.renamed] == [(18, "duplicate"),
                                                               (19, "duplicate")]
    assert report.rows_read == 1500
    assert (df["decile_score"] == df["decile_score_2"]).all()
