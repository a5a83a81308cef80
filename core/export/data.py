"""Exports of synthetic data that are safe to open in a spreadsheet.

A cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return would be run as a
formula by Excel or LibreOffice (CSV injection). Such text cells, and such column names, get a
leading apostrophe, which spreadsheets show as text (OWASP's advice).
"""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd

from core.errors import UserInputError

FORMATS = ("csv", "parquet")
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
MSG_BAD_FORMAT = "Export format must be one of {valid}; got {value!r}."


def _neutralize_text(value: object) -> object:
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def neutralize_formulas(df: pd.DataFrame) -> pd.DataFrame:
    """A copy where text cells and column names that a spreadsheet would run are made inert.

    Example: ``"=1+1"`` -> ``"'=1+1"``; ``-3.5`` stored as a number stays a number.
    """
    out = df.copy()
    for col in out.columns:
        s = out[col]
        if s.dtype == object or pd.api.types.is_string_dtype(s):
            out[col] = s.map(_neutralize_text)
    out.columns = [_neutralize_text(str(c)) for c in out.columns]
    return out


def export_bytes(df: pd.DataFrame, fmt: str) -> bytes:
    """The table as CSV (UTF-8) or Parquet bytes, formulas neutralised."""
    if fmt not in FORMATS:
        raise UserInputError(MSG_BAD_FORMAT.format(valid=", ".join(FORMATS), value=fmt))
    safe = neutralize_formulas(df)
    if fmt == "csv":
        # CRLF line ends (RFC 4180) make the csv writer quote cells holding a lone \r too.
        return safe.to_csv(index=False, lineterminator="\r\n").encode("utf-8")
    buf = io.BytesIO()
    safe.to_parquet(buf, index=False)
    return buf.getvalue()


def export_file(df: pd.DataFrame, fmt: str, path: str | Path) -> Path:
    """Write :func:`export_bytes` to ``path``."""
    path = Path(path)
    data = export_bytes(df, fmt)
    path.write_bytes(data)
    return path
