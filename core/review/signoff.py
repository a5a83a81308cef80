"""The sign-off of a run: approved or rejected, once every column has a current decision.

Approving a run whose verdict is FAIL (its newest stored report's), or one with a rejected
column, needs an explicit override reason: the reviewer knowingly overrides the gate or the
column review, and the override is stored and shown with the sign-off everywhere
(:attr:`SignOff.label`, e.g. ``"approved with override: accepted for a pilot"``).

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
MSG_NO_SIGNOFF_CHOICE = (
    "No sign-off was chosen for run '{run}'. Pick Approved or Rejected, then sign off."
)
MSG_NEEDS_OVERRIDE = (
    "Run '{run}' cannot be approved without an override: {why}. Write an override reason "
    "saying why you approve it anyway (--override in the CLI), or reject the run."
)
WHY_FAIL = "its verdict is FAIL"
WHY_REJECTED = "{n} column(s) are rejected ({columns})"
MSG_OVERRIDE_NOT_NEEDED = (
    "Run '{run}' needs no override: {why}. Leave the override empty."
)
WHY_NOT_NEEDED_REJECTED = "it is rejected, not approved"
WHY_NOT_NEEDED_CLEAN = "its verdict is not FAIL and no column is rejected"
MSG_UNDECIDED = (
    "Run '{run}' cannot be signed off yet: {n} of {total} columns have no decision ({columns}). "
    "Decide them first."
)


def sign_off(
    store: Store,
    run_id: str,
    decision: str | None,
    reason: str,
    reviewer: str,
    *,
    role: str = "reviewer",
    columns: Sequence[str],
    override: str | None = None,
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
        override: Why the run is approved although its verdict is FAIL or a column is
            rejected; required then (non-blank), refused otherwise.
        token: A client token: a repeat with the same (run, token) returns the first sign-off.

    Returns:
        The stored sign-off; its ``decisions_snapshot`` maps every target with a current
        decision (columns, pairs, rows; a column wins a name clash) to that decision's id.

    Raises:
        UserInputError: No or an invalid decision, empty reason or name, wrong role,
            undecided columns, or a missing (or needless) override; nothing is written.
        NotFoundError: No such run.
    """
    check_token(token)
    wanted = list(dict.fromkeys(columns))
    problems = []
    if decision is None:
        problems.append(MSG_NO_SIGNOFF_CHOICE.format(run=run_id))
    elif decision not in SIGNOFFS:
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
    override = (override or "").strip() or None

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
            check_override(run_id, decision, override, q.latest_verdict(cur, run_id),
                           [d.target for d in current
                            if d.kind == "column" and d.decision == "reject"])
            snapshot = {d.target: d.id for d in current if d.kind != "column"}
            snapshot.update({d.target: d.id for d in current if d.kind == "column"})
            created = datetime.now(UTC)
            new_id = q.insert_signoff(
                cur, run_id=run_id, decision=decision, reason=reason, reviewer=reviewer,
                role=role, created_at=created, snapshot_json=json.dumps(snapshot, sort_keys=True),
                token=token, override=override,
            )
        return SignOff(
            id=new_id, run_id=run_id, decision=decision, reason=reason, reviewer=reviewer,
            role=role, created_at=created, decisions_snapshot=dict(sorted(snapshot.items())),
            override=override,
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


def override_needed(verdict: str | None, rejected: Sequence[str]) -> str | None:
    """Why approving needs an override (e.g. ``"its verdict is FAIL"``), or None when it doesn't.

    Args:
        verdict: The run's verdict (its newest stored report's), or None when never evaluated.
        rejected: The columns whose current decision is ``"reject"``.
    """
    why = []
    if verdict == "fail":
        why.append(WHY_FAIL)
    if rejected:
        listed = ", ".join(f"'{c}'" for c in rejected[:MAX_LISTED])
        if len(rejected) > MAX_LISTED:
            listed += f" and {len(rejected) - MAX_LISTED} more"
        why.append(WHY_REJECTED.format(n=len(rejected), columns=listed))
    return " and ".join(why) or None


def check_override(run_id: str, decision: str, override: str | None, verdict: str | None,
                   rejected: Sequence[str]) -> None:
    """Refuse an approval that needs an override without one, and an override nobody needs."""
    why = override_needed(verdict, rejected)
    if decision == "approved" and why and not override:
        raise UserInputError(MSG_NEEDS_OVERRIDE.format(run=run_id, why=why))
    if override and (decision != "approved" or not why):
        reason = WHY_NOT_NEEDED_REJECTED if decision != "approved" else WHY_NOT_NEEDED_CLEAN
        raise UserInputError(MSG_OVERRIDE_NOT_NEEDED.format(run=run_id, why=reason))


def signoff_needs(store: Store, run_id: str) -> str | None:
    """Why approving the run now would need an override, or None (see :func:`override_needed`)."""
    with store.cursor() as cur:
        rejected = [d.target for d in q.current_decisions(cur, run_id, ("column",))
                    if d.decision == "reject"]
        return override_needed(q.latest_verdict(cur, run_id), rejected)


def current_signoffs(store: Store, run_ids: Sequence[str]) -> dict[str, SignOff]:
    """The latest sign-off of each run that has one, e.g. for the Runs page's list."""
    with store.cursor() as cur:
        return q.current_signoffs(cur, list(run_ids))


def current_signoff(store: Store, run_id: str) -> SignOff | None:
    """The run's latest sign-off, or None when it has none."""
    found = signoff_history(store, run_id)
    return found[0] if found else None


def signoff_history(store: Store, run_id: str) -> list[SignOff]:
    """Every sign-off of a run, newest first."""
    with store.cursor() as cur:
        return q.signoffs(cur, run_id)
