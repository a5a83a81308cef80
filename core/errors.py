"""Errors shown to users, and the message templates behind them.

Pages catch only :class:`UserInputError`; every other exception is a bug and keeps its traceback.
Templates are module constants so that tests can assert the exact text.
"""

from __future__ import annotations

from collections.abc import Iterable


class SynthreviewError(Exception):
    """Base class of every error synthreview raises on purpose."""


class UserInputError(SynthreviewError):
    """Something the user gave (a file, a parameter, a choice) cannot be used.

    Args:
        message: One sentence: what is wrong, the value, and the fix.
        problems: Every individual problem when several were found (validate everything, then
            report the full list, like SDV's ``InvalidDataError``).
    """

    def __init__(self, message: str, problems: Iterable[str] = ()) -> None:
        self.message = message
        self.problems = tuple(problems)
        text = message
        if self.problems:
            text += "\n" + "\n".join(f"- {p}" for p in self.problems)
        super().__init__(text)


class StoreError(SynthreviewError):
    """The DuckDB store cannot be opened or written."""


class StoreLockedError(StoreError, UserInputError):
    """Another process holds the database file read-write."""


class StoreCorruptError(StoreError, UserInputError):
    """The database file is damaged; it is never overwritten or deleted."""


class StoreWriteError(StoreError, UserInputError):
    """A write could not reach the disk (disk full, file size limit); nothing of it was saved."""


class GeneratorFailedError(UserInputError):
    """A generator could not fit or sample; the message says why in plain words."""


class NotFoundError(UserInputError):
    """A dataset, run or report id that the store does not have."""
