"""Checks that decisions and sign-offs share: the run, the role, the token, the problem list."""

from __future__ import annotations

import duckdb

from core.errors import NotFoundError, UserInputError
from core.review.access import ROLES
from core.store import reviews as q
from core.store.runs import COMPLETE, MSG_NO_RUN

MSG_UNKNOWN_ROLE = "There is no role '{value}'. Choose one of: {valid}."
MSG_NO_REVIEWER = (
    "The reviewer's name is empty. Enter your name: every decision records who made it."
)
MSG_NOT_SAVED = "Nothing was saved: {n} problems need fixing."
MSG_RUN_NOT_REVIEWABLE = (
    "Run '{run}' is {status}, so there is nothing to review. Pick a complete run."
)
MSG_BAD_TOKEN = "token must be a non-empty string or None, got {value!r}"


def raise_problems(problems: list[str]) -> None:
    """Raise one :class:`UserInputError` naming every problem (nothing when there are none)."""
    if len(problems) == 1:
        raise UserInputError(problems[0])
    if problems:
        raise UserInputError(MSG_NOT_SAVED.format(n=len(problems)), problems)


def role_problem(role: str) -> str | None:
    """The message for a role that is not in :data:`ROLES`, or None when it is one."""
    if role not in ROLES:
        return MSG_UNKNOWN_ROLE.format(value=role, valid=", ".join(ROLES))
    return None


def check_token(token: str | None) -> None:
    """Refuse a client token that is neither None nor a non-empty string."""
    # A token comes from code (one per rendered button), never from the user.
    if token is not None and (not isinstance(token, str) or not token):
        raise ValueError(MSG_BAD_TOKEN.format(value=token))


def check_run(cur: duckdb.DuckDBPyConnection, run_id: str) -> None:
    """Refuse a run that does not exist or is not complete."""
    status = q.run_status(cur, run_id)
    if status is None:
        raise NotFoundError(MSG_NO_RUN.format(id=run_id))
    if status != COMPLETE:
        raise UserInputError(MSG_RUN_NOT_REVIEWABLE.format(run=run_id, status=status))
