"""CSV text up to string columns for :func:`core.io.load_table`; :mod:`core.io.types` types them.

A CSV is decoded (BOM, UTF-16, strict UTF-8, else cp1252), its delimiter sniffed from the field
counts of the first records, and tokenised whole by pyarrow into string columns: no chunk-by-chunk
dtype guessing. Physical line numbers come from the raw bytes (vectorised): a record is a
non-blank line, unless a quoted value spans lines; only then does one pass of the stdlib ``csv``
module, which splits records like pyarrow, map each record to the line where it starts.
"""

from __future__ import annotations

import codecs
import collections
import csv
import io
import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from core.errors import UserInputError
from core.io import messages as msg
from core.io.report import RejectedRow

DELIMITERS = (",", ";", "\t", "|")  # ties go to the earlier one
MAX_REJECTED_EXAMPLES = 100
SNIFF_CHARS = 65_536
SNIFF_RECORDS = 50
BLOCK_SIZE = 1 << 24  # pyarrow block; one record may not exceed it
BINARY_NUL_PERCENT = 10  # more NULs than this share of the text: a binary file, not a CSV
# More control characters than this share of the decoded text (and at least CONTROL_MIN_COUNT of
# them): not a table. Counted: U+0001-U+0008, U+000B, U+000C, U+000E-U+001F, U+007F and the C1
# range U+0080-U+009F; tab, LF and CR are text, NUL has its own rule above. Random bytes decode
# to about 24% (as latin-1; 12% without C1); a text table has almost none, and a few in free
# text (a vertical tab from a spreadsheet cell) still load. The floor keeps a tiny file with one
# stray character from being refused on share alone.
CONTROL_MAX_PERCENT = 2
CONTROL_MIN_COUNT = 64
_CONTROL_BYTES = np.array([b for b in range(1, 32) if b not in (9, 10, 13)] + [127])
_COUNT_CHUNK = 1 << 22
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffd]")  # not in text (\t \n \r are)


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
    rejected: tuple[RejectedRow, ...]
    warnings: list[str]
    where: Callable[[int], str]  # loaded row index -> "line 1,234"


def prepare_csv(data: bytes, name: str) -> CsvPlan:
    """Decode, sniff the delimiter, read the header and count the records cheaply.

    Raises:
        UserInputError: Empty, binary (NULs or control characters) or undecodable file, or an
            unclosed quote in the header.
    """
    text, encoding = _decode(data, name)
    if not text or text.isspace():
        raise UserInputError(msg.MSG_EMPTY.format(name=name))
    warnings: list[str] = []
    if "\x00" in text:
        if text.count("\x00") * 100 > len(text) * BINARY_NUL_PERCENT:
            raise UserInputError(msg.MSG_WRONG_CONTENT.format(
                name=name, what="a binary file", expected="CSV"))
        raw = text.encode("utf-8")
        nul = np.flatnonzero(np.frombuffer(raw, np.uint8) == 0)
        warnings.append(msg.WARN_NUL.format(count=nul.size, lines=_some(
            np.unique(np.searchsorted(_lines(raw)[0], nul, side="right")))))
        text = text.replace("\x00", "")
        buf = text.encode("utf-8")
    elif encoding.startswith("utf-8"):
        buf = data[len(codecs.BOM_UTF8):] if encoding == "utf-8-sig" else data
    else:
        buf = text.encode("utf-8")
    _refuse_control_characters(buf, name)
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
        raise UserInputError(msg.MSG_CSV_UNREADABLE.format(
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
        RejectedRow(int(lines[num - 1]), msg.REASON_FIELDS.format(expected=n, found=found),
                        txt[:200])
        for num, found, txt in examples)
    if table.num_rows == 0:
        raise UserInputError(msg.MSG_ALL_REJECTED.format(
            name=name, count=data_lines, expected=n, line=rejected[0].line, found=examples[0][1]))
    keep = np.ones(data_lines, dtype=bool)
    keep[np.asarray(numbers, dtype=np.int64) - 2] = False
    row_lines = lines[1:][keep]
    warnings = list(plan.warnings)
    blank = plan.blank_lines[plan.blank_lines < lines[-1]]
    if blank.size:
        warnings.append(msg.WARN_BLANK_LINES.format(count=blank.size, lines=_some(blank)))
    if numbers:
        warnings.append(msg.WARN_REJECTED.format(
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
            raise UserInputError(msg.MSG_UNDECODABLE.format(
                name=name, encoding=encoding.upper(), pos=exc.start)) from exc
    if data.count(0) * 100 > len(data) * BINARY_NUL_PERCENT:
        raise UserInputError(msg.MSG_WRONG_CONTENT.format(
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
        raise UserInputError(msg.MSG_BAD_UTF8.format(
            name=name, line=line, byte=data[first], count=bad))
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:  # bytes cp1252 leaves undefined (0x81, 0x8D, ...)
        return data.decode("latin-1"), "latin-1"


def count_control_characters(buf: bytes) -> tuple[int, int]:
    """(control characters, characters) in UTF-8 text, counted per byte in chunks (vectorised).

    Control characters are those of ``CONTROL_MAX_PERCENT``'s comment: C0 bytes and DEL are one
    byte in UTF-8; a C1 character is 0xC2 followed by 0x80-0x9F. Characters are the bytes that do
    not continue a multi-byte sequence (0x80-0xBF).
    """
    control = chars = 0
    arr = np.frombuffer(buf, np.uint8)
    for start in range(0, arr.size, _COUNT_CHUNK):
        chunk = arr[start:start + _COUNT_CHUNK + 1]  # one byte of overlap for 0xC2 pairs
        body = chunk[:_COUNT_CHUNK]
        counts = np.bincount(body, minlength=256)
        control += int(counts[_CONTROL_BYTES].sum())
        chars += body.size - int(counts[0x80:0xC0].sum())
        control += int(np.count_nonzero((chunk[:-1] == 0xC2) & ((chunk[1:] & 0xE0) == 0x80)))
    return control, chars


def _refuse_control_characters(buf: bytes, name: str) -> None:
    """Refuse text that is more than ``CONTROL_MAX_PERCENT`` control characters (a binary file)."""
    control, chars = count_control_characters(buf)
    if control >= CONTROL_MIN_COUNT and control * 100 > chars * CONTROL_MAX_PERCENT:
        raise UserInputError(msg.MSG_CONTROL_CHARACTERS.format(
            name=name, count=control, total=chars, percent=100 * control / chars,
            limit=CONTROL_MAX_PERCENT))


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
            raise UserInputError(msg.MSG_UNCLOSED_QUOTE.format(name=name, line=line)) from exc


def _some(lines: np.ndarray | list[int], limit: int = 5) -> str:
    """[4, 7, 9, 12, 15, 20] -> "4, 7, 9, 12, 15, ..."."""
    shown = ", ".join(f"{int(n):,}" for n in list(lines)[:limit])
    return shown + (", ..." if len(lines) > limit else "")
