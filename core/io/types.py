"""Column typing shared by every format behind :func:`core.io.load_table`.

:func:`type_columns` takes string columns (Parquet keeps its own types): null tokens -> null
(counted), all-numeric columns -> numbers, the rest stays text; each step is an Arrow kernel over
the whole column, run once per distinct value.

A column may have its own missing-value markers (census tables write ``N`` for "not applicable"
among incomes). With ``auto_na`` a column is numbers with markers when, after the null tokens,
its values are all numbers except at most ``MAX_MARKERS`` distinct tokens, each one of
``MARKER_TOKENS`` (compared case-insensitively after trimming), that together fill fewer than
half of its values: ``["1200", "N", "300"]`` -> ``[1200.0, None, 300.0]`` with ``N`` x 1
reported. If the rest would stay text anyway (leading zeros, mixed decimal marks), nothing is
mapped.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from core.io import messages as msg
from core.io.report import Marker

NULL_TOKENS = ("", "?", "-", "NA", "N/A", "n/a", "NaN", "nan", "null", "NULL", "None", "#N/A")
# Per-column markers: the short tokens agencies write for "not available / not applicable /
# suppressed" in numeric columns. Words that could be a real category ("S", "D", "Z") are left out.
MARKER_TOKENS = (
    "N", "X", ".", "..", "...", "*", "**", "-", "--", "\u2013", "\u2014", "NA", "N/A", "N.A.",
    "NaN", "None", "null", "nil", "unknown", "unk", "missing", "not available", "not applicable",
    "(X)", "(NA)", "(D)", "(S)", "#N/A", "n.d.", "NR", "?",
)
MAX_MARKERS = 2  # distinct marker tokens in one column
_MARKER_WORDS = frozenset(t.casefold() for t in MARKER_TOKENS)
MAX_EXACT_DIGITS = 15  # longer whole numbers stay text (float64 keeps 15 digits exactly)
_NUMBER = r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$"
_NUMBER_COMMA = r"^[+-]?(\d+,?\d*|,\d+)([eE][+-]?\d+)?$"
_INFINITE = r"^[+-]?(?i:inf|infinity)$"
_INTEGER = r"^[+-]?\d+$"
_LEADING_ZERO = r"^[+-]?0\d"
_DAY_MONTH = r"^(?P<a>\d{1,2})[/.-](?P<b>\d{1,2})[/.-](?P<y>\d{2}|\d{4})$"
_MONTHS = ("", "January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")


@dataclass
class Typed:
    """Typed columns plus what typing did."""

    table: pa.Table
    nulls: dict[str, int] = field(default_factory=dict)
    coercions: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    decimal_comma: bool = False
    markers: list[Marker] = field(default_factory=list)


def type_columns(
    table: pa.Table,
    header: list[str],
    where: Callable[[int], str],
    decimal_comma: bool,
    *,
    na_values: Sequence[str] = (),
    auto_na: bool = True,
) -> Typed:
    """Type every column from all its values; text columns stay strings.

    Args:
        table: One column per header name; string columns are typed, others kept.
        header: Column names, for the sentences.
        where: Row index -> "line 12" / "row 12", for the sentences.
        decimal_comma: Whether "3,14" may be read as 3.14 (the delimiter is not a comma).
        na_values: More tokens read as null in every column, besides ``NULL_TOKENS``.
        auto_na: Whether to look for each column's own markers (see the module docstring).
    """
    typed = Typed(table)
    tokens = pa.array(sorted({*NULL_TOKENS, *(t.strip() for t in na_values)}), pa.string())
    columns, numeric = [], []
    for name, col in zip(header, table.columns, strict=True):
        if pa.types.is_string(col.type):
            d = _Distinct(col.combine_chunks(), tokens)
            col = _type_text(d, name, where, decimal_comma, typed, auto_na)
        elif pa.types.is_floating(col.type):
            d = _Distinct(col.combine_chunks())
            col = _drop_infinite(d, d.raw, name, typed)
        if pa.types.is_integer(col.type) or pa.types.is_floating(col.type):
            numeric.append(f"'{name}'")
        if len(col) and col.null_count == len(col):
            typed.warnings.append(msg.WARN_ALL_NULL.format(column=name))
        elif len(col) > 1 and col.null_count == 0 and pc.count_distinct(col).as_py() == 1:
            value = _short(str(col[0].as_py()))
            typed.warnings.append(msg.WARN_CONSTANT.format(column=name, value=value))
        columns.append(col)
    if numeric:
        shown = ", ".join(numeric[:10]) + (f" and {len(numeric) - 10:,} more" * (len(numeric) > 10))
        typed.coercions.insert(0, msg.NOTE_NUMBERS.format(
            count=len(numeric), total=len(header), columns=shown))
    typed.table = pa.table({f"f{j}": c for j, c in enumerate(columns)})
    return typed


class _Distinct:
    """A column as its distinct values plus, per row, which one.

    Checks run once per distinct value (Adult's 'workclass' has 9), then ``first``/``take`` map
    the answers back to rows.
    """

    def __init__(self, col: pa.Array, null_tokens: pa.Array | None = None) -> None:
        encoded = pc.dictionary_encode(col)
        self.col, self.indices, self.raw = col, encoded.indices, encoded.dictionary
        self.words = pc.utf8_trim_whitespace(pc.cast(self.raw, pa.string()))
        self.rows = pc.fill_null(self.indices, len(self.raw)).to_numpy()  # null -> extra slot
        self.counts = np.bincount(self.rows, minlength=len(self.raw) + 1)[:-1]
        self.valid = np.ones(len(self.raw), dtype=bool)  # not a null token
        if pa.types.is_string(col.type):
            tokens = pa.array(NULL_TOKENS) if null_tokens is None else null_tokens
            self.valid = ~_flags(pc.is_in(self.words, value_set=tokens))

    def match(self, pattern: str) -> np.ndarray:
        """Per distinct value: does its trimmed text match ``pattern`` (and is it no null token)?"""
        return _flags(pc.match_substring_regex(self.words, pattern)) & self.valid

    def rows_of(self, entries: np.ndarray) -> int:
        """How many rows hold one of ``entries``."""
        return int(self.counts[entries].sum())

    def first(self, entries: np.ndarray) -> int:
        """Row index of the first row holding one of ``entries``."""
        return int(np.argmax(np.append(entries, False)[self.rows]))

    def take(self, per_entry: pa.Array) -> pa.Array:
        """Per-distinct-value answers -> one per row (null rows stay null)."""
        return pc.take(per_entry, self.indices)


def _type_text(
    d: _Distinct, name: str, where: Callable[[int], str], comma: bool, typed: Typed, auto_na: bool
) -> pa.Array:
    """Null tokens -> null; the column's own markers -> null if that makes it numbers; then type."""
    for e in np.flatnonzero(~d.valid):
        token = d.words[int(e)].as_py()
        typed.nulls[token] = typed.nulls.get(token, 0) + int(d.counts[e])
    markers = _markers(d, comma) if auto_na else None
    if markers is not None:
        trial, valid = Typed(typed.table), d.valid
        d.valid = valid & ~markers
        col = _type_values(d, name, where, comma, trial)
        if pa.types.is_integer(col.type) or pa.types.is_floating(col.type):
            found: dict[str, int] = {}
            for e in np.flatnonzero(markers):
                word = d.words[int(e)].as_py()
                found[word] = found.get(word, 0) + int(d.counts[e])
            typed.markers.extend(Marker(name, w, n) for w, n in found.items())
            typed.coercions.extend(trial.coercions)
            typed.warnings.extend(trial.warnings)
            for label, n in trial.nulls.items():
                typed.nulls[label] = typed.nulls.get(label, 0) + n
            typed.decimal_comma = typed.decimal_comma or trial.decimal_comma
            return col
        d.valid = valid  # it stays text: keep the markers as written
    return _type_values(d, name, where, comma, typed)


def _markers(d: _Distinct, comma: bool) -> np.ndarray | None:
    """Per distinct value: is it one of the column's own markers? None when there are none.

    The non-numbers must be at most ``MAX_MARKERS`` distinct ``MARKER_TOKENS`` filling fewer
    than half of the non-null values.
    """
    number = d.match(_NUMBER) | d.match(_INFINITE)
    if comma:
        number |= d.match(_NUMBER_COMMA)
    other = d.valid & ~number
    if not other.any() or 2 * d.rows_of(other) >= d.rows_of(d.valid):
        return None
    words = {d.words[int(e)].as_py() for e in np.flatnonzero(other)}
    if len(words) > MAX_MARKERS or any(w.casefold() not in _MARKER_WORDS for w in words):
        return None
    return other


def _type_values(
    d: _Distinct, name: str, where: Callable[[int], str], comma: bool, typed: Typed
) -> pa.Array:
    """All non-null values numbers -> int64/float64; otherwise text, saying why if mixed."""
    text = d.col if d.valid.all() else d.take(
        pc.if_else(pa.array(d.valid), d.raw, pa.scalar(None, pa.string())))
    values = d.rows_of(d.valid)
    infinite = d.match(_INFINITE)
    number = d.match(_NUMBER) | infinite
    has_comma = d.match(",")
    if comma and values and has_comma.any() and d.rows_of(d.match(_NUMBER_COMMA) | infinite) == (
            values):
        converted = _to_number(d, pc.replace_substring(d.words, ",", "."), name, where, typed)
        if converted is None:
            return text
        typed.decimal_comma = True
        e = int(np.argmax(has_comma))
        typed.coercions.append(msg.NOTE_DECIMAL_COMMA.format(
            column=name, value=d.words[e].as_py(), number=converted[d.first(has_comma)].as_py()))
        return converted
    if values and d.rows_of(number) == values:
        converted = _to_number(d, d.words, name, where, typed)
        return text if converted is None else converted
    if d.rows_of(number):
        i = d.first(d.valid & ~number)
        typed.coercions.append(msg.NOTE_MIXED.format(
            column=name, where=where(i), value=_short(text[i].as_py()), numbers=d.rows_of(number),
            values=values))
    _ambiguous_dates(d, name, typed)
    return text


def _to_number(
    d: _Distinct, words: pa.Array, name: str, where: Callable[[int], str], typed: Typed
) -> pa.Array | None:
    """Cast number-shaped text (dot decimals by now) to int64/float64.

    Returns None when it must stay text (leading zeros, whole numbers too long for float64),
    with a sentence saying why.
    """
    integer = d.match(_INTEGER)
    digits = pc.utf8_length(pc.replace_substring_regex(d.words, r"^[+-]", "")).to_numpy()
    for entries, note in ((d.match(_LEADING_ZERO), msg.NOTE_LEADING_ZEROS),
                          (integer & (digits > MAX_EXACT_DIGITS), msg.NOTE_LONG_INTEGERS)):
        if entries.any():
            i = d.first(entries)
            typed.coercions.append(note.format(
                column=name, where=where(i), value=d.words[int(np.argmax(entries))].as_py()))
            return None
    words = pc.if_else(pa.array(d.valid), words, pa.scalar(None, pa.string()))
    if (integer == d.valid).all() and d.rows_of(d.valid) == len(d.rows):  # no nulls at all
        return d.take(pc.cast(pc.replace_substring_regex(words, r"^\+", ""), pa.int64()))
    return _drop_infinite(d, pc.cast(words, pa.float64()), name, typed)


def _drop_infinite(d: _Distinct, floats: pa.Array, name: str, typed: Typed) -> pa.Array:
    """inf/-inf -> null, counted under their text ("inf", "-Infinity", "1e400"), with a warning.

    ``floats`` holds the value of each of ``d``'s distinct entries; returns one value per row.
    """
    infinite = _flags(pc.fill_null(pc.is_inf(floats), False))
    if infinite.any():
        found = {d.words[int(e)].as_py(): int(d.counts[e]) for e in np.flatnonzero(infinite)}
        for label, n in found.items():
            typed.nulls[label] = typed.nulls.get(label, 0) + n
        typed.warnings.append(msg.WARN_INFINITE.format(
            column=name, count=sum(found.values()), values=", ".join(f"'{v}'" for v in found)))
        floats = pc.if_else(pa.array(~infinite), floats, pa.scalar(None, floats.type))
    return d.take(floats)


def _flags(mask: pa.Array) -> np.ndarray:
    return mask.to_numpy(zero_copy_only=False).astype(bool)


def _ambiguous_dates(d: _Distinct, name: str, typed: Typed) -> None:
    """Warn when every value looks like 03/04/2020 and both day/month orders are valid."""
    shaped = d.match(_DAY_MONTH)
    if not d.valid.any() or (shaped != d.valid).any():
        return
    parts = pc.extract_regex(pc.filter(d.words, pa.array(shaped)), _DAY_MONTH)
    a = pc.cast(pc.struct_field(parts, "a"), pa.int64()).to_numpy()
    b = pc.cast(pc.struct_field(parts, "b"), pa.int64()).to_numpy()
    if min(a.min(), b.min()) < 1 or max(a.max(), b.max()) > 12 or (a == b).all():
        return
    k = int(np.argmax(a != b))
    typed.warnings.append(msg.WARN_AMBIGUOUS_DATES.format(
        column=name, value=pc.filter(d.words, pa.array(shaped))[k].as_py(),
        day_first=f"{a[k]} {_MONTHS[b[k]]}", month_first=f"{_MONTHS[a[k]]} {b[k]}"))


def _short(value: str, limit: int = 50) -> str:
    return value if len(value) <= limit else value[: limit - 3] + "..."
