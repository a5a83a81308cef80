"""Review decisions on a run: per column, and on flagged pairs and rows.

Every decision is an append-only event with who, when, the evidence shown, and the decision id
the reviewer had seen; the current decision on a target is its latest. A reviewer whose page is
stale gets :class:`ReviewConflict` (naming the newer decision) instead of silently overwriting
it, and a repeated click with the same client token stores one event. Roles: ``reviewer`` decides
and signs off, ``analyst`` decides only, ``viewer`` reads only (:mod:`core.review.access`).

Example::

    d = record_decision(store, "run1", "age", "approve", "", "Ada")
    record_decision(store, "run1", "age", "reject", "too wide", "Bob", seen_id=d.id)
    progress(store, "run1", ["age", "sex"])  # -> (1, 2)
"""

from __future__ import annotations

import json
from collections.abc import Collection, Sequence
from datetime import UTC, datetime
from typing import Any

from core.errors import UserInputError
from core.review._checks import (
    MSG_NO_REVIEWER,
    check_run,
    check_token,
    raise_problems,
    role_problem,
)
from core.review.access import CAN_DECIDE
from core.store import reviews as q
from core.store.db import Store
from core.store.reviews import Decision

DECISIONS = ("approve", "reject", "needs_work")
KINDS = ("column", "pair", "row")
# How a target's current decision is shown: a mark and words, so no two states look alike.
DECISION_WORDS = {"approve": "approved", "reject": "rejected", "needs_work": "needs work"}
MARKS = {"approve": "✓", "reject": "✗", "needs_work": "⚠", None: "○"}
UNDECIDED = "undecided"

MSG_NO_DECISION = (
    "No decision was chosen for {kind} '{target}'. Pick Approve, Reject or Needs work, then "
    "save."
)
MSG_UNKNOWN_DECISION = "There is no decision '{value}'. Choose one of: {valid}."
MSG_UNKNOWN_KIND = "There is no kind of review target '{value}'. Choose one of: {valid}."
MSG_NO_TARGET = "No {kind} was given to decide on. Pick one."
MSG_REJECT_NEEDS_COMMENT = (
    "Rejecting {kind} '{target}' needs a comment saying what is wrong. Write one, then reject "
    "again."
)
MSG_VIEWER_CANNOT_DECIDE = (
    "The role 'viewer' can only read the review. Deciding needs the role 'reviewer' or "
    "'analyst': ask one of them to record it."
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


def record_decision(
    store: Store,
    run_id: str,
    target: str,
    decision: str | None,
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
        decision: One of :data:`DECISIONS`; None (nothing chosen) is refused.
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
    check_token(token)
    if evidence is not None and not isinstance(evidence, dict):
        raise TypeError(f"evidence must be a dict or None, got {type(evidence).__name__}")
    problems = []
    if kind not in KINDS:
        problems.append(MSG_UNKNOWN_KIND.format(value=kind, valid=", ".join(KINDS)))
    if not target:
        problems.append(MSG_NO_TARGET.format(kind=kind))
    if decision is None:
        problems.append(MSG_NO_DECISION.format(kind=kind, target=target))
    elif decision not in DECISIONS:
        problems.append(MSG_UNKNOWN_DECISION.format(value=decision, valid=", ".join(DECISIONS)))
    elif decision == "reject" and not comment.strip():
        problems.append(MSG_REJECT_NEEDS_COMMENT.format(kind=kind, target=target))
    if not reviewer.strip():
        problems.append(MSG_NO_REVIEWER)
    bad_role = role_problem(role)
    if bad_role or role not in CAN_DECIDE:
        problems.append(bad_role or MSG_VIEWER_CANNOT_DECIDE)
    raise_problems(problems)
    evidence_json = q.encode_evidence(evidence or {})
    comment, reviewer = comment.strip(), reviewer.strip()

    def write() -> Decision:
        with store.transaction() as cur:
            check_run(cur, run_id)
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


def decision_count(store: Store, run_id: str) -> int:
    """How many decisions were recorded on a run (every kind), without loading them.

    Example: after two decisions on "age" and one on a pair -> ``3``.
    """
    with store.cursor() as cur:
        return q.count_decisions(cur, run_id)


def progress(store: Store, run_id: str, columns: Sequence[str]) -> tuple[int, int]:
    """``(decided, total)`` over ``columns``, e.g. ``(9, 15)`` for "9 of 15 columns reviewed".

    Any current decision counts, ``needs_work`` included; decisions on columns not in
    ``columns`` do not.
    """
    return progress_of(current_decisions(store, run_id, "column"), columns)


def progress_of(decided: Collection[str], columns: Sequence[str]) -> tuple[int, int]:
    """:func:`progress` from decisions already read (e.g. the keys of :func:`current_decisions`).

    Example: ``progress_of({"age": d, "dropped": d2}, ["age", "sex"])`` -> ``(1, 2)``.
    """
    wanted = list(dict.fromkeys(columns))
    return sum(c in decided for c in wanted), len(wanted)


def status_label(target: str, decision: str | None) -> str:
    """A target with its current decision as a mark and words, for pickers and lists.

    Example: ``status_label("age", "reject")`` -> ``"✗ age — rejected"``;
    ``status_label("sex", None)`` -> ``"○ sex — undecided"``.
    """
    return f"{MARKS[decision]} {target} — {DECISION_WORDS.get(decision, UNDECIDED)}"


def next_undecided(columns: Sequence[str], decided: Collection[str], current: int) -> int:
    """The index of the column to review once ``columns[current]`` has been decided.

    The first undecided column after ``current``, else the first before it, else ``current``
    (all decided). ``decided`` holds the columns decided before this one, e.g. the keys of
    :func:`current_decisions`; ``columns[current]`` counts as decided.

    Example: ``next_undecided(["age", "sex", "income"], {"sex"}, 0)`` -> ``2``.
    """
    undecided = [i for i, c in enumerate(columns) if c not in decided and c != columns[current]]
    after = [i for i in undecided if i > current]
    return (after or undecided or [current])[0]
