"""Load a user's table (CSV, Parquet or Excel) and report everything inferred or changed on the way.

``load_table(data, file_name)`` -> ``(DataFrame, LoadReport)``. The format comes from the bytes
(magic numbers; an .xlsx is a zip holding ``xl/workbook.xml``) checked against the extension, so a
PNG renamed ``x.csv`` is refused by name. Limits are checked before anything big is built. Every
column arrives as text (Parquet keeps its own types) and is typed from all its values at once by
:mod:`core.io_csv`; values mapped to null, coercions and doubts are all listed in the report.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import zipfile
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path, PurePath
from typing import Any

import pandas as pd
import pyarrow as pa

from core.config import Limits
from core.errors import UserInputError

MSG_FILE_TOO_LARGE = (
    "'{name}' is {size_mb:,.1f} MB; the limit is {limit_mb:,} MB. Load a smaller file (a sample "
    "of the rows), or raise the limit with SYNTHREVIEW_MAX_FILE_MB."
)
MSG_NOT_FOUND = "There is no file at '{path}'. Check the path and try again."
MSG_EMPTY = (
    "The file '{name}' is empty. Choose a file with a header line and at least one data row."
)
MSG_HEADER_ONLY = (
    "The file '{name}' has a header but no data rows. Add at least one data row below the header."
)
MSG_WRONG_CONTENT = (
    "'{name}' is {what}, not a {expected} file. Export the table as CSV, Parquet or Excel (.xlsx)."
)
MSG_WRONG_EXTENSION = (
    "'{name}' is {what}, but its name ends in '{ext}'. Rename it to end in '{right}' and load it "
    "again."
)
MSG_UNSUPPORTED_EXTENSION = (
    "'{name}' has the extension '{ext}', which synthreview cannot read. Export the table as CSV, "
    "Parquet or Excel (.xlsx)."
)
MSG_BAD_UTF8 = (
    "'{name}' is UTF-8 text, but line {line:,} has bytes that are not valid UTF-8 (the first is "
    "0x{byte:02X}; {count:,} invalid sequence(s) in all). Re-save the file as UTF-8 and load it "
    "again."
)
MSG_UNDECODABLE = (
    "'{name}' starts like {encoding} text but cannot be decoded (byte {pos:,} is invalid). "
    "Re-save the file as UTF-8 and load it again."
)
MSG_UNCLOSED_QUOTE = (
    "'{name}' has a quote (\") opened on line {line:,} that is never closed, so the rest of the "
    "file would be read as one value. Close or remove that quote and load the file again."
)
MSG_ALL_REJECTED = (
    "None of the {count:,} data lines in '{name}' has the {expected:,} fields of the header line; "
    "line {line:,} has {found:,}. Check the header line and the delimiter."
)
MSG_CSV_UNREADABLE = "'{name}' could not be read as CSV ({detail}). Check that it is a CSV file."
MSG_TOO_MANY_ROWS = (
    "'{name}' has {rows:,} data rows; the limit is {limit:,}. Load a sample of the rows, or raise "
    "the limit with SYNTHREVIEW_MAX_ROWS."
)
MSG_TOO_MANY_COLUMNS = (
    "'{name}' has {columns:,} columns; the limit is {limit:,}. Keep only the columns you need, or "
    "raise the limit with SYNTHREVIEW_MAX_COLUMNS."
)
MSG_TOO_MANY_CELLS = (
    "'{name}' has {rows:,} rows x {columns:,} columns = {cells:,} cells; the limit is {limit:,}. "
    "Load fewer rows or columns, or raise the limit with SYNTHREVIEW_MAX_CELLS."
)
MSG_NAME_TOO_LONG = (
    "Column {position}'s name is {length:,} characters long; the limit is {limit:,}. Shorten it."
)
MSG_BLANK_NAMES = "These columns have no name: {positions}. Give every column a name in the header."
MSG_DUPLICATE_NAMES = (
    "These column names appear more than once: {duplicates}. Rename them so that every name is "
    "unique."
)
MSG_HEADER_PROBLEMS = "The header of '{name}' has {count} problems. Fix them and load it again."
MSG_PARQUET_CORRUPT = (
    "'{name}' is not a readable Parquet file ({reason}). Export it again, or export the table as "
    "CSV."
)
MSG_PARQUET_TYPES = (
    "These columns hold nested or binary values that synthreview cannot use: {columns}. Drop or "
    "flatten them and export the file again."
)
MSG_XLSX_CORRUPT = (
    "'{name}' is not a readable Excel file ({reason}). Open it in Excel and save it again, or "
    "export the table as CSV."
)
MSG_XLSX_BOMB = (
    "'{name}' is not safe to open: it would expand to {size_mb:,.1f} MB, and its part '{member}' "
    "expands {ratio:,.0f} times (limits: {limit_mb:,} MB in all, {max_ratio:,} times for a part "
    "over 1 MB). Export the sheet as CSV instead."
)
MSG_NO_SHEET = "'{name}' has no sheet called '{sheet}'. Its sheets are: {sheets}."
MSG_EMPTY_SHEET = "Sheet '{sheet}' in '{name}' is empty. Choose another sheet: {sheets}."

REASON_FIELDS = "expected {expected:,} fields, found {found:,}"
NOTE_NUMBERS = "Read {count:,} of {total:,} columns as numbers: {columns}."
NOTE_DECIMAL_COMMA = (
    "Column '{column}' read as numbers with a decimal comma ('{value}' -> {number})."
)
NOTE_MIXED = (
    "Column '{column}' read as text because {where} has '{value}' ({numbers:,} of {values:,} "
    "values are numbers)."
)
NOTE_LEADING_ZEROS = "Column '{column}' read as text to keep leading zeros ({where} has '{value}')."
NOTE_LONG_INTEGERS = (
    "Column '{column}' read as text because {where} has '{value}', a whole number too long to "
    "keep exactly as a number."
)
NOTE_DECIMAL_TYPE = "Column '{column}' read as floating-point numbers (it is {type} in the file)."
WARN_NUL = "Removed {count:,} NUL characters (\\x00) from the file, on line(s) {lines}."
WARN_BLANK_LINES = "Skipped {count:,} blank line(s) inside the data: line(s) {lines}."
WARN_REJECTED = (
    "Rejected {count:,} of {total:,} data lines because they do not have the {expected:,} fields "
    "of the header line: line(s) {lines}. The other {kept:,} were loaded."
)
WARN_INFINITE = (
    "Column '{column}' had {count:,} infinite values ({values}); they were mapped to null."
)
WARN_ALL_NULL = "Column '{column}' is empty: every value is null."
WARN_CONSTANT = "Column '{column}' has only one value, '{value}'; it carries no information."
WARN_AMBIGUOUS_DATES = (
    "Column '{column}' holds dates such as '{value}' that read as {day_first} (day first) or "
    "{month_first} (month first); nothing was changed. Choose the order in the schema step."
)
WARN_SHEETS = "Read sheet '{sheet}'; the workbook has {count} sheets: {sheets}."
WARN_EMPTY_ROWS = "Skipped {count:,} empty row(s) inside the sheet: row(s) {rows}."

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
XLSX_MAX_EXPANSION = 10  # uncompressed parts may total at most 10 x the file size limit
XLSX_MAX_RATIO = 100  # a part over 1 MiB may expand at most 100 times (XML sheets: ~5-30)
_MIB = 1024 * 1024


@dataclass(frozen=True)
class RejectedRow:
    """A CSV record that was not loaded.

    Attributes:
        line: 1-based physical line where the record starts (the header is line 1).
        reason: Why it was rejected, e.g. "expected 15 fields, found 17".
        text: The raw record, truncated to 200 characters.
    """

    line: int
    reason: str
    text: str


@dataclass(frozen=True)
class LoadReport:
    r"""What was read, inferred, mapped to null or coerced while loading one file.

    Attributes:
        file_name: Display name only (never used as a path).
        file_format: "csv", "parquet" or "xlsx".
        size_bytes: Size of the file.
        encoding: CSV text encoding, e.g. "utf-8", "utf-8-sig", "utf-16", "cp1252".
        delimiter: CSV field delimiter: "," ";" "\t" or "|".
        decimal: CSV decimal mark: "," when any column was read with a decimal comma, else ".".
        sheet: xlsx: the sheet read.
        sheets: xlsx: every sheet name.
        data_lines: CSV: data records in the file (not the header or blank lines);
            always ``rows_read + rows_rejected``.
        rows_read: Rows in the returned table.
        rows_rejected: CSV records refused for having the wrong number of fields.
        rejected: The first 100 rejected records.
        nulls_mapped: Token -> cells mapped to null, e.g. ``{"?": 4262, "": 10}`` (tokens are
            compared after trimming whitespace, so whitespace-only cells count under "").
        coercions: Plain sentences on how columns were typed.
        warnings: Plain sentences on anything doubtful (constant or empty columns, ...).
    """

    file_name: str
    file_format: str
    size_bytes: int
    encoding: str | None = None
    delimiter: str | None = None
    decimal: str | None = None
    sheet: str | None = None
    sheets: tuple[str, ...] = ()
    data_lines: int | None = None
    rows_read: int = 0
    rows_rejected: int = 0
    rejected: tuple[RejectedRow, ...] = ()
    nulls_mapped: dict[str, int] = field(default_factory=dict)
    coercions: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (tuples become lists); ``from_dict`` reverses it."""
        d = asdict(self)
        for key in ("sheets", "rejected", "coercions", "warnings"):
            d[key] = list(d[key])
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> LoadReport:
        """Rebuild a report from ``to_dict`` output."""
        values = dict(d)
        values["rejected"] = tuple(RejectedRow(**r) for r in d.get("rejected", ()))
        for key in ("sheets", "coercions", "warnings"):
            values[key] = tuple(d.get(key, ()))
        values["nulls_mapped"] = dict(d.get("nulls_mapped", {}))
        return cls(**values)


def load_path(
    path: str | os.PathLike[str], limits: Limits | None = None, sheet: str | None = None
) -> tuple[pd.DataFrame, LoadReport]:
    """Load a file from disk: its size is checked before it is read. See :func:`load_table`."""
    limits = limits or Limits.from_env()
    p = Path(path)
    if not p.is_file():
        raise UserInputError(MSG_NOT_FOUND.format(path=path))
    size = p.stat().st_size
    if size > limits.max_file_bytes:
        raise UserInputError(_too_large(p.name, size, limits))
    return load_table(p.read_bytes(), p.name, limits, sheet)


def load_table(
    data: bytes, file_name: str, limits: Limits | None = None, sheet: str | None = None
) -> tuple[pd.DataFrame, LoadReport]:
    """Read a CSV, Parquet or Excel file into a DataFrame and say what was inferred.

    Column names are kept exactly as written. Null tokens ("", "?", "NA", "N/A", "null", ...)
    become null and are counted; a column whose values all parse as numbers becomes numeric
    (inf/-inf become null with a warning); everything else stays text (object dtype). Dates are
    not parsed here; ambiguous day/month columns get a warning.

    Args:
        data: The file's bytes.
        file_name: Display name; its extension must agree with the content.
        limits: Size limits; defaults to ``Limits.from_env()``.
        sheet: xlsx only: the sheet to read (default: the first non-empty one).

    Returns:
        The table and its :class:`LoadReport`.

    Raises:
        UserInputError: The file is empty, too large, of the wrong kind, damaged, or its header or
            content cannot be used. The message says what is wrong and how to fix it.
    """
    from core import io_csv  # io_csv imports this module's templates

    limits = limits or Limits.from_env()
    if len(data) > limits.max_file_bytes:
        raise UserInputError(_too_large(file_name, len(data), limits))
    if not data:
        raise UserInputError(MSG_EMPTY.format(name=file_name))
    fmt = _detect_format(data, file_name)
    base: dict[str, Any] = {"file_name": file_name, "file_format": fmt, "size_bytes": len(data)}
    if fmt == "csv":
        plan = io_csv.prepare_csv(data, file_name)
        header, rows = plan.header, len(plan.record_lines) - 1  # rows: exact or an upper bound
        if rows > limits.max_rows or rows * len(header) > limits.max_cells:
            io_csv.exact_records(plan, file_name)  # refuse on the true count, still unparsed
        check_shape(file_name, header, len(plan.record_lines) - 1, limits)
        parsed = io_csv.parse_csv(plan, file_name)
        base.update(encoding=plan.encoding, delimiter=plan.delimiter, data_lines=parsed.data_lines,
                    rows_rejected=parsed.rows_rejected, rejected=parsed.rejected)
        warnings = parsed.warnings
        typed = io_csv.type_columns(parsed.table, header, parsed.where, plan.delimiter != ",")
        base["decimal"] = "," if typed.decimal_comma else "."
    elif fmt == "xlsx":
        header, table, where, base["sheet"], base["sheets"], warnings = _read_xlsx(
            data, file_name, limits, sheet)
        typed = io_csv.type_columns(table, header, where, False)
    else:
        header, table, coercions = _read_parquet(data, file_name, limits)
        typed = io_csv.type_columns(table, header, lambda i: f"row {i + 1:,}", False)
        typed.coercions[:0] = coercions
        warnings = []
    df = typed.table.to_pandas()
    df.columns = pd.Index(header, dtype=object)
    report = LoadReport(**base, rows_read=len(df), nulls_mapped=typed.nulls,
                        coercions=tuple(typed.coercions), warnings=tuple(warnings + typed.warnings))
    return df, report


def check_shape(name: str, header: list[str], rows: int, limits: Limits) -> None:
    """Refuse bad column names and tables over the limits, before the table is built.

    Raises:
        UserInputError: Too many rows, columns or cells; no data rows; or names that are too long,
            blank or duplicated (every name problem is listed).
    """
    if len(header) > limits.max_columns:
        raise UserInputError(
            MSG_TOO_MANY_COLUMNS.format(name=name, columns=len(header), limit=limits.max_columns))
    problems = [
        MSG_NAME_TOO_LONG.format(position=i, length=len(h), limit=limits.max_column_name_chars)
        for i, h in enumerate(header, 1) if len(h) > limits.max_column_name_chars
    ]
    blanks = [str(i) for i, h in enumerate(header, 1) if not h.strip()]
    if blanks:
        problems.append(MSG_BLANK_NAMES.format(positions=", ".join(blanks)))
    positions: dict[str, list[int]] = {}
    for i, h in enumerate(header, 1):
        positions.setdefault(h, []).append(i)
    dups = [f"'{h}' (columns {_join(p)})" for h, p in positions.items() if len(p) > 1 and h.strip()]
    if dups:
        problems.append(MSG_DUPLICATE_NAMES.format(duplicates=", ".join(dups)))
    if len(problems) == 1:
        raise UserInputError(problems[0])
    if problems:
        raise UserInputError(MSG_HEADER_PROBLEMS.format(name=name, count=len(problems)), problems)
    if rows > limits.max_rows:
        raise UserInputError(MSG_TOO_MANY_ROWS.format(name=name, rows=rows, limit=limits.max_rows))
    if rows * len(header) > limits.max_cells:
        raise UserInputError(MSG_TOO_MANY_CELLS.format(
            name=name, rows=rows, columns=len(header), cells=rows * len(header),
            limit=limits.max_cells))
    if rows == 0:
        raise UserInputError(MSG_HEADER_ONLY.format(name=name))


def _join(numbers: list[int]) -> str:
    """[1, 3] -> "1 and 3"; [2, 4, 6] -> "2, 4 and 6"."""
    text = [f"{n:,}" for n in numbers]
    return text[0] if len(text) == 1 else ", ".join(text[:-1]) + " and " + text[-1]


def _too_large(name: str, size: int, limits: Limits) -> str:
    return MSG_FILE_TOO_LARGE.format(name=name, size_mb=size / _MIB, limit_mb=limits.max_file_mb)


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


def _check_zip_bomb(zf: zipfile.ZipFile, name: str, limits: Limits) -> None:
    """Refuse archives whose declared sizes say they would blow up (zipfile stops at them)."""
    infos = zf.infolist()
    total = sum(i.file_size for i in infos)
    big = max(infos, key=lambda i: i.file_size / max(i.compress_size, 1))
    ratio = big.file_size / max(big.compress_size, 1)
    if total > limits.max_file_bytes * XLSX_MAX_EXPANSION or (
        big.file_size > _MIB and ratio > XLSX_MAX_RATIO
    ):
        raise UserInputError(MSG_XLSX_BOMB.format(
            name=name, size_mb=total / _MIB, member=big.filename, ratio=ratio,
            limit_mb=limits.max_file_mb * XLSX_MAX_EXPANSION, max_ratio=XLSX_MAX_RATIO))


def _read_xlsx(
    data: bytes, name: str, limits: Limits, sheet: str | None
) -> tuple[list[str], pa.Table, Callable[[int], str], str, tuple[str, ...], list[str]]:
    """The chosen sheet as text columns: (header, table, where, sheet, sheets, warnings)."""
    import openpyxl  # slow to import; only workbooks need it

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            _check_zip_bomb(zf, name, limits)
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except UserInputError:
        raise
    except Exception as exc:  # openpyxl raises many types on malformed parts
        raise UserInputError(MSG_XLSX_CORRUPT.format(
            name=name, reason="its workbook parts are damaged")) from exc
    try:
        sheets = tuple(wb.sheetnames)
        listed = ", ".join(f"'{s}'" for s in sheets)
        if sheet is not None and sheet not in sheets:
            raise UserInputError(MSG_NO_SHEET.format(name=name, sheet=sheet, sheets=listed))
        for candidate in [sheet] if sheet is not None else sheets:
            ws = wb[candidate]
            rows = _sheet_rows(ws, name, limits) if hasattr(ws, "iter_rows") else []
            if rows:
                break
        else:
            if sheet is not None:
                raise UserInputError(MSG_EMPTY_SHEET.format(name=name, sheet=sheet, sheets=listed))
            raise UserInputError(MSG_EMPTY.format(name=name))
    except UserInputError:
        raise
    except Exception as exc:
        raise UserInputError(MSG_XLSX_CORRUPT.format(
            name=name, reason="a sheet is damaged")) from exc
    finally:
        wb.close()
    width = max(len(values) for _, values in rows)
    header = [_cell_text(v) or "" for v in rows[0][1] + (None,) * (width - len(rows[0][1]))]
    body = [values + (None,) * (width - len(values)) for _, values in rows[1:]]
    check_shape(name, header, len(body), limits)
    table = pa.table({f"f{j}": pa.array([_cell_text(r[j]) for r in body], pa.string())
                      for j in range(width)})
    numbers = [n for n, _ in rows[1:]]
    warnings = []
    if len(sheets) > 1:
        warnings.append(WARN_SHEETS.format(sheet=candidate, count=len(sheets), sheets=listed))
    skipped = sorted(set(range(rows[0][0] + 1, numbers[-1])) - set(numbers))
    if skipped:
        warnings.append(WARN_EMPTY_ROWS.format(count=len(skipped), rows=_join(skipped[:5])))
    return header, table, lambda i: f"row {numbers[i]:,}", candidate, sheets, warnings


def _sheet_rows(ws: Any, name: str, limits: Limits) -> list[tuple[int, tuple[Any, ...]]]:
    """Non-empty rows as (sheet row number, values without trailing empty cells)."""
    rows = []
    for number, values in enumerate(ws.iter_rows(values_only=True), 1):
        end = len(values)
        while end and (values[end - 1] is None or values[end - 1] == ""):
            end -= 1
        if end:
            rows.append((number, tuple(values[:end])))
            if end > limits.max_columns:
                raise UserInputError(MSG_TOO_MANY_COLUMNS.format(
                    name=name, columns=end, limit=limits.max_columns))
            if len(rows) - 1 > limits.max_rows:  # refuse as soon as the count is certain
                raise UserInputError(MSG_TOO_MANY_ROWS.format(
                    name=name, rows=len(rows) - 1, limit=limits.max_rows))
    return rows


def _cell_text(value: Any) -> str | None:
    """An Excel cell as the text a CSV export would hold: 39 -> "39", a datetime -> ISO text."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)


def _read_parquet(data: bytes, name: str, limits: Limits) -> tuple[list[str], pa.Table, list[str]]:
    """The file as an Arrow table; limits are checked from the footer before any data is read."""
    import pyarrow.parquet as pq

    try:
        pf = pq.ParquetFile(pa.BufferReader(data))
    except (pa.ArrowException, OSError) as exc:
        raise UserInputError(MSG_PARQUET_CORRUPT.format(
            name=name, reason="its footer is damaged")) from exc
    schema = pf.schema_arrow
    header = list(schema.names)
    check_shape(name, header, pf.metadata.num_rows, limits)
    nested = [f"'{f.name}' ({f.type})" for f in schema
              if pa.types.is_nested(f.type) or pa.types.is_binary(f.type)
              or pa.types.is_large_binary(f.type) or pa.types.is_fixed_size_binary(f.type)]
    if nested:
        raise UserInputError(MSG_PARQUET_TYPES.format(columns=", ".join(nested)))
    try:
        table = pf.read()
    except (pa.ArrowException, OSError) as exc:
        raise UserInputError(MSG_PARQUET_CORRUPT.format(
            name=name, reason="its data pages are damaged")) from exc
    columns, coercions = [], []
    for f, col in zip(schema, table.columns, strict=True):
        if pa.types.is_dictionary(f.type):
            col = col.cast(f.type.value_type)
        if pa.types.is_decimal(f.type):
            col = col.cast(pa.float64())
            coercions.append(NOTE_DECIMAL_TYPE.format(column=f.name, type=f.type))
        if pa.types.is_large_string(col.type):
            col = col.cast(pa.string())
        columns.append(col)
    table = pa.table({f"f{j}": c for j, c in enumerate(columns)})
    return header, table, coercions
