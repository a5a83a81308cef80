"""The sign-off of a run: approved or rejected, once every column has a current decision.

Only the role ``reviewer`` signs off (:data:`core.review.access.CAN_SIGN_OFF`). A sign-off is an
append-only event that keeps a snapshot of the decisions it was based on; a repeated click with
the same client token stores one.

Example::

    sign_off(store, "run1", "approved", "fit for release", "Ada", columns=["age", "sex"])
    current_signoff(store, "run1").decision  # -> "approved"
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime

from core.errors import UserInputError
from core.review._checks import (
    MSG_NO_REVIEWER,
    check_run,
    check_token,
    raise_problems,
    role_problem,
)
from core.review.access import CAN_SIGN_OFF
from core.review.decisions import KINDS
from core.store import reviews as q
from core.store.backup import backup_after_change
from core.store.db import Store
from core.store.reviews import SignOff

SIGNOFFS = ("approved", "rejected")
MAX_LISTED = 10

MSG_UNKNOWN_SIGNOFF = "There is no sign-off '{value}'. Choose one of: {valid}."
MSG_ONLY_REVIEWER_SIGNS = (
    "The role '{role}' cannot sign off a run; only the role 'reviewer' can. Ask a reviewer to "
    "sign off."
)
MSG_NO_REASON = "The sign-off of run '{run}' has no reason. Write why it is approved or rejected."
MSG_NO_COLUMNS = (
    "Run '{run}' cannot be signed off without its list of columns. Pass the dataset's columns."
)
MSG_UNDECIDED = (
    "Run '{run}' cannot be signed off yet: {n} of {total} columns have no decision ({columns}). "
    "Decide them first."
)


def sign_off(
    store: Store,
    run_id: str,
    decision: str,
    reason: str,
    reviewer: str,
    *,
    role: str = "reviewer",
    columns: Sequence[str],
    token: str | None = None,
) -> SignOff:
    """Approve or reject the run, once every column in ``columns`` has a current decision.

    Args:
        store: The open store.
        run_id: A complete run.
        decision: ``"approved"`` or ``"rejected"``.
        reason: Why (non-blank).
        reviewer: Who signs off (non-blank).
        role: Must be ``"reviewer"``.
        columns: The run's columns; each needs a current decision.
        token: A client token: a repeat with the same (run, token) returns the first sign-off.

    Returns:
        The stored sign-off; its ``decisions_snapshot`` maps every target with a current
        decision (columns, pairs, rows; a column wins a name clash) to that decision's id.

    Raises:
        UserInputError: Invalid decision, empty reason or name, wrong role, or undecided
            columns; nothing is written.
        NotFoundError: No such run.
    """
    check_token(token)
    wanted = list(dict.fromkeys(columns))
    problems = []
    if decision not in SIGNOFFS:
        problems.append(MSG_UNKNOWN_SIGNOFF.format(value=decision, valid=", ".join(SIGNOFFS)))
    if not reason.strip():
        problems.append(MSG_NO_REASON.format(run=run_id))
    if not reviewer.strip():
        problems.append(MSG_NO_REVIEWER)
    bad_role = role_problem(role)
    if bad_role or role not in CAN_SIGN_OFF:
        problems.append(bad_role or MSG_ONLY_REVIEWER_SIGNS.format(role=role))
    if not wanted:
        problems.append(MSG_NO_COLUMNS.format(run=run_id))
    raise_problems(problems)
    reason, reviewer = reason.strip(), reviewer.strip()

    def write() -> SignOff:
        with store.transaction() as cur:
            check_run(cur, run_id)
            if token is not None and (done := q.signoff_by_token(cur, run_id, token)):
                return done
            current = q.current_decisions(cur, run_id, KINDS)
            columns_done = {d.target for d in current if d.kind == "column"}
            missing = [c for c in wanted if c not in columns_done]
            if missing:
                listed = ", ".join(f"'{c}'" for c in missing[:MAX_LISTED])
                if len(missing) > MAX_LISTED:
                    listed += f" and {len(missing) - MAX_LISTED} more"
                raise UserInputError(MSG_UNDECIDED.format(
                    run=run_id, n=len(missing), total=len(wanted), columns=listed))
            snapshot = {d.target: d.id for d in current if d.kind != "column"}
            snapshot.update({d.target: d.id for d in current if d.kind == "column"})
            created = datetime.now(UTC)
            new_id = q.insert_signoff(
                cur, run_id=run_id, decision=decision, reason=reason, reviewer=reviewer,
                role=role, created_at=created, snapshot_json=json.dumps(snapshot, sort_keys=True),
                token=token,
            )
        return SignOff(
            id=new_id, run_id=run_id, decision=decision, reason=reason, reviewer=reviewer,
            role=role, created_at=created, decisions_snapshot=dict(sorted(snapshot.items())),
        )

    def settle() -> SignOff | None:
        # Only the token is unique among sign-offs: the same click was stored by another thread.
        if token is None:
            return None
        with store.cursor() as cur:
            return q.signoff_by_token(cur, run_id, token)

    result = q.write_once(write, settle)
    backup_after_change(store)  # a copy after every sign-off (a few generations kept)
    return result


def current_signoff(store: Store, run_id: str) -> SignOff | None:
    """The run's latest sign-off, or None when it has none."""
    found = signoff_history(store, run_id)
    return found[0] if found else None


def signoff_history(store: Store, run_id: str) -> list[SignOff]:
    """Every sign-off of a run, newest first."""
    with store.cursor() as cur:
        return q.signoffs(cur, run_id)
