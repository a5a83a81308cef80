"""CSV loading: encodings, dialects, rejected rows, quotes, line endings, NULs and typing."""

from __future__ import annotations

import codecs
import math

import numpy as np
import pandas as pd
import pytest

from core.errors import UserInputError
from core.io import LoadReport, load_table
from core.io import messages as msg
from core.io.csv_reader import CONTROL_MAX_PERCENT, CONTROL_MIN_COUNT, count_control_characters
from core.io.report import RejectedRow


def load_csv(text: str | bytes, name: str = "t.csv") -> tuple[pd.DataFrame, LoadReport]:
    return load_table(text.encode("utf-8") if isinstance(text, str) else text, name)


def refusal(text: str | bytes, name: str = "t.csv") -> str:
    with pytest.raises(UserInputError) as exc:
        load_csv(text, name)
    return exc.value.message


# -- encodings -------------------------------------------------------------------------------------


def test_utf8_without_bom():
    # Setup
    data = "name,city\nAnn,Zürich\nBo,Kraków\n".encode()
    # Run
    df, report = load_csv(data)
    # Assert
    assert report.encoding == "utf-8"
    assert list(df.columns) == ["name", "city"]
    assert df["city"].tolist() == ["Zürich", "Kraków"]
    assert report.rows_read + report.rows_rejected == report.data_lines == 2


def test_utf8_with_bom_does_not_leak_into_the_first_name():
    # Setup
    data = codecs.BOM_UTF8 + "name,city\nAnn,Zürich\n".encode()
    # Run
    df, report = load_csv(data)
    # Assert
    assert report.encoding == "utf-8-sig"
    assert list(df.columns) == ["name", "city"]
    assert report.rows_read + report.rows_rejected == report.data_lines == 1


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (codecs.BOM_UTF16_LE + "name,n\nZoë,1\nÅsa,2\n".encode("utf-16-le"), "utf-16"),
        (codecs.BOM_UTF16_BE + "name,n\nZoë,1\nÅsa,2\n".encode("utf-16-be"), "utf-16"),
        ("name,n\nZoë,1\nÅsa,2\n".encode("utf-16-le"), "utf-16-le"),  # no BOM
    ],
)
def test_utf16(data: bytes, encoding: str):
    # Run
    df, report = load_csv(data)
    # Assert
    assert report.encoding == encoding
    assert df["name"].tolist() == ["Zoë", "Åsa"]
    assert df["n"].tolist() == [1, 2]
    assert report.rows_read + report.rows_rejected == report.data_lines == 2


def test_cp1252_file():
    # Setup: é is 0xE9 and € is 0x80 in Windows-1252; neither is valid UTF-8 on its own
    data = "item,price\ncafé,€3\n".encode("cp1252")
    # Run
    df, report = load_csv(data)
    # Assert
    assert report.encoding == "cp1252"
    assert df["item"].tolist() == ["café"]
    assert df["price"].tolist() == ["€3"]
    assert report.rows_read + report.rows_rejected == report.data_lines == 1


def test_latin1_when_cp1252_leaves_a_byte_undefined():
    # Setup: 0x81 is undefined in cp1252, so only Latin-1 decodes this file
    data = b"a,b\n\xe9\x81,1\n"
    # Run
    df, report = load_csv(data)
    # Assert
    assert report.encoding == "latin-1"
    assert df["a"].tolist() == ["é\x81"]
    assert report.rows_read + report.rows_rejected == report.data_lines == 1


def test_invalid_bytes_in_a_mostly_utf8_file_name_the_line():
    # Setup: valid UTF-8 (ü) on line 2, a stray 0xFF on line 3
    data = "name,n\nMüller,1\n".encode() + b"Sm\xffth,2\n"
    # Run
    message = refusal(data)
    # Assert
    assert message == msg.MSG_BAD_UTF8.format(name="t.csv", line=3, byte=0xFF, count=1)


def test_nul_bytes_are_removed_with_a_warning_naming_the_line():
    # Setup
    data = b"a,b\n1,x\x00y\n2,z\n"
    # Run
    df, report = load_csv(data)
    # Assert
    assert df["b"].tolist() == ["xy", "z"]
    assert msg.WARN_NUL.format(count=1, lines="2") in report.warnings
    assert report.rows_read + report.rows_rejected == report.data_lines == 2


def test_mostly_nul_bytes_is_a_binary_file():
    # Setup
    data = b"a,b\n" + b"\x00\x01" * 50
    # Run
    message = refusal(data)
    # Assert
    assert message == msg.MSG_WRONG_CONTENT.format(name="t.csv", what="a binary file",
                                                  expected="CSV")


def test_three_mb_of_random_bytes_named_csv_is_refused_as_not_a_table():
    # Setup: once loaded as a 2-column table of 5,204 rows (only NULs were counted)
    data = np.random.default_rng(0).bytes(3 * 2**20)
    # Run
    message = refusal(data, "random.csv")
    # Assert: latin-1 text with NULs removed; C0 (not tab/LF/CR), DEL and C1 are counted
    text = data.decode("latin-1").replace("\x00", "")
    control = sum(1 for c in text if (c < " " and c not in "\t\n\r") or "\x7f" <= c <= "\x9f")
    assert message == msg.MSG_CONTROL_CHARACTERS.format(
        name="random.csv", count=control, total=len(text), percent=100 * control / len(text),
        limit=CONTROL_MAX_PERCENT)
    assert "(23.9%) are control characters" in message


def test_a_few_control_characters_in_free_text_still_load():
    # Setup: vertical tabs (a spreadsheet's in-cell line break), a form feed, an escape and a C1
    notes = ["line one\x0bline two", "page\x0cbreak", "esc \x1b[0m", "n\u0085l"]
    rows = [f"{i},{notes[i // 10 % 4] if i % 10 == 0 else 'plain words here'}" for i in range(200)]
    data = ("id,note\n" + "\n".join(rows) + "\n").encode()
    # Run
    df, report = load_csv(data)
    # Assert
    assert report.rows_read == 200
    assert df.loc[0, "note"] == "line one\x0bline two" and df.loc[30, "note"] == "n\u0085l"


def test_control_character_share_counts_characters_not_bytes():
    # Setup: one C1 character (2 bytes in UTF-8) and one C0 among ASCII and multi-byte letters
    buf = "ab\u0085c\x01\u00e9\u4e2d\t\n".encode()
    # Run
    control, chars = count_control_characters(buf)
    # Assert
    assert (control, chars) == (2, 9)


def test_a_tiny_file_with_one_stray_control_character_loads():
    # Setup: 1 of 20 characters is a control character, but far below the floor of 64
    df, report = load_csv("a,b\n1,x\x02y\n2,z\n")
    # Assert
    assert df["b"].tolist() == ["x\x02y", "z"]
    assert CONTROL_MIN_COUNT == 64


# -- dialect ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_delimiter_is_sniffed(delimiter: str):
    # Setup
    text = "\n".join(delimiter.join(row) for row in [["a", "b", "c"], ["1", "x", "2"],
                                                       ["3", "y", "4"]]) + "\n"
    # Run
    df, report = load_csv(text)
    # Assert
    assert report.delimiter == delimiter
    assert list(df.columns) == ["a", "b", "c"]
    assert df["b"].tolist() == ["x", "y"]
    assert report.rows_read + report.rows_rejected == report.data_lines == 2


def test_delimiter_sniffing_respects_quotes():
    # Setup: semicolons appear, but only inside quoted values
    text = 'name,note\n"Ann","a;b;c"\n"Bo","d;e"\n'
    # Run
    df, report = load_csv(text)
    # Assert
    assert report.delimiter == ","
    assert df["note"].tolist() == ["a;b;c", "d;e"]
    assert report.rows_read + report.rows_rejected == report.data_lines == 2


def test_one_column_file_is_not_split_on_commas_in_values():
    # Setup
    text = "name\nSmith, John\nDoe, Jane\n"
    # Run
    df, report = load_csv(text)
    # Assert
    assert report.delimiter == ";"
    assert df["name"].tolist() == ["Smith, John", "Doe, Jane"]
    assert report.rows_read + report.rows_rejected == report.data_lines == 2


def test_semicolon_file_with_decimal_comma():
    # Setup
    text = "item;price;qty\napple;3,14;2\npear;2,5;1\nplum;4;3\n"
    # Run
    df, report = load_csv(text)
    # Assert
    assert report.delimiter == ";"
    assert report.decimal == ","
    assert df["price"].tolist() == [3.14, 2.5, 4.0]
    assert df["price"].dtype == "float64"
    assert msg.NOTE_DECIMAL_COMMA.format(column="price", value="3,14", number=3.14) in (
        report.coercions)
    assert report.rows_read + report.rows_rejected == report.data_lines == 3


def test_comma_file_keeps_quoted_decimal_commas_as_text():
    # Setup
    text = 'a,b\n"3,14",1\n"2,5",2\n'
    # Run
    df, report = load_csv(text)
    # Assert
    assert report.decimal == "."
    assert df["a"].tolist() == ["3,14", "2,5"]
    assert report.rows_read + report.rows_rejected == report.data_lines == 2


# -- rejected rows ---------------------------------------------------------------------------------


def test_ragged_rows_are_rejected_with_line_numbers():
    # Setup
    text = "a,b,c\n1,2,3\n4,5\n6,7,8\n9,10,11,12\n13,14,15\n"
    # Run
    df, report = load_csv(text)
    # Assert
    assert df["a"].tolist() == [1, 6, 13]
    assert report.rejected == (
        RejectedRow(3, "expected 3 fields, found 2", "4,5"),
        RejectedRow(5, "expected 3 fields, found 4", "9,10,11,12"),
    )
    assert (report.data_lines, report.rows_read, report.rows_rejected) == (5, 3, 2)
    assert report.rows_read + report.rows_rejected == report.data_lines
    assert msg.WARN_REJECTED.format(count=2, total=5, expected=3, lines="3, 5", kept=3) in (
        report.warnings)


def test_rejected_line_numbers_count_multiline_values_and_blank_lines():
    # Setup: line 2-3 is one record, line 4 is blank, line 5 is short
    text = 'a,b\n"x\ny",1\n\n3\n4,5\n'
    # Run
    df, report = load_csv(text)
    # Assert
    assert df["a"].tolist() == ["x\ny", "4"]
    assert [r.line for r in report.rejected] == [5]
    assert msg.WARN_BLANK_LINES.format(count=1, lines="4") in report.warnings
    assert report.rows_read + report.rows_rejected == report.data_lines == 3


def test_rejected_rows_are_all_counted_but_100_shown():
    # Setup
    text = "a,b\n" + "1\n" * 150 + "1,2\n"
    # Run
    df, report = load_csv(text)
    # Assert
    assert report.rows_rejected == 150
    assert len(report.rejected) == 100
    assert report.rejected[-1].line == 101
    assert len(df) == 1
    assert report.rows_read + report.rows_rejected == report.data_lines == 151


def test_rejected_text_is_truncated_to_200_characters():
    # Setup
    text = "a,b\n" + ",".join(["x"] * 300) + "\n1,2\n"
    # Run
    _, report = load_csv(text)
    # Assert
    assert report.rejected[0].text == ",".join(["x"] * 300)[:200]
    assert report.rows_read + report.rows_rejected == report.data_lines == 2


def test_every_row_rejected_is_refused():
    # Setup
    text = "a,b,c\n1,2\n3,4\n"
    # Run
    message = refusal(text)
    # Assert
    assert message == msg.MSG_ALL_REJECTED.format(name="t.csv", count=2, expected=3, line=2,
                                                 found=2)


# -- quotes and line endings -----------------------------------------------------------------------


def test_unclosed_quote_names_the_line_where_it_opens():
    # Setup
    text = 'a,b\n1,2\n3,"oops\n5,6\n7,8\n'
    # Run
    message = refusal(text)
    # Assert
    assert message == msg.MSG_UNCLOSED_QUOTE.format(name="t.csv", line=3)


def test_unclosed_quote_on_the_last_line():
    # Setup: the record still has 2 fields, so only the quote check can catch it
    text = 'a,b\n1,2\n3,"4\n'
    # Run
    message = refusal(text)
    # Assert
    assert message == msg.MSG_UNCLOSED_QUOTE.format(name="t.csv", line=3)


def test_mixed_crlf_lf_and_cr_line_endings():
    # Setup: lines end in CRLF, LF and a lone CR ("5,6" is line 4); line 6 is short
    data = b"a,b\r\n1,2\n3,4\r\n5,6\r7,8\n9\r\n10,11"
    # Run
    df, report = load_csv(data)
    # Assert
    assert df["a"].tolist() == [1, 3, 5, 7, 10]
    assert df["b"].tolist() == [2, 4, 6, 8, 11]
    assert [r.line for r in report.rejected] == [6]
    assert report.rows_read + report.rows_rejected == report.data_lines == 6


def test_quoted_embedded_newlines_are_kept():
    # Setup
    text = 'id,note\n1,"line one\nline two"\n2,"x\r\ny"\n3,plain\n4\n'
    # Run
    df, report = load_csv(text)
    # Assert
    assert df["note"].tolist() == ["line one\nline two", "x\r\ny", "plain"]
    assert [r.line for r in report.rejected] == [7]
    assert report.rows_read + report.rows_rejected == report.data_lines == 4


def test_doubled_quotes_inside_a_quoted_value():
    # Setup
    text = 'a,b\n"say ""hi""",1\n'
    # Run
    df, report = load_csv(text)
    # Assert
    assert df["a"].tolist() == ['say "hi"']
    assert report.rows_read + report.rows_rejected == report.data_lines == 1


# -- nulls and types -------------------------------------------------------------------------------


def test_null_tokens_are_mapped_and_counted():
    # Setup
    text = "v,w\n?,a\nN/A,b\nNA,c\nnull,d\nNULL,e\n-,f\n,g\n   ,h\nkeep,i\n"
    # Run
    df, report = load_csv(text)
    # Assert
    assert df["v"].isna().tolist() == [True] * 8 + [False]
    assert df["v"].iloc[-1] == "keep"
    assert report.nulls_mapped == {"?": 1, "N/A": 1, "NA": 1, "null": 1, "NULL": 1, "-": 1,
                                   "": 2}
    assert report.rows_read + report.rows_rejected == report.data_lines == 9


def test_text_columns_keep_object_dtype_and_whitespace():
    # Setup
    text = "city,n\n Paris ,1\nRome,2\n"
    # Run
    df, report = load_csv(text)
    # Assert
    assert df["city"].dtype == object
    assert df["city"].tolist() == [" Paris ", "Rome"]
    assert report.rows_read + report.rows_rejected == report.data_lines == 2


def test_integers_and_floats():
    # Setup
    text = "i,f,g\n1,1.5,7\n+2,-2e3,\n-3,.5,9\n"
    # Run
    df, report = load_csv(text)
    # Assert
    assert df["i"].dtype == "int64" and df["i"].tolist() == [1, 2, -3]
    assert df["f"].tolist() == [1.5, -2000.0, 0.5]
    assert df["g"].dtype == "float64" and math.isnan(df["g"].iloc[1])  # nulls: float
    assert report.coercions[0] == msg.NOTE_NUMBERS.format(count=3, total=3,
                                                         columns="'i', 'f', 'g'")
    assert report.rows_read + report.rows_rejected == report.data_lines == 3


def test_nan_inf_and_minus_inf_in_a_numeric_column():
    # Setup
    text = "x\n1.5\nNaN\ninf\n-inf\n2\n"
    # Run
    df, report = load_csv(text)
    # Assert
    assert df["x"].dtype == "float64"
    assert df["x"].isna().tolist() == [False, True, True, True, False]
    assert report.nulls_mapped == {"NaN": 1, "inf": 1, "-inf": 1}
    assert msg.WARN_INFINITE.format(column="x", count=2, values="'inf', '-inf'") in (
        report.warnings)
    assert report.rows_read + report.rows_rejected == report.data_lines == 5


def test_mixed_types_read_as_text_with_the_reason():
    # Setup
    text = "code\n1\n2\nA7\n3\n"
    # Run
    df, report = load_csv(text)
    # Assert
    assert df["code"].tolist() == ["1", "2", "A7", "3"]
    assert msg.NOTE_MIXED.format(column="code", where="line 4", value="A7", numbers=3,
                                values=4) in report.coercions
    assert report.rows_read + report.rows_rejected == report.data_lines == 4


def test_type_change_after_row_30000_keeps_the_whole_column_text():
    # Setup: 30,000 numbers, then text on line 30,002
    text = "v,w\n" + "".join(f"{i},a\n" for i in range(30_000)) + "abc,b\n5,c\n"
    # Run
    df, report = load_csv(text)
    # Assert
    assert df["v"].dtype == object
    assert df["v"].iloc[0] == "0" and df["v"].iloc[30_000] == "abc"
    assert msg.NOTE_MIXED.format(column="v", where="line 30,002", value="abc", numbers=30_001,
                                values=30_002) in report.coercions
    assert report.rows_read + report.rows_rejected == report.data_lines == 30_002


def test_leading_zeros_stay_text():
    # Setup
    text = "zip,n\n02139,1\n10001,2\n"
    # Run
    df, report = load_csv(text)
    # Assert
    assert df["zip"].tolist() == ["02139", "10001"]
    assert msg.NOTE_LEADING_ZEROS.format(column="zip", where="line 2", value="02139") in (
        report.coercions)
    assert report.rows_read + report.rows_rejected == report.data_lines == 2


def test_whole_numbers_too_long_for_float64_stay_text():
    # Setup
    text = "card\n4111111111111111\n5500000000000004\n"
    # Run
    df, report = load_csv(text)
    # Assert
    assert df["card"].tolist() == ["4111111111111111", "5500000000000004"]
    assert msg.NOTE_LONG_INTEGERS.format(column="card", where="line 2",
                                        value="4111111111111111") in report.coercions
    assert report.rows_read + report.rows_rejected == report.data_lines == 2


def test_ambiguous_day_month_dates_warn_and_are_not_changed():
    # Setup
    text = "visit,n\n03/04/2020,1\n05/06/2021,2\n"
    # Run
    df, report = load_csv(text)
    # Assert
    assert df["visit"].tolist() == ["03/04/2020", "05/06/2021"]
    assert msg.WARN_AMBIGUOUS_DATES.format(
        column="visit", value="03/04/2020", day_first="3 April", month_first="March 4",
    ) in report.warnings
    assert report.rows_read + report.rows_rejected == report.data_lines == 2


def test_dates_with_a_day_over_12_are_not_ambiguous():
    # Setup
    text = "visit,n\n03/04/2020,1\n25/06/2021,2\n"
    # Run
    _, report = load_csv(text)
    # Assert
    assert not any("day first" in w for w in report.warnings)
    assert report.rows_read + report.rows_rejected == report.data_lines == 2


def test_all_null_column_warns():
    # Setup
    text = "a,empty\n1,\n2,?\n"
    # Run
    df, report = load_csv(text)
    # Assert
    assert df["empty"].isna().all()
    assert msg.WARN_ALL_NULL.format(column="empty") in report.warnings
    assert report.rows_read + report.rows_rejected == report.data_lines == 2


def test_constant_column_warns():
    # Setup
    text = "a,country\n1,FR\n2,FR\n3,FR\n"
    # Run
    _, report = load_csv(text)
    # Assert
    assert report.warnings == (msg.WARN_CONSTANT.format(column="country", value="FR"),)
    assert report.rows_read + report.rows_rejected == report.data_lines == 3


def test_id_like_column_with_unique_values_loads_without_warnings():
    # Setup
    text = "id,age\n" + "".join(f"P{i:04d},{20 + i % 50}\n" for i in range(200))
    # Run
    df, report = load_csv(text)
    # Assert
    assert df["id"].is_unique and len(df) == 200
    assert report.warnings == ()
    assert report.rows_read + report.rows_rejected == report.data_lines == 200


def test_100000_distinct_categorical_values():
    # Setup
    text = "key,v\n" + "".join(f"k{i},{i % 7}\n" for i in range(100_000))
    # Run
    df, report = load_csv(text)
    # Assert
    assert df["key"].nunique() == 100_000
    assert df["key"].dtype == object
    assert report.rows_read + report.rows_rejected == report.data_lines == 100_000


def test_500_columns():
    # Setup
    header = ",".join(f"c{j}" for j in range(500))
    text = header + "\n" + "\n".join(",".join(str(i * j) for j in range(500)) for i in (1, 2, 3))
    # Run
    df, report = load_csv(text)
    # Assert
    assert df.shape == (3, 500)
    assert df["c499"].tolist() == [499, 998, 1497]
    assert report.rows_read + report.rows_rejected == report.data_lines == 3


# -- column names ----------------------------------------------------------------------------------


def test_html_and_sql_column_names_are_kept_verbatim():
    # Setup
    text = '<img src=x onerror=alert(1)>,"""; DROP TABLE runs;--",n\na,b,1\n'
    # Run
    df, report = load_csv(text)
    # Assert
    assert list(df.columns) == ["<img src=x onerror=alert(1)>", '"; DROP TABLE runs;--', "n"]
    assert report.rows_read + report.rows_rejected == report.data_lines == 1


def test_integer_like_column_names_stay_strings():
    # Setup
    text = "1,2\n3,4\n"
    # Run
    df, report = load_csv(text)
    # Assert
    assert list(df.columns) == ["1", "2"]
    assert all(type(c) is str for c in df.columns)
    assert df["1"].tolist() == [3]
    assert report.rows_read + report.rows_rejected == report.data_lines == 1


def test_names_with_spaces_dots_and_unicode_are_kept_exactly():
    # Setup
    text = " lead space ,a.b,naïve 名前\n1,2,3\n"
    # Run
    df, report = load_csv(text)
    # Assert
    assert list(df.columns) == [" lead space ", "a.b", "naïve 名前"]
    assert report.rows_read + report.rows_rejected == report.data_lines == 1
