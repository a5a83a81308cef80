"""CSV text and column typing behind :func:`core.io.load_table`.

A CSV is decoded (BOM, UTF-16, strict UTF-8, else cp1252), its delimiter sniffed from the field
counts of the first records, and tokenised whole by pyarrow into string columns: no chunk-by-chunk
dtype guessing. Physical line numbers come from the raw bytes (vectorised): a record is a
non-blank line, unless a quoted value spans lines; only then does one pass of the stdlib ``csv``
module, which splits records like pyarrow, map each record to the line where it starts.

Every format then goes through :func:`type_columns`: null tokens -> null (counted), all-numeric
columns -> numbers, the rest stays text; each step is an Arrow kernel over the whole column.
"""

from __future__ import annotations

import codecs
import collections
import csv
import io
import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from core import io as api  # message templates and RejectedRow live in the public module
from core.errors import UserInputError

DELIMITERS = (",", ";", "\t", "|")  # ties go to the earlier one
NULL_TOKENS = ("", "?", "-", "NA", "N/A", "n/a", "NaN", "nan", "null", "NULL", "None", "#N/A")
MAX_REJECTED_EXAMPLES = 100
SNIFF_CHARS = 65_536
SNIFF_RECORDS = 50
BLOCK_SIZE = 1 << 24  # pyarrow block; one record may not exceed it
BINARY_NUL_PERCENT = 10  # more NULs than this share of the text: a binary file, not a CSV
MAX_EXACT_DIGITS = 15  # longer whole numbers stay text (float64 keeps 15 digits exactly)
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_NUMBER = r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$"
_NUMBER_COMMA = r"^[+-]?(\d+,?\d*|,\d+)([eE][+-]?\d+)?$"
_INFINITE = r"^[+-]?(?i:inf|infinity)$"
_INTEGER = r"^[+-]?\d+$"
_LEADING_ZERO = r"^[+-]?0\d"
_DAY_MONTH = r"^(?P<a>\d{1,2})[/.-](?P<b>\d{1,2})[/.-](?P<y>\d{2}|\d{4})$"
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffd]")  # not in text (\t \n \r are)
_MONTHS = ("", "January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")


@dataclass
class CsvPlan:
    """A decoded CSV before parsing: enough to check names and limits cheaply.

    ``record_lines`` holds the physical line where each record starts ([0] is the header). Until
    ``exact`` is set it assumes one record per non-blank line, true unless a quoted value spans
    lines; it can then only overcount, and :func:`exact_records` corrects it.
    """

    text: str
    buf: bytes  # UTF-8, no BOM or NULs: what pyarrow parses
    encoding: str
    delimiter: str
    header: list[str]
    starts: np.ndarray  # byte offset of each physical line
    record_lines: np.ndarray
    blank_lines: np.ndarray
    exact: bool
    warnings: list[str]


@dataclass
class CsvParsed:
    """The parsed CSV: string columns (header row removed) and what was rejected."""

    table: pa.Table
    data_lines: int
    rows_rejected: int
    rejected: tuple[api.RejectedRow, ...]
    warnings: list[str]
    where: Callable[[int], str]  # loaded row index -> "line 1,234"


@dataclass
class Typed:
    """Typed columns plus what typing did."""

    table: pa.Table
    nulls: dict[str, int] = field(default_factory=dict)
    coercions: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    decimal_comma: bool = False


def prepare_csv(data: bytes, name: str) -> CsvPlan:
    """Decode, sniff the delimiter, read the header and count the records cheaply.

    Raises:
        UserInputError: Empty, binary or undecodable file, or an unclosed quote in the header.
    """
    text, encoding = _decode(data, name)
    if not text or text.isspace():
        raise UserInputError(api.MSG_EMPTY.format(name=name))
    warnings: list[str] = []
    if "\x00" in text:
        if text.count("\x00") * 100 > len(text) * BINARY_NUL_PERCENT:
            raise UserInputError(api.MSG_WRONG_CONTENT.format(
                name=name, what="a binary file", expected="CSV"))
        raw = text.encode("utf-8")
        nul = np.flatnonzero(np.frombuffer(raw, np.uint8) == 0)
        warnings.append(api.WARN_NUL.format(count=nul.size, lines=_some(
            np.unique(np.searchsorted(_lines(raw)[0], nul, side="right")))))
        text = text.replace("\x00", "")
        buf = text.encode("utf-8")
    elif encoding.startswith("utf-8"):
        buf = data[len(codecs.BOM_UTF8):] if encoding == "utf-8-sig" else data
    else:
        buf = text.encode("utf-8")
    delimiter = _sniff_delimiter(text)
    starts, length = _lines(buf)
    csv.field_size_limit(max(csv.field_size_limit(), len(text) + 1))  # one value may be huge
    lazy_lines = (m.group() for m in re.finditer(r"[^\r\n]*(?:\r\n|\r|\n|\Z)", text))
    reader = csv.reader(lazy_lines, delimiter=delimiter)
    header = next(row for row in reader if row)
    plan = CsvPlan(text, buf, encoding, delimiter, header, starts, np.flatnonzero(length > 0) + 1,
                   np.flatnonzero(length == 0) + 1, b'"' not in buf, warnings)
    if reader.line_num > plan.record_lines[0]:  # the header itself spans lines
        exact_records(plan, name)
    return plan


def exact_records(plan: CsvPlan, name: str) -> None:
    """Find where each record starts exactly, then check the last one for an unclosed quote.

    One pass of the csv module, which splits records like pyarrow; needed only when a quoted
    value spans lines.

    Raises:
        UserInputError: A quote is opened and never closed.
    """
    if plan.exact:
        return
    reader = csv.reader(io.StringIO(plan.text, newline=""), delimiter=plan.delimiter)
    starts: list[int] = []
    blank: list[int] = []
    previous = 0
    for row in reader:
        (starts if row else blank).append(previous + 1)
        previous = reader.line_num
    plan.record_lines, plan.blank_lines = np.asarray(starts), np.asarray(blank, dtype=np.int64)
    plan.exact = True
    _check_last_quote(plan, name)


def parse_csv(plan: CsvPlan, name: str) -> CsvParsed:
    """Tokenise the whole file into string columns; set aside records with a wrong field count.

    Rejected records keep their physical line numbers; nothing is typed yet.

    Raises:
        UserInputError: An unclosed quote, every data line rejected, or unreadable by pyarrow.
    """
    n = len(plan.header)
    names = [f"f{j}" for j in range(n)]
    numbers: list[int] = []  # pyarrow's record number (header = 1) of every rejected record
    examples: list[tuple[int, int, str]] = []
    spans_lines = [False]

    def on_invalid(row: pacsv.InvalidRow) -> str:
        numbers.append(row.number)
        spans_lines[0] = spans_lines[0] or "\n" in row.text or "\r" in row.text
        if len(examples) < MAX_REJECTED_EXAMPLES:
            examples.append((row.number, row.actual_columns, row.text))
        return "skip"

    try:
        table = pacsv.read_csv(
            pa.BufferReader(plan.buf),
            # skip_rows_after_names drops the header record (quote-aware, no slice: pyarrow
            # 21's if_else corrupts sliced string arrays); the numbering still counts it as 1.
            read_options=pacsv.ReadOptions(column_names=names, skip_rows_after_names=1,
                                           use_threads=False, block_size=BLOCK_SIZE),
            parse_options=pacsv.ParseOptions(delimiter=plan.delimiter, newlines_in_values=True,
                                             invalid_row_handler=on_invalid),
            convert_options=pacsv.ConvertOptions(
                column_types={c: pa.string() for c in names}, null_values=[],
                strings_can_be_null=False, quoted_strings_can_be_null=False),
        )
    except pa.ArrowInvalid as exc:
        exact_records(plan, name)  # an unclosed quote makes one huge value: say so if it is that
        raise UserInputError(api.MSG_CSV_UNREADABLE.format(
            name=name, detail=str(exc).splitlines()[0])) from exc
    if not plan.exact and (spans_lines[0] or any(
            pc.any(pc.match_substring_regex(c, "[\r\n]")).as_py() for c in table.columns)):
        exact_records(plan, name)
    elif not plan.exact:
        _check_last_quote(plan, name)
    lines = plan.record_lines
    data_lines = len(lines) - 1
    if table.num_rows + len(numbers) != data_lines:
        raise RuntimeError(f"pyarrow found {table.num_rows + len(numbers)} records in "
                           f"'{name}' but the line scan found {data_lines}")
    rejected = tuple(
        api.RejectedRow(int(lines[num - 1]), api.REASON_FIELDS.format(expected=n, found=found),
                        txt[:200])
        for num, found, txt in examples)
    if table.num_rows == 0:
        raise UserInputError(api.MSG_ALL_REJECTED.format(
            name=name, count=data_lines, expected=n, line=rejected[0].line, found=examples[0][1]))
    keep = np.ones(data_lines, dtype=bool)
    keep[np.asarray(numbers, dtype=np.int64) - 2] = False
    row_lines = lines[1:][keep]
    warnings = list(plan.warnings)
    blank = plan.blank_lines[plan.blank_lines < lines[-1]]
    if blank.size:
        warnings.append(api.WARN_BLANK_LINES.format(count=blank.size, lines=_some(blank)))
    if numbers:
        warnings.append(api.WARN_REJECTED.format(
            count=len(numbers), total=data_lines, expected=n, kept=table.num_rows,
            lines=_some(lines[np.asarray(numbers[:6]) - 1])))
    return CsvParsed(table, data_lines, len(numbers), rejected, warnings,
                     lambda i: f"line {int(row_lines[i]):,}")


def _decode(data: bytes, name: str) -> tuple[str, str]:
    """(text, encoding): a BOM or UTF-16 shape wins; else strict UTF-8; else cp1252 (latin-1)."""
    encoding = next((enc for bom, enc in _BOMS if data.startswith(bom)), None)
    encoding = encoding or _bomless_utf16(data)
    if encoding is not None:
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError as exc:
            raise UserInputError(api.MSG_UNDECODABLE.format(
                name=name, encoding=encoding.upper(), pos=exc.start)) from exc
    if data.count(0) * 100 > len(data) * BINARY_NUL_PERCENT:
        raise UserInputError(api.MSG_WRONG_CONTENT.format(
            name=name, what="a binary file", expected="CSV"))
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        first = exc.start
    loose = data.decode("utf-8", errors="replace")
    bad = loose.count("\ufffd")
    good = len(loose) - len(loose.encode("ascii", "ignore")) - bad  # valid non-ASCII characters
    if good > 0 and good >= bad:
        starts, _ = _lines(data)
        line = int(np.searchsorted(starts, first, side="right"))
        raise UserInputError(api.MSG_BAD_UTF8.format(
            name=name, line=line, byte=data[first], count=bad))
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:  # bytes cp1252 leaves undefined (0x81, 0x8D, ...)
        return data.decode("latin-1"), "latin-1"


def _bomless_utf16(data: bytes) -> str | None:
    """Guess "utf-16-le"/"utf-16-be" for text without a BOM, else None.

    The first bytes must look like ASCII in UTF-16 (every other byte 0) and decode to text
    without control characters.
    """
    head = data[: min(len(data), 4096) // 2 * 2]
    arr = np.frombuffer(head, np.uint8)
    if arr.size < 4:
        return None
    even, odd = (arr[0::2] == 0).mean(), (arr[1::2] == 0).mean()
    guess = "utf-16-le" if odd > 0.3 and even < 0.05 else (
        "utf-16-be" if even > 0.3 and odd < 0.05 else None)
    if guess is None or _CONTROL.search(head.decode(guess, errors="replace")[:-1]):
        return None
    return guess


def _lines(buf: bytes) -> tuple[np.ndarray, np.ndarray]:
    r"""Start offset and content length (without the terminator) of each physical line.

    A line ends at \n, \r\n or a lone \r: b"a\r\nb\rc" -> starts [0, 3, 5], lengths [1, 1, 1].
    """
    arr = np.frombuffer(buf, dtype=np.uint8)
    size = arr.size
    cr = np.flatnonzero(arr == 13)
    lone_cr = cr[arr[np.minimum(cr + 1, size - 1)] != 10]  # a final \r compares with itself
    newline = np.flatnonzero(arr == 10)
    ends = np.union1d(newline, lone_cr) if cr.size else newline  # last byte of each terminator
    starts = np.concatenate(([0], ends + 1))
    crlf = (arr[ends] == 10) & (ends > 0) & (arr[np.maximum(ends - 1, 0)] == 13)
    length = ends + 1 - starts[:-1] - np.where(crlf, 2, 1)
    if starts[-1] < size:  # a last line without a terminator
        return starts, np.append(length, size - starts[-1])
    return starts[:-1], length


def _sniff_delimiter(text: str) -> str:
    """The candidate whose first records all have the header's field count (quotes respected).

    A one-column file gets a candidate that splits none of its first records.
    """
    sample = text[:SNIFF_CHARS]
    if len(text) > SNIFF_CHARS:  # drop the record cut in half
        sample = sample[: max(sample.rfind("\n"), sample.rfind("\r"), 1)]
    best, best_key, single = None, (0.0, 0), None
    for delimiter in DELIMITERS:
        reader = csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter)
        counts = [len(row) for row in itertools.islice(reader, SNIFF_RECORDS * 2) if row]
        counts = counts[:SNIFF_RECORDS]
        if counts and max(counts) == 1:  # one column: a delimiter absent from the sample
            single = single or delimiter
        if not counts or counts[0] < 2:
            continue
        key = (sum(c == counts[0] for c in counts) / len(counts), counts[0])
        if key > best_key:
            best, best_key = delimiter, key
    return best or single or ","


def _check_last_quote(plan: CsvPlan, name: str) -> None:
    """Refuse the file if its last record ends inside quotes.

    An unclosed quote swallows the rest of the file into the last record, so parsing that record
    strictly finds it.
    """
    if b'"' not in plan.buf:
        return
    line = int(plan.record_lines[-1])
    tail = plan.buf[plan.starts[line - 1]:].decode("utf-8")
    reader = csv.reader(io.StringIO(tail, newline=""), delimiter=plan.delimiter, strict=True)
    try:
        collections.deque(reader, maxlen=0)
    except csv.Error as exc:
        if "unexpected end of data" in str(exc):
            raise UserInputError(api.MSG_UNCLOSED_QUOTE.format(name=name, line=line)) from exc


def _some(lines: np.ndarray | list[int], limit: int = 5) -> str:
    """[4, 7, 9, 12, 15, 20] -> "4, 7, 9, 12, 15, ..."."""
    shown = ", ".join(f"{int(n):,}" for n in list(lines)[:limit])
    return shown + (", ..." if len(lines) > limit else "")



def type_columns(
    table: pa.Table, header: list[str], where: Callable[[int], str], decimal_comma: bool
) -> Typed:
    """Type every column from all its values; text columns stay strings.

    Args:
        table: One column per header name; string columns are typed, others kept.
        header: Column names, for the sentences.
        where: Row index -> "line 12" / "row 12", for the sentences.
        decimal_comma: Whether "3,14" may be read as 3.14 (the delimiter is not a comma).
    """
    typed = Typed(table)
    columns, numeric = [], []
    for name, col in zip(header, table.columns, strict=True):
        if pa.types.is_string(col.type):
            col = _type_text(_Distinct(col.combine_chunks()), name, where, decimal_comma, typed)
        elif pa.types.is_floating(col.type):
            d = _Distinct(col.combine_chunks())
            col = _drop_infinite(d, d.raw, name, typed)
        if pa.types.is_integer(col.type) or pa.types.is_floating(col.type):
            numeric.append(f"'{name}'")
        if len(col) and col.null_count == len(col):
            typed.warnings.append(api.WARN_ALL_NULL.format(column=name))
        elif len(col) > 1 and col.null_count == 0 and pc.count_distinct(col).as_py() == 1:
            value = _short(str(col[0].as_py()))
            typed.warnings.append(api.WARN_CONSTANT.format(column=name, value=value))
        columns.append(col)
    if numeric:
        shown = ", ".join(numeric[:10]) + (f" and {len(numeric) - 10:,} more" * (len(numeric) > 10))
        typed.coercions.insert(0, api.NOTE_NUMBERS.format(
            count=len(numeric), total=len(header), columns=shown))
    typed.table = pa.table({f"f{j}": c for j, c in enumerate(columns)})
    return typed


class _Distinct:
    """A column as its distinct values plus, per row, which one.

    Checks run once per distinct value (Adult's 'workclass' has 9), then ``first``/``take`` map
    the answers back to rows.
    """

    def __init__(self, col: pa.Array) -> None:
        encoded = pc.dictionary_encode(col)
        self.col, self.indices, self.raw = col, encoded.indices, encoded.dictionary
        self.words = pc.utf8_trim_whitespace(pc.cast(self.raw, pa.string()))
        self.rows = pc.fill_null(self.indices, len(self.raw)).to_numpy()  # null -> extra slot
        self.counts = np.bincount(self.rows, minlength=len(self.raw) + 1)[:-1]
        self.valid = np.ones(len(self.raw), dtype=bool)  # not a null token
        if pa.types.is_string(col.type):
            self.valid = ~_flags(pc.is_in(self.words, value_set=pa.array(NULL_TOKENS)))

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
    d: _Distinct, name: str, where: Callable[[int], str], comma: bool, typed: Typed
) -> pa.Array:
    """Null tokens -> null; all numbers -> int64/float64; otherwise text, saying why if mixed."""
    for e in np.flatnonzero(~d.valid):
        token = d.words[int(e)].as_py()
        typed.nulls[token] = typed.nulls.get(token, 0) + int(d.counts[e])
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
        typed.coercions.append(api.NOTE_DECIMAL_COMMA.format(
            column=name, value=d.words[e].as_py(), number=converted[d.first(has_comma)].as_py()))
        return converted
    if values and d.rows_of(number) == values:
        converted = _to_number(d, d.words, name, where, typed)
        return text if converted is None else converted
    if d.rows_of(number):
        i = d.first(d.valid & ~number)
        typed.coercions.append(api.NOTE_MIXED.format(
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
    for entries, note in ((d.match(_LEADING_ZERO), api.NOTE_LEADING_ZEROS),
                          (integer & (digits > MAX_EXACT_DIGITS), api.NOTE_LONG_INTEGERS)):
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
        typed.warnings.append(api.WARN_INFINITE.format(
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
    typed.warnings.append(api.WARN_AMBIGUOUS_DATES.format(
        column=name, value=pc.filter(d.words, pa.array(shaped))[k].as_py(),
        day_first=f"{a[k]} {_MONTHS[b[k]]}", month_first=f"{_MONTHS[a[k]]} {b[k]}"))


def _short(value: str, limit: int = 50) -> str:
    return value if len(value) <= limit else value[: limit - 3] + "..."
