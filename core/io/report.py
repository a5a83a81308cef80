"""What loading found: :class:`LoadReport` (exported by :mod:`core.io`) and its parts.

The parts: :class:`RejectedRow`, :class:`Rename` (a blank or repeated column name) and
:class:`Marker` (a column's own missing-value token).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from core.io import messages as msg


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
class Rename:
    """A column whose name, as written, was blank or already taken, and what it is called now.

    Attributes:
        position: 1-based column position in the file.
        original: The name as written ("" when blank).
        name: The name it was given, e.g. "decile_score_2" or "column_7".
        reason: "duplicate" or "blank".
    """

    position: int
    original: str
    name: str
    reason: str

    def sentence(self) -> str:
        """The rename in plain words, e.g. for the CLI."""
        template = msg.NOTE_RENAMED_BLANK if self.reason == "blank" else msg.NOTE_RENAMED_DUPLICATE
        return template.format(position=self.position, original=self.original, name=self.name)


@dataclass(frozen=True)
class Marker:
    """A column's own missing-value marker, e.g. "N" in a census income column.

    Attributes:
        column: The column (its name after renames).
        token: The marker as written (trimmed), e.g. "N".
        count: Cells holding it; all were mapped to null.
    """

    column: str
    token: str
    count: int

    def sentence(self) -> str:
        """The mapping in plain words, e.g. for the CLI."""
        return msg.NOTE_MARKER.format(column=self.column, token=self.token, count=self.count)


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
        nulls_mapped: Token -> cells mapped to null in every column, e.g. ``{"?": 4262, "": 10}``:
            the built-in null tokens and ``na_values`` (tokens are compared after trimming
            whitespace, so whitespace-only cells count under "").
        markers: Per-column missing-value markers found automatically (not in ``nulls_mapped``).
        renamed: Columns renamed because their name was blank or appeared earlier.
        na_values: Extra tokens the user asked to treat as missing in every column.
        auto_na: Whether per-column markers were looked for.
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
    markers: tuple[Marker, ...] = ()
    renamed: tuple[Rename, ...] = ()
    na_values: tuple[str, ...] = ()
    auto_na: bool = True
    coercions: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (tuples become lists); ``from_dict`` reverses it."""
        d = asdict(self)
        for key in ("sheets", "rejected", "markers", "renamed", "na_values", "coercions",
                    "warnings"):
            d[key] = list(d[key])
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> LoadReport:
        """Rebuild a report from ``to_dict`` output."""
        values = dict(d)
        values["rejected"] = tuple(RejectedRow(**r) for r in d.get("rejected", ()))
        values["markers"] = tuple(Marker(**m) for m in d.get("markers", ()))
        values["renamed"] = tuple(Rename(**r) for r in d.get("renamed", ()))
        for key in ("sheets", "na_values", "coercions", "warnings"):
            values[key] = tuple(d.get(key, ()))
        values["nulls_mapped"] = dict(d.get("nulls_mapped", {}))
        return cls(**values)

    def notes(self) -> list[str]:
        """Every rename and per-column marker as a sentence, renames first."""
        return [r.sentence() for r in self.renamed] + [m.sentence() for m in self.markers]


def report_notes(report: dict[str, Any]) -> list[str]:
    """:meth:`LoadReport.notes` of a stored load report dict (older or partial dicts allowed)."""
    return ([Rename(**r).sentence() for r in report.get("renamed", ())]
            + [Marker(**m).sentence() for m in report.get("markers", ())])
