"""Load a user's table (CSV, Parquet or Excel) and report everything inferred or changed on the way.

``load_table(data, file_name)`` -> ``(DataFrame, LoadReport)``. The format comes from the bytes
(magic numbers; an .xlsx is a zip holding ``xl/workbook.xml``) checked against the extension, so a
PNG renamed ``x.csv`` is refused by name. Limits are checked before anything big is built. Every
column arrives as text (Parquet keeps its own types) and is typed from all its values at once by
:mod:`core.io.types`; values mapped to null, coercions and doubts are all listed in the report.

This module picks the reader; :mod:`core.io` exports its public functions. Beside it: the message
templates (:mod:`core.io.messages`), the report (:mod:`core.io.report`), the shared limits
(:mod:`core.io.limits`), CSV text (:mod:`core.io.csv_reader`) and Excel and Parquet
(:mod:`core.io.formats`).
"""

from __future__ import annotations

import io
import os
import zipfile
from collections.abc import Sequence
from pathlib import Path, PurePath
from typing import Any

import pandas as pd

from core.config import Limits
from core.errors import UserInputError
from core.io import csv_reader
from core.io.formats import read_parquet, read_xlsx
from core.io.headers import unique_names
from core.io.limits import check_shape, too_large
from core.io.messages import (
    MSG_EMPTY,
    MSG_NOT_FOUND,
    MSG_UNSUPPORTED_EXTENSION,
    MSG_WRONG_CONTENT,
    MSG_WRONG_EXTENSION,
    MSG_XLSX_CORRUPT,
)
from core.io.report import LoadReport
from core.io.types import type_columns

# Extension -> the format the user meant; content must agree (see ``_sniff``).
EXTENSION_FORMATS = {
    ".csv": "csv", ".tsv": "csv", ".txt": "csv", ".tab": "csv",
    ".parquet": "parquet", ".pq": "parquet", ".xlsx": "xlsx", ".xlsm": "xlsx",
}
FORMAT_LABELS = {"csv": "CSV", "parquet": "Parquet", "xlsx": "Excel (.xlsx)"}
FORMAT_EXTENSIONS = {"csv": ".csv", "parquet": ".parquet", "xlsx": ".xlsx"}
MAGIC_NUMBERS = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"), (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"), (b"GIF89a", "a GIF image"), (b"%PDF-", "a PDF document"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old-style Office file (.xls or .doc)"),
    (b"\x1f\x8b", "a gzip-compressed file"), (b"SQLite format 3\x00", "an SQLite database"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"), (b"Rar!", "a RAR archive"),
    (b"PK\x05\x06", "an empty ZIP archive"),
)
ZIP_KINDS = (
    ("xl/workbook.xml", "xlsx", "an Excel workbook"),
    ("xl/workbook.bin", None, "an Excel binary workbook (.xlsb)"),
    ("word/document.xml", None, "a Word document"),
    ("ppt/presentation.xml", None, "a PowerPoint presentation"),
    ("content.xml", None, "an OpenDocument file"),
)


def load_path(
    path: str | os.PathLike[str],
    limits: Limits | None = None,
    sheet: str | None = None,
    *,
    na_values: Sequence[str] = (),
    auto_na: bool = True,
) -> tuple[pd.DataFrame, LoadReport]:
    """Load a file from disk: its size is checked before it is read. See :func:`load_table`."""
    limits = limits or Limits.from_env()
    p = Path(path)
    if not p.is_file():
        raise UserInputError(MSG_NOT_FOUND.format(path=path))
    size = p.stat().st_size
    if size > limits.max_file_bytes:
        raise UserInputError(too_large(p.name, size, limits))
    return load_table(p.read_bytes(), p.name, limits, sheet, na_values=na_values,
                      auto_na=auto_na)


def load_table(
    data: bytes,
    file_name: str,
    limits: Limits | None = None,
    sheet: str | None = None,
    *,
    na_values: Sequence[str] = (),
    auto_na: bool = True,
) -> tuple[pd.DataFrame, LoadReport]:
    """Read a CSV, Parquet or Excel file into a DataFrame and say what was inferred.

    Column names are kept as written, except that a blank name becomes ``column_<position>`` and
    a repeated one gets ``_2``, ``_3``, ... (see :mod:`core.io.headers`); every rename is in the
    report. Null tokens ("", "?", "NA", "N/A", "null", ... and ``na_values``) become null and are
    counted; a column whose values all parse as numbers becomes numeric (inf/-inf become null
    with a warning), also when a column's own markers such as "N" are all that stands in the way
    (``auto_na``; see :mod:`core.io.types`); everything else stays text (object dtype). Dates are
    not parsed here; ambiguous day/month columns get a warning.

    Args:
        data: The file's bytes.
        file_name: Display name; its extension must agree with the content.
        limits: Size limits; defaults to ``Limits.from_env()``.
        sheet: xlsx only: the sheet to read (default: the first non-empty one).
        na_values: More tokens read as missing in every column (compared after trimming).
        auto_na: Whether to detect each column's own missing-value markers (default on).

    Returns:
        The table and its :class:`LoadReport`.

    Raises:
        UserInputError: The file is empty, too large, of the wrong kind (a binary file named
            .csv included), damaged, or its header or content cannot be used. The message says
            what is wrong and how to fix it.
    """
    limits = limits or Limits.from_env()
    if len(data) > limits.max_file_bytes:
        raise UserInputError(too_large(file_name, len(data), limits))
    if not data:
        raise UserInputError(MSG_EMPTY.format(name=file_name))
    fmt = _detect_format(data, file_name)
    base: dict[str, Any] = {"file_name": file_name, "file_format": fmt, "size_bytes": len(data)}
    if fmt == "csv":
        plan = csv_reader.prepare_csv(data, file_name)
        header, rows = plan.header, len(plan.record_lines) - 1  # rows: exact or an upper bound
        if rows > limits.max_rows or rows * len(header) > limits.max_cells:
            csv_reader.exact_records(plan, file_name)  # refuse on the true count, still unparsed
        check_shape(file_name, header, len(plan.record_lines) - 1, limits)
        parsed = csv_reader.parse_csv(plan, file_name)
        base.update(encoding=plan.encoding, delimiter=plan.delimiter, data_lines=parsed.data_lines,
                    rows_rejected=parsed.rows_rejected, rejected=parsed.rejected)
        warnings = parsed.warnings
        table, where, comma = parsed.table, parsed.where, plan.delimiter != ","
    elif fmt == "xlsx":
        header, table, where, base["sheet"], base["sheets"], warnings = read_xlsx(
            data, file_name, limits, sheet)
        comma = False
    else:
        header, table, coercions = read_parquet(data, file_name, limits)
        where, comma, warnings = (lambda i: f"row {i + 1:,}"), False, []
    header, renamed = unique_names(header)
    typed = type_columns(table, header, where, comma, na_values=na_values, auto_na=auto_na)
    if fmt == "csv":
        base["decimal"] = "," if typed.decimal_comma else "."
    if fmt == "parquet":
        typed.coercions[:0] = coercions
    df = typed.table.to_pandas()
    df.columns = pd.Index(header, dtype=object)
    report = LoadReport(**base, rows_read=len(df), nulls_mapped=typed.nulls,
                        markers=tuple(typed.markers), renamed=renamed,
                        na_values=tuple(na_values), auto_na=auto_na,
                        coercions=tuple(typed.coercions), warnings=tuple(warnings + typed.warnings))
    return df, report


def _sniff(data: bytes) -> tuple[str | None, str]:
    """What the bytes are: (format or None, description), e.g. (None, "a PNG image")."""
    if data.startswith(b"PAR1"):
        return "parquet", "a Parquet file"
    for magic, what in MAGIC_NUMBERS:
        if data.startswith(magic):
            return None, what
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                names = set(zf.namelist())
        except zipfile.BadZipFile:
            return "damaged-zip", "a damaged ZIP archive"
        return next(((kind, what) for part, kind, what in ZIP_KINDS if part in names),
                    (None, "a ZIP archive"))
    return "csv", "a text file"


def _detect_format(data: bytes, name: str) -> str:
    ext = PurePath(name).suffix.lower()
    expected = EXTENSION_FORMATS.get(ext)
    if expected is None:
        raise UserInputError(MSG_UNSUPPORTED_EXTENSION.format(name=name, ext=ext or "(none)"))
    kind, what = _sniff(data)
    if kind == "damaged-zip" and expected == "xlsx":
        raise UserInputError(MSG_XLSX_CORRUPT.format(name=name, reason="the archive is damaged"))
    if kind == expected:
        return expected
    if kind in ("parquet", "xlsx"):
        raise UserInputError(MSG_WRONG_EXTENSION.format(
            name=name, what=what, ext=ext, right=FORMAT_EXTENSIONS[kind]))
    raise UserInputError(MSG_WRONG_CONTENT.format(
        name=name, what=what, expected=FORMAT_LABELS[expected]))
