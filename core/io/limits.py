"""Limits every format shares, checked before a table is built: file size, shape, name length."""

from __future__ import annotations

from core.config import Limits
from core.errors import UserInputError
from core.io.messages import (
    MSG_FILE_TOO_LARGE,
    MSG_HEADER_ONLY,
    MSG_HEADER_PROBLEMS,
    MSG_NAME_TOO_LONG,
    MSG_TOO_MANY_CELLS,
    MSG_TOO_MANY_COLUMNS,
    MSG_TOO_MANY_ROWS,
)

MIB = 1024 * 1024


def check_shape(name: str, header: list[str], rows: int, limits: Limits) -> None:
    """Refuse names that are too long and tables over the limits, before the table is built.

    Blank and repeated names are not refused: :func:`core.io.headers.unique_names` renames them.

    Raises:
        UserInputError: Too many rows, columns or cells; no data rows; or names that are too long
            (every one is listed).
    """
    if len(header) > limits.max_columns:
        raise UserInputError(
            MSG_TOO_MANY_COLUMNS.format(name=name, columns=len(header), limit=limits.max_columns))
    problems = [
        MSG_NAME_TOO_LONG.format(position=i, length=len(h), limit=limits.max_column_name_chars)
        for i, h in enumerate(header, 1) if len(h) > limits.max_column_name_chars
    ]
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


def join_numbers(numbers: list[int]) -> str:
    """[1, 3] -> "1 and 3"; [2, 4, 6] -> "2, 4 and 6"."""
    text = [f"{n:,}" for n in numbers]
    return text[0] if len(text) == 1 else ", ".join(text[:-1]) + " and " + text[-1]


def too_large(name: str, size: int, limits: Limits) -> str:
    """The refusal for a file of ``size`` bytes over the file size limit."""
    return MSG_FILE_TOO_LARGE.format(name=name, size_mb=size / MIB, limit_mb=limits.max_file_mb)
