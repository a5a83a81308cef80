"""The human review of a run: decisions per column (and flagged pairs and rows), then a sign-off.

Every decision is an append-only event with who, when, the evidence shown, and the decision id
the reviewer had seen; the current decision on a target is its latest. A reviewer whose page is
stale gets :class:`ReviewConflict` (naming the newer decision) instead of silently overwriting
it, and a repeated click with the same client token stores one event. Roles: ``reviewer`` decides
and signs off, ``analyst`` decides only, ``viewer`` reads only.

Example::

    d = record_decision(store, "run1", "age", "approve", "", "Ada")
    record_decision(store, "run1", "age", "reject", "too wide", "Bob", seen_id=d.id)
    progress(store, "run1", ["age", "sex"])  # -> (1, 2)
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import duckdb

from core.errors import NotFoundError, UserInputError
from core.store import reviews as q
from core.store.backup import backup_after_change
from core.store.db import Store
from core.store.reviews import Decision, SignOff
from core.store.runs import COMPLETE, MSG_NO_RUN

DECISIONS = ("approve", "reject", "needs_work")
SIGNOFFS = ("approved", "rejected")
ROLES = ("reviewer", "analyst", "viewer")
KINDS = ("column", "pair", "row")
DECIDING_ROLES = ("reviewer", "analyst")
SIGNING_ROLE = "reviewer"
MAX_LISTED = 10

MSG_UNKNOWN_DECISION = "There is no decision '{value}'. Choose one of: {valid}."
MSG_UNKNOWN_SIGNOFF = "There is no sign-off '{value}'. Choose one of: {valid}."
MSG_UNKNOWN_KIND = "There is no kind of review target '{value}'. Choose one of: {valid}."
MSG_UNKNOWN_ROLE = "There is no role '{value}'. Choose one of: {valid}."
MSG_NO_TARGET = "No {kind} was given to decide on. Pick one."
MSG_NO_REVIEWER = (
    "The reviewer's name is empty. Enter your name: every decision records who made it."
)
MSG_REJECT_NEEDS_COMMENT = (
    "Rejecting {kind} '{target}' needs a comment saying what is wrong. Write one, then reject "
    "again."
)
MSG_VIEWER_CANNOT_DECIDE = (
    "The role 'viewer' can only read the review. Deciding needs the role 'reviewer' or "
    "'analyst': ask one of them to record it."
)
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
MSG_NOT_SAVED = "Nothing was saved: {n} problems need fixing."
MSG_RUN_NOT_REVIEWABLE = (
    "Run '{run}' is {status}, so there is nothing to review. Pick a complete run."
)
MSG_SEEN_UNKNOWN = (
    "There is no decision on {kind} '{target}' yet, although the page showed decision {seen_id}. "
    "Reload the review and decide again."
)
MSG_CONFLICT = (
    "{reviewer} ({role}) recorded '{decision}' on {kind} '{target}' at {when} UTC (decision "
    "{id}), after the version you saw. Yours was not saved: read their decision, then decide "
    "again if you still disagree."
)
MSG_BAD_TOKEN = "token must be a non-empty string or None, got {value!r}"


class ReviewConflict(UserInputError):
    """Another decision on the target was stored after the one the reviewer had seen.

    Args:
        current: The target's current decision, to show instead of the stale page.
    """

    def __init__(self, current: Decision) -> None:
        self.current = current
        super().__init__(MSG_CONFLICT.format(
            reviewer=current.reviewer, role=current.role, decision=current.decision,
            kind=current.kind, target=current.target, id=current.id,
            when=current.created_at.strftime("%Y-%m-%d %H:%M:%S"),
        ))


def pair_target(a: str, b: str) -> str:
    """The target name of a pair of columns, e.g. ``("age", "sex") -> "age × sex"``."""
    return f"{a} × {b}"


def row_target(index: int) -> str:
    """The target name of a synthetic row, e.g. ``123 -> "synthetic row 123"``."""
    return f"synthetic row {index}"


def _raise_problems(problems: list[str]) -> None:
    if len(problems) == 1:
        raise UserInputError(problems[0])
    if problems:
        raise UserInputError(MSG_NOT_SAVED.format(n=len(problems)), problems)


def _role_problem(role: str) -> str | None:
    if role not in ROLES:
        return MSG_UNKNOWN_ROLE.format(value=role, valid=", ".join(ROLES))
    return None


def _check_token(token: str | None) -> None:
    # A token comes from code (one per rendered button), never from the user.
    if token is not None and (not isinstance(token, str) or not token):
        raise ValueError(MSG_BAD_TOKEN.format(value=token))


def _check_run(cur: duckdb.DuckDBPyConnection, run_id: str) -> None:
    status = q.run_status(cur, run_id)
    if status is None:
        raise NotFoundError(MSG_NO_RUN.format(id=run_id))
    if status != COMPLETE:
        raise UserInputError(MSG_RUN_NOT_REVIEWABLE.format(run=run_id, status=status))


def record_decision(
    store: Store,
    run_id: str,
    target: str,
    decision: str,
    comment: str,
    reviewer: str,
    *,
    role: str = "reviewer",
    kind: str = "column",
    evidence: dict[str, Any] | None = None,
    seen_id: int | None = None,
    token: str | None = None,
) -> Decision:
    """Store one decision at once, unless the reviewer's view of the target is stale.

    Args:
        store: The open store.
        run_id: A complete run.
        target: The column name, :func:`pair_target` or :func:`row_target`.
        decision: One of :data:`DECISIONS`.
        comment: Free text; required (non-blank) for ``"reject"``.
        reviewer: Who decides (non-blank).
        role: ``"reviewer"`` or ``"analyst"``; a ``"viewer"`` is refused.
        kind: ``"column"``, ``"pair"`` or ``"row"``.
        evidence: The metric values and thresholds shown when deciding (JSON-ready; numpy
            scalars are converted).
        seen_id: The id of the target's latest decision the page showed (None: it showed none).
        token: A client token per rendered button: a repeat with the same (run, token) returns
            the first stored decision and writes nothing.

    Returns:
        The stored decision (or the one stored earlier under ``token``).

    Raises:
        UserInputError: Invalid decision, missing comment on reject, empty name, or role.
        NotFoundError: No such run.
        ReviewConflict: The target's latest decision is not ``seen_id``; nothing was written.
    """
    _check_token(token)
    if evidence is not None and not isinstance(evidence, dict):
        raise TypeError(f"evidence must be a dict or None, got {type(evidence).__name__}")
    problems = []
    if kind not in KINDS:
        problems.append(MSG_UNKNOWN_KIND.format(value=kind, valid=", ".join(KINDS)))
    if not target:
        problems.append(MSG_NO_TARGET.format(kind=kind))
    if decision not in DECISIONS:
        problems.append(MSG_UNKNOWN_DECISION.format(value=decision, valid=", ".join(DECISIONS)))
    elif decision == "reject" and not comment.strip():
        problems.append(MSG_REJECT_NEEDS_COMMENT.format(kind=kind, target=target))
    if not reviewer.strip():
        problems.append(MSG_NO_REVIEWER)
    bad_role = _role_problem(role)
    if bad_role or role not in DECIDING_ROLES:
        problems.append(bad_role or MSG_VIEWER_CANNOT_DECIDE)
    _raise_problems(problems)
    evidence_json = q.encode_evidence(evidence or {})
    comment, reviewer = comment.strip(), reviewer.strip()

    def write() -> Decision:
        with store.transaction() as cur:
            _check_run(cur, run_id)
            if token is not None and (done := q.decision_by_token(cur, run_id, token)):
                return done
            latest = q.latest_decision(cur, run_id, kind, target)
            if latest is None and seen_id is not None:
                raise UserInputError(
                    MSG_SEEN_UNKNOWN.format(kind=kind, target=target, seen_id=seen_id))
            if latest is not None and latest[0].id != seen_id:
                raise ReviewConflict(latest[0])
            created = datetime.now(UTC)
            new_id = q.insert_decision(
                cur, run_id=run_id, kind=kind, target=target,
                version=1 if latest is None else latest[1] + 1, decision=decision,
                comment=comment, reviewer=reviewer, role=role, created_at=created,
                evidence_json=evidence_json, seen_id=seen_id, token=token,
            )
        return Decision(
            id=new_id, run_id=run_id, kind=kind, target=target, decision=decision,
            comment=comment, reviewer=reviewer, role=role, created_at=created,
            evidence=json.loads(evidence_json), seen_id=seen_id,
        )

    def settle() -> Decision | None:
        with store.cursor() as cur:
            if token is not None and (done := q.decision_by_token(cur, run_id, token)):
                return done
            latest = q.latest_decision(cur, run_id, kind, target)
        if latest is not None and latest[0].id != seen_id:
            raise ReviewConflict(latest[0]) from None
        return None

    return q.write_once(write, settle)


def current_decisions(store: Store, run_id: str, kind: str = "column") -> dict[str, Decision]:
    """The latest decision per target of one kind, e.g. ``{"age": Decision(...)}``."""
    if kind not in KINDS:
        raise UserInputError(MSG_UNKNOWN_KIND.format(value=kind, valid=", ".join(KINDS)))
    with store.cursor() as cur:
        return {d.target: d for d in q.current_decisions(cur, run_id, (kind,))}


def history(store: Store, run_id: str, target: str | None = None) -> list[Decision]:
    """Every decision of a run, or of one target (any kind), newest first."""
    with store.cursor() as cur:
        return q.decision_history(cur, run_id, target)


def progress(store: Store, run_id: str, columns: Sequence[str]) -> tuple[int, int]:
    """``(decided, total)`` over ``columns``, e.g. ``(9, 15)`` for "9 of 15 columns reviewed".

    Any current decision counts, ``needs_work`` included; decisions on columns not in
    ``columns`` do not.
    """
    wanted = list(dict.fromkeys(columns))
    decided = current_decisions(store, run_id, "column")
    return sum(c in decided for c in wanted), len(wanted)


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
    _check_token(token)
    wanted = list(dict.fromkeys(columns))
    problems = []
    if decision not in SIGNOFFS:
        problems.append(MSG_UNKNOWN_SIGNOFF.format(value=decision, valid=", ".join(SIGNOFFS)))
    if not reason.strip():
        problems.append(MSG_NO_REASON.format(run=run_id))
    if not reviewer.strip():
        problems.append(MSG_NO_REVIEWER)
    bad_role = _role_problem(role)
    if bad_role or role != SIGNING_ROLE:
        problems.append(bad_role or MSG_ONLY_REVIEWER_SIGNS.format(role=role))
    if not wanted:
        problems.append(MSG_NO_COLUMNS.format(run=run_id))
    _raise_problems(problems)
    reason, reviewer = reason.strip(), reviewer.strip()

    def write() -> SignOff:
        with store.transaction() as cur:
            _check_run(cur, run_id)
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
