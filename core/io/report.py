"""What loading found: :class:`LoadReport` (exported by :mod:`core.io`) and :class:`RejectedRow`."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


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
