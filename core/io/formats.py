"""Excel (.xlsx) and Parquet readers behind :func:`core.io.load_table`.

An .xlsx is checked for zip bombs from its declared sizes, then one sheet is read as text columns,
as a CSV export would hold them. A Parquet file keeps its own types; its limits are checked from
the footer before any data is read.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Callable
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from core.config import Limits
from core.errors import UserInputError
from core.io.limits import MIB, check_shape, join_numbers
from core.io.messages import (
    MSG_EMPTY,
    MSG_EMPTY_SHEET,
    MSG_NO_SHEET,
    MSG_PARQUET_CORRUPT,
    MSG_PARQUET_TYPES,
    MSG_TOO_MANY_COLUMNS,
    MSG_TOO_MANY_ROWS,
    MSG_XLSX_BOMB,
    MSG_XLSX_CORRUPT,
    NOTE_DECIMAL_TYPE,
    WARN_EMPTY_ROWS,
    WARN_SHEETS,
)

XLSX_MAX_EXPANSION = 10  # uncompressed parts may total at most 10 x the file size limit
XLSX_MAX_RATIO = 100  # a part over 1 MiB may expand at most 100 times (XML sheets: ~5-30)


def _check_zip_bomb(zf: zipfile.ZipFile, name: str, limits: Limits) -> None:
    """Refuse archives whose declared sizes say they would blow up (zipfile stops at them)."""
    infos = zf.infolist()
    total = sum(i.file_size for i in infos)
    big = max(infos, key=lambda i: i.file_size / max(i.compress_size, 1))
    ratio = big.file_size / max(big.compress_size, 1)
    if total > limits.max_file_bytes * XLSX_MAX_EXPANSION or (
        big.file_size > MIB and ratio > XLSX_MAX_RATIO
    ):
        raise UserInputError(MSG_XLSX_BOMB.format(
            name=name, size_mb=total / MIB, member=big.filename, ratio=ratio,
            limit_mb=limits.max_file_mb * XLSX_MAX_EXPANSION, max_ratio=XLSX_MAX_RATIO))


def read_xlsx(
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
        warnings.append(WARN_EMPTY_ROWS.format(count=len(skipped), rows=join_numbers(skipped[:5])))
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


def read_parquet(data: bytes, name: str, limits: Limits) -> tuple[list[str], pa.Table, list[str]]:
    """The file as an Arrow table; limits are checked from the footer before any data is read."""
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
