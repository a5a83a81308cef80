"""Who may delete and purge, and the checks every request passes before anything is removed.

Only the role ``reviewer`` (the most trusted role in :data:`core.review.access.ROLES`) may
delete or purge. Roles come from the same place as for the review: the sign-in mapping when
sign-in is configured, else self-declared (the app's name and role boxes, the CLI's ``--by`` and
``--role``), which is convenient but not a security boundary (see README).
"""

from __future__ import annotations

from core.errors import UserInputError
from core.review.access import ROLES

CAN_DELETE = ("reviewer",)
SYSTEM_ROLE = "system"  # the retention policy: configured by whoever runs the app

MSG_ROLE_CANNOT_DELETE = (
    "The role '{role}' cannot delete or purge data; only the role 'reviewer' can. Ask a "
    "reviewer to do it."
)
MSG_UNKNOWN_ROLE = "There is no role '{value}'. Choose one of: {valid}."
MSG_NO_WHO = "Who is asking is empty. Enter your name: every deletion records who asked for it."
MSG_NO_REASON = (
    "The deletion has no reason. Write why (e.g. 'erasure request 2026-014', 'retention limit')."
)
MSG_NOT_DONE = "Nothing was deleted: {n} problems need fixing."


def request_problems(reason: str, who: str, role: str) -> list[str]:
    """Every problem with a deletion request's reason, name and role (empty when fine)."""
    problems = []
    if not reason.strip():
        problems.append(MSG_NO_REASON)
    if not who.strip():
        problems.append(MSG_NO_WHO)
    if role not in ROLES:
        problems.append(MSG_UNKNOWN_ROLE.format(value=role, valid=", ".join(ROLES)))
    elif role not in CAN_DELETE:
        problems.append(MSG_ROLE_CANNOT_DELETE.format(role=role))
    return problems


def raise_problems(problems: list[str]) -> None:
    """Raise one :class:`UserInputError` naming every problem (nothing when there are none)."""
    if len(problems) == 1:
        raise UserInputError(problems[0])
    if problems:
        raise UserInputError(MSG_NOT_DONE.format(n=len(problems)), problems)
