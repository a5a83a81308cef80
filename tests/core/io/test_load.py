"""load_table / load_path: formats sniffed from content, limits, headers, Excel, Parquet, Adult."""

from __future__ import annotations

import datetime as dt
import io as stdio
import json
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from core.config import Limits
from core.errors import UserInputError
from core.io import LoadReport, load_path, load_table
from core.io import messages as msg
from core.io.formats import XLSX_MAX_EXPANSION, XLSX_MAX_RATIO
from core.io.report import RejectedRow, Rename

ADULT = Path(__file__).resolve().parents[3] / "sample_data" / "adult.csv"


def refusal(data: bytes, name: str = "t.csv", **kwargs) -> UserInputError:
    with pytest.raises(UserInputError) as exc:
        load_table(data, name, **kwargs)
    return exc.value


def workbook(sheets: dict[str, list[list]]) -> bytes:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(row)
    buf = stdio.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def parquet(table: pa.Table) -> bytes:
    buf = stdio.BytesIO()
    pq.write_table(table, buf)
    return buf.getvalue()


# -- empty and tiny files --------------------------------------------------------------------------


@pytest.mark.parametrize("data", [b"", b"\n\n  \n", b"\xef\xbb\xbf"])
def test_empty_file(data: bytes):
    # Run
    error = refusal(data, "x.csv")
    # Assert
    assert error.message == msg.MSG_EMPTY.format(name="x.csv")
    assert error.message.startswith("The file 'x.csv' is empty. ")


def test_header_only():
    # Run
    error = refusal(b"a,b,c\n", "x.csv")
    # Assert
    assert error.message == msg.MSG_HEADER_ONLY.format(name="x.csv")


@pytest.mark.parametrize("rows", [1, 2])
def test_one_or_two_data_rows_load(rows: int):
    # Setup
    data = ("a,b\n" + "".join(f"{i},x{i}\n" for i in range(rows))).encode()
    # Run
    df, report = load_table(data, "t.csv")
    # Assert
    assert len(df) == rows
    assert report.rows_read + report.rows_rejected == report.data_lines == rows


# -- content versus extension ----------------------------------------------------------------------


def zip_bytes(parts: dict[str, bytes]) -> bytes:
    # A fixed timestamp: the same bytes whenever they are built. With the clock's, two pytest-xdist
    # workers collecting a second apart saw different parameters and refused to run the suite.
    buf = stdio.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, content in parts.items():
            info = zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))
            zf.writestr(info, content, compress_type=zipfile.ZIP_DEFLATED)
    return buf.getvalue()


@pytest.mark.parametrize(
    ("data", "what"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "a PNG image"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "a JPEG image"),
        (b"%PDF-1.7\n%\xe2\xe3", "a PDF document"),
        (b"\x1f\x8b\x08\x00\x00\x00", "a gzip-compressed file"),
        (zip_bytes({"data.csv": b"a,b\n1,2\n"}), "a ZIP archive"),
        (zip_bytes({"word/document.xml": b"<w/>"}), "a Word document"),
    ],
    ids=["png", "jpeg", "pdf", "gzip", "zip", "docx"],
)
def test_csv_that_is_really_something_else_is_refused_by_name(data: bytes, what: str):
    # Run
    error = refusal(data, "x.csv")
    # Assert
    assert error.message == msg.MSG_WRONG_CONTENT.format(name="x.csv", what=what, expected="CSV")


def test_png_message_reads_as_specified():
    # Run
    error = refusal(b"\x89PNG\r\n\x1a\nrest", "x.csv")
    # Assert
    assert error.message == ("'x.csv' is a PNG image, not a CSV file. Export the table as CSV, "
                             "Parquet or Excel (.xlsx).")


def test_parquet_or_excel_with_a_csv_name_says_what_it_is():
    # Setup
    pq_data = parquet(pa.table({"a": [1]}))
    xlsx_data = workbook({"S": [["a"], [1]]})
    # Run
    pq_error, xlsx_error = refusal(pq_data, "x.csv"), refusal(xlsx_data, "x.csv")
    # Assert
    assert pq_error.message == msg.MSG_WRONG_EXTENSION.format(
        name="x.csv", what="a Parquet file", ext=".csv", right=".parquet")
    assert xlsx_error.message == msg.MSG_WRONG_EXTENSION.format(
        name="x.csv", what="an Excel workbook", ext=".csv", right=".xlsx")


def test_text_with_a_parquet_name():
    # Run
    error = refusal(b"a,b\n1,2\n", "x.parquet")
    # Assert
    assert error.message == msg.MSG_WRONG_CONTENT.format(name="x.parquet", what="a text file",
                                                        expected="Parquet")


def test_unsupported_extension():
    # Run
    error = refusal(b"a,b\n1,2\n", "x.json")
    # Assert
    assert error.message == msg.MSG_UNSUPPORTED_EXTENSION.format(name="x.json", ext=".json")


# -- header problems -------------------------------------------------------------------------------


def test_duplicate_column_names_get_numbered_suffixes_and_are_reported():
    # Was: refused with "These column names appear more than once"; published tables have them.
    # Run
    df, report = load_table(b"a,b,a,c,b,b\n1,2,3,4,5,6\n", "t.csv")
    # Assert
    assert list(df.columns) == ["a", "b", "a_2", "c", "b_2", "b_3"]
    assert report.renamed == (
        Rename(3, "a", "a_2", "duplicate"), Rename(5, "b", "b_2", "duplicate"),
        Rename(6, "b", "b_3", "duplicate"))
    assert df["b_3"].tolist() == [6]


def test_blank_column_names_are_named_by_position():
    # Was: refused with "These columns have no name".
    # Run
    df, report = load_table(b"a,,c, \n1,2,3,4\n", "t.csv")
    # Assert
    assert list(df.columns) == ["a", "column_2", "c", "column_4"]
    assert report.renamed == (Rename(2, "", "column_2", "blank"),
                              Rename(4, " ", "column_4", "blank"))
    assert [r.sentence() for r in report.renamed] == [
        msg.NOTE_RENAMED_BLANK.format(position=2, name="column_2"),
        msg.NOTE_RENAMED_BLANK.format(position=4, name="column_4")]


def test_blank_and_duplicate_names_in_one_header_round_trip_through_the_report_dict():
    # Run
    df, report = load_table(b"a,a,\n1,2,3\n", "t.csv")
    # Assert
    assert list(df.columns) == ["a", "a_2", "column_3"]
    assert LoadReport.from_dict(json.loads(json.dumps(report.to_dict()))) == report
    assert report.to_dict()["renamed"] == [
        {"position": 2, "original": "a", "name": "a_2", "reason": "duplicate"},
        {"position": 3, "original": "", "name": "column_3", "reason": "blank"}]


def test_excel_duplicate_and_blank_headers_are_renamed_like_csv():
    # Setup
    data = workbook({"s": [["x", None, "x", "y"], [1, 2, 3, 4], [5, 6, 7, 8]]})
    # Run
    df, report = load_table(data, "t.xlsx")
    # Assert
    assert list(df.columns) == ["x", "column_2", "x_2", "y"]
    assert [r.name for r in report.renamed] == ["column_2", "x_2"]
    assert df["x_2"].tolist() == [3, 7]


def test_parquet_duplicate_and_blank_names_are_renamed_like_csv():
    # Setup: pyarrow writes repeated and empty field names
    table = pa.Table.from_arrays([pa.array([1, 2]), pa.array([3, 4]), pa.array([5, 6])],
                                 names=["x", "x", ""])
    buf = stdio.BytesIO()
    pq.write_table(table, buf)
    # Run
    df, report = load_table(buf.getvalue(), "t.parquet")
    # Assert
    assert list(df.columns) == ["x", "x_2", "column_3"]
    assert [(r.position, r.reason) for r in report.renamed] == [(2, "duplicate"), (3, "blank")]


def test_10000_character_column_name():
    # Setup
    data = ("a,b," + "x" * 10_000 + "\n1,2,3\n").encode()
    # Run
    error = refusal(data)
    # Assert
    assert error.message == (
        "Column 3's name is 10,000 characters long; the limit is 200. Shorten it.")
    assert error.message == msg.MSG_NAME_TOO_LONG.format(position=3, length=10_000, limit=200)


def test_several_header_problems_are_all_listed():
    # Run
    error = refusal(("a," + "x" * 201 + ",b," + "y" * 300 + "\n1,2,3,4\n").encode())
    # Assert
    assert error.message == msg.MSG_HEADER_PROBLEMS.format(name="t.csv", count=2)
    assert error.problems == (
        msg.MSG_NAME_TOO_LONG.format(position=2, length=201, limit=200),
        msg.MSG_NAME_TOO_LONG.format(position=4, length=300, limit=200),
    )


# -- limits ----------------------------------------------------------------------------------------


def test_file_over_the_size_limit():
    # Setup
    data = b"a,b\n" + b"1,2\n" * 400_000  # 1.5 MiB
    # Run
    error = refusal(data, limits=Limits(max_file_mb=1))
    # Assert
    assert error.message == msg.MSG_FILE_TOO_LARGE.format(name="t.csv", size_mb=len(data) / 2**20,
                                                         limit_mb=1)
    assert "is 1.5 MB; the limit is 1 MB." in error.message


def test_load_path_checks_the_size_before_reading(tmp_path: Path):
    # Setup: a sparse 3 MiB file (nothing written)
    path = tmp_path / "big.csv"
    with path.open("wb") as fh:
        fh.truncate(3 * 2**20)
    # Run
    with pytest.raises(UserInputError) as exc:
        load_path(path, Limits(max_file_mb=2))
    # Assert
    assert exc.value.message == msg.MSG_FILE_TOO_LARGE.format(name="big.csv", size_mb=3.0,
                                                             limit_mb=2)


def test_load_path_missing_file(tmp_path: Path):
    # Run
    with pytest.raises(UserInputError) as exc:
        load_path(tmp_path / "nope.csv")
    # Assert
    assert exc.value.message == msg.MSG_NOT_FOUND.format(path=tmp_path / "nope.csv")


def test_too_many_rows():
    # Run
    error = refusal(b"a\n1\n2\n3\n4\n5\n", limits=Limits(max_rows=3))
    # Assert
    assert error.message == msg.MSG_TOO_MANY_ROWS.format(name="t.csv", rows=5, limit=3)


def test_too_many_rows_is_refused_before_parsing():
    # Setup: every row is ragged, which parsing would refuse with another message
    data = b"a,b\n" + b"1\n" * 10
    # Run
    error = refusal(data, limits=Limits(max_rows=5))
    # Assert
    assert error.message == msg.MSG_TOO_MANY_ROWS.format(name="t.csv", rows=10, limit=5)


def test_row_limit_counts_records_not_lines_of_multiline_values():
    # Setup: 2 records over 7 physical lines
    data = b'a,b\n1,"x\ny\nz"\n2,"p\nq\nr"\n'
    # Run
    df, report = load_table(data, "t.csv", Limits(max_rows=2))
    # Assert
    assert len(df) == 2
    assert report.rows_read + report.rows_rejected == report.data_lines == 2


def test_too_many_columns():
    # Run
    error = refusal(b"a,b,c\n1,2,3\n", limits=Limits(max_columns=2))
    # Assert
    assert error.message == msg.MSG_TOO_MANY_COLUMNS.format(name="t.csv", columns=3, limit=2)


def test_too_many_cells():
    # Run
    error = refusal(b"a,b,c\n1,2,3\n4,5,6\n", limits=Limits(max_cells=5))
    # Assert
    assert error.message == msg.MSG_TOO_MANY_CELLS.format(name="t.csv", rows=2, columns=3, cells=6,
                                                         limit=5)


# -- Excel -----------------------------------------------------------------------------------------


def test_excel_with_several_sheets_reads_the_first_non_empty_one():
    # Setup
    data = workbook({
        "Cover": [],
        "Data": [["id", "score", 2020], [1, "N/A", "x"], [2, 3.5, "y"]],
        "Notes": [["remember"]],
    })
    # Run
    df, report = load_table(data, "book.xlsx")
    # Assert
    assert (report.file_format, report.sheet, report.sheets) == (
        "xlsx", "Data", ("Cover", "Data", "Notes"))
    assert list(df.columns) == ["id", "score", "2020"]
    assert df["id"].tolist() == [1, 2]
    assert df["score"].isna().tolist() == [True, False]
    assert report.nulls_mapped == {"N/A": 1}
    assert msg.WARN_SHEETS.format(sheet="Data", count=3,
                                 sheets="'Cover', 'Data', 'Notes'") in report.warnings


def test_excel_sheet_can_be_chosen():
    # Setup
    data = workbook({"A": [["x"], [1]], "B": [["when", "n"], [dt.datetime(2020, 1, 3), 1]]})
    # Run
    df, report = load_table(data, "book.xlsx", sheet="B")
    # Assert
    assert report.sheet == "B"
    assert df["when"].tolist() == ["2020-01-03 00:00:00"]  # dates stay text; schema parses them


def test_excel_empty_rows_inside_the_sheet_are_skipped_with_a_warning():
    # Setup
    data = workbook({"S": [["a", "b"], [1, "x"], [None, None], [2, "y"]]})
    # Run
    df, report = load_table(data, "book.xlsx")
    # Assert
    assert df["a"].tolist() == [1, 2]
    assert report.warnings == (msg.WARN_EMPTY_ROWS.format(count=1, rows="3"),)


def test_excel_unknown_or_empty_sheet():
    # Setup
    data = workbook({"A": [["x"], [1]], "Blank": []})
    # Run
    unknown = refusal(data, "book.xlsx", sheet="Z")
    empty = refusal(data, "book.xlsx", sheet="Blank")
    # Assert
    assert unknown.message == msg.MSG_NO_SHEET.format(name="book.xlsx", sheet="Z",
                                                     sheets="'A', 'Blank'")
    assert empty.message == msg.MSG_EMPTY_SHEET.format(name="book.xlsx", sheet="Blank",
                                                      sheets="'A', 'Blank'")


def test_excel_with_only_empty_sheets():
    # Run
    error = refusal(workbook({"A": [], "B": []}), "book.xlsx")
    # Assert
    assert error.message == msg.MSG_EMPTY.format(name="book.xlsx")


def test_xlsx_zip_bomb_is_refused_before_decompressing():
    # Setup: 64 MiB of zeros deflates to about 64 KB
    data = zip_bytes({
        "[Content_Types].xml": b"<Types/>",
        "xl/workbook.xml": b"<workbook/>",
        "xl/worksheets/sheet1.xml": b"\0" * (64 * 2**20),
    })
    info = zipfile.ZipFile(stdio.BytesIO(data)).getinfo("xl/worksheets/sheet1.xml")
    # Run
    error = refusal(data, "bomb.xlsx")
    # Assert
    assert len(data) < 200_000
    assert error.message == msg.MSG_XLSX_BOMB.format(
        name="bomb.xlsx", size_mb=(info.file_size + 19) / 2**20, member=info.filename,
        ratio=info.file_size / info.compress_size, limit_mb=200 * XLSX_MAX_EXPANSION,
        max_ratio=XLSX_MAX_RATIO)


def test_corrupt_xlsx():
    # Setup
    good = workbook({"A": [["x"], [1]]})
    broken_parts = zip_bytes({"xl/workbook.xml": b"<not xml"})
    # Run
    truncated = refusal(good[: len(good) // 2], "book.xlsx")
    malformed = refusal(broken_parts, "book.xlsx")
    # Assert
    assert truncated.message == msg.MSG_XLSX_CORRUPT.format(name="book.xlsx",
                                                           reason="the archive is damaged")
    assert malformed.message == msg.MSG_XLSX_CORRUPT.format(
        name="book.xlsx", reason="its workbook parts are damaged")


# -- Parquet ---------------------------------------------------------------------------------------


def test_parquet_keeps_types_and_maps_text_nulls_and_infinities():
    # Setup
    table = pa.table({"n": [1, 2, 3], "x": [1.5, float("inf"), 2.0], "c": ["a", "?", "b"]})
    # Run
    df, report = load_table(parquet(table), "t.parquet")
    # Assert
    assert report.file_format == "parquet"
    assert df["n"].dtype == "int64"
    assert df["x"].isna().tolist() == [False, True, False]
    assert df["c"].tolist()[::2] == ["a", "b"] and pd.isna(df["c"].iloc[1])
    assert report.nulls_mapped == {"inf": 1, "?": 1}
    assert msg.WARN_INFINITE.format(column="x", count=1, values="'inf'") in report.warnings


def test_parquet_decimal_column_is_read_as_floats_and_said_so():
    # Setup
    table = pa.table({"price": pa.array([Decimal("1.50"), Decimal("2.25")], pa.decimal128(10, 2))})
    # Run
    df, report = load_table(parquet(table), "t.parquet")
    # Assert
    assert df["price"].tolist() == [1.5, 2.25]
    assert msg.NOTE_DECIMAL_TYPE.format(column="price", type="decimal128(10, 2)") in (
        report.coercions)


def test_corrupt_parquet_footer():
    # Setup: damage the footer length and metadata, keep the magic bytes at both ends
    data = parquet(pa.table({"a": [1, 2]}))
    broken = data[:-40] + b"\xff" * 36 + data[-4:]
    # Run
    error = refusal(broken, "x.parquet")
    # Assert
    assert error.message == ("'x.parquet' is not a readable Parquet file (its footer is damaged). "
                             "Export it again, or export the table as CSV.")


def test_parquet_limits_are_checked_from_metadata():
    # Setup
    data = parquet(pa.table({"a": [1, 2, 3]}))
    # Run
    error = refusal(data, "t.parquet", limits=Limits(max_rows=2))
    # Assert
    assert error.message == msg.MSG_TOO_MANY_ROWS.format(name="t.parquet", rows=3, limit=2)


def test_parquet_nested_columns_are_refused():
    # Setup
    data = parquet(pa.table({"a": [1], "tags": [["x", "y"]]}))
    # Run
    error = refusal(data, "t.parquet")
    # Assert
    assert error.message == msg.MSG_PARQUET_TYPES.format(columns="'tags' (list<element: string>)")


# -- report and the real Adult file ----------------------------------------------------------------


def test_report_round_trips_through_json():
    # Setup
    _, report = load_table(b"a,b\n1,?\n2\n3,x\n", "t.csv")
    # Run
    again = LoadReport.from_dict(json.loads(json.dumps(report.to_dict())))
    # Assert
    assert again == report
    assert report.rejected == (RejectedRow(3, "expected 2 fields, found 1", "2"),)


def test_adult_loads_with_question_marks_mapped_to_null():
    # Run
    df, report = load_path(ADULT)
    # Assert
    assert df.shape == (32_561, 15)
    assert report.nulls_mapped == {"?": 4262}
    assert df["workclass"].isna().sum() + df["occupation"].isna().sum() + df[
        "native-country"].isna().sum() == 4262
    assert df["age"].dtype == "int64" and df["workclass"].dtype == object
    assert (report.encoding, report.delimiter, report.decimal) == ("utf-8", ",", ".")
    assert report.rows_rejected == 0
    assert report.rows_read + report.rows_rejected == report.data_lines == 32_561
