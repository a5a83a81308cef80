"""Queries for review decisions and sign-offs (append-only tables of migrations 0003, 0006).

Every function takes a cursor so that :mod:`core.review` can read and write inside one
``store.transaction()``. Times are stored as UTC without a zone and returned zone-aware.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, TypeVar

import duckdb
import numpy as np

WRITE_ATTEMPTS = 5
RETRY_PAUSE_SECONDS = 0.01

T = TypeVar("T")


@dataclass(frozen=True)
class Decision:
    """One review event on a column, a pair of columns or a synthetic row.

    Attributes:
        id: Increasing id of the event.
        run_id: The run reviewed.
        kind: ``"column"``, ``"pair"`` or ``"row"``.
        target: The column name, ``"a × b"`` for a pair, or ``"synthetic row 123"``.
        decision: ``"approve"``, ``"reject"`` or ``"needs_work"``.
        comment: The reviewer's comment ("" when none was given).
        reviewer: Who decided.
        role: The reviewer's role when deciding.
        created_at: When it was stored (UTC).
        evidence: The metric values and thresholds shown when deciding.
        seen_id: The latest decision id on this target that the reviewer had seen (None: none).
    """

    id: int
    run_id: str
    kind: str
    target: str
    decision: str
    comment: str
    reviewer: str
    role: str
    created_at: datetime
    evidence: dict[str, Any]
    seen_id: int | None


@dataclass(frozen=True)
class SignOff:
    """The run's verdict by a reviewer.

    Attributes:
        id: Increasing id of the event.
        run_id: The run signed off.
        decision: ``"approved"`` or ``"rejected"``.
        reason: Why.
        reviewer: Who signed off.
        role: The reviewer's role (always ``"reviewer"``).
        created_at: When it was stored (UTC).
        decisions_snapshot: Target -> id of its current decision at sign-off time.
        override: Why an approval overrode a failing gate or a rejected column (None: no
            override was needed).
    """

    id: int
    run_id: str
    decision: str
    reason: str
    reviewer: str
    role: str
    created_at: datetime
    decisions_snapshot: dict[str, int]
    override: str | None = None

    @property
    def label(self) -> str:
        """The sign-off in words, e.g. ``"approved with override: board accepted the risk"``."""
        if self.override:
            return f"{self.decision} with override: {self.override}"
        return self.decision

    @property
    def sentence(self) -> str:
        """The sign-off in one sentence or two, as every page shows it.

        Example: ``"Signed off as approved with override by Dana at 2026-12-03 08:59 UTC:
        Faithful enough. Override: Internal pilot only."``
        """
        kind = f"{self.decision} with override" if self.override else self.decision
        text = (f"Signed off as {kind} by {self.reviewer} at {self.created_at:%Y-%m-%d %H:%M} "
                f"UTC: {self.reason.strip()}")
        if self.override:
            text = f"{text.rstrip('.')}. Override: {self.override.strip()}"
        return text


_DECISION_COLS = (
    "SELECT id, run_id, kind, target, decision, comment, reviewer, role, created_at, "
    "evidence_json, seen_id, version "
)
_DECISIONS = _DECISION_COLS + "FROM review_decisions "
_CURRENT = _DECISION_COLS + "FROM review_current "
_SIGNOFFS = (
    "SELECT id, run_id, decision, reason, reviewer, role, created_at, snapshot_json, override "
    "FROM review_signoffs "
)


def utc(naive: datetime) -> datetime:
    """A stored (naive, UTC) timestamp as a zone-aware UTC datetime."""
    return naive.replace(tzinfo=UTC)


def _jsonable(value: Any) -> Any:
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, datetime):
        return value.isoformat()
    raise TypeError(f"evidence holds a {type(value).__name__}, which is not JSON: {value!r}")


def encode_evidence(evidence: dict[str, Any]) -> str:
    """Evidence as stored: JSON with sorted keys; numpy scalars and arrays become plain values.

    Example: ``{"ks": np.float64(0.9)} -> '{"ks": 0.9}'``.
    """
    return json.dumps(evidence, sort_keys=True, default=_jsonable)


def _decision(row: tuple) -> Decision:
    return Decision(
        id=int(row[0]), run_id=row[1], kind=row[2], target=row[3], decision=row[4],
        comment=row[5], reviewer=row[6], role=row[7], created_at=utc(row[8]),
        evidence=json.loads(row[9]), seen_id=None if row[10] is None else int(row[10]),
    )


def _signoff(row: tuple) -> SignOff:
    return SignOff(
        id=int(row[0]), run_id=row[1], decision=row[2], reason=row[3], reviewer=row[4],
        role=row[5], created_at=utc(row[6]), decisions_snapshot=json.loads(row[7]),
        override=row[8],
    )


def run_status(cur: duckdb.DuckDBPyConnection, run_id: str) -> str | None:
    """The run's status, or None when there is no such run."""
    row = cur.execute("SELECT status FROM runs WHERE id = ?", [run_id]).fetchone()
    return None if row is None else row[0]


def decision_by_token(
    cur: duckdb.DuckDBPyConnection, run_id: str, token: str
) -> Decision | None:
    """The decision stored with this client token, if any."""
    row = cur.execute(
        _DECISIONS + "WHERE run_id = ? AND token = ?",
        [run_id, token],
    ).fetchone()
    return None if row is None else _decision(row)


def latest_decision(
    cur: duckdb.DuckDBPyConnection, run_id: str, kind: str, target: str
) -> tuple[Decision, int] | None:
    """The current decision on a target and its version, or None when it has none."""
    row = cur.execute(
        _DECISIONS + "WHERE run_id = ? AND kind = ? AND target = ? ORDER BY version DESC LIMIT 1",
        [run_id, kind, target],
    ).fetchone()
    return None if row is None else (_decision(row), int(row[11]))


def insert_decision(
    cur: duckdb.DuckDBPyConnection,
    *,
    run_id: str,
    kind: str,
    target: str,
    version: int,
    decision: str,
    comment: str,
    reviewer: str,
    role: str,
    created_at: datetime,
    evidence_json: str,
    seen_id: int | None,
    token: str | None,
) -> int:
    """Append one decision; return its id.

    Raises:
        duckdb.ConstraintException: This version of the target (or this token) is already
            committed.
    """
    row = cur.execute(
        "INSERT INTO review_decisions (run_id, kind, target, version, decision, comment, "
        "reviewer, role, created_at, evidence_json, seen_id, token) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        [run_id, kind, target, version, decision, comment, reviewer, role,
         created_at.replace(tzinfo=None), evidence_json, seen_id, token],
    ).fetchone()
    return int(row[0])


def current_decisions(
    cur: duckdb.DuckDBPyConnection, run_id: str, kinds: tuple[str, ...]
) -> list[Decision]:
    """The current decision of every target of the given kinds, oldest target first."""
    rows = cur.execute(
        _CURRENT + "WHERE run_id = ? AND list_contains(?, kind) ORDER BY id",
        [run_id, list(kinds)],
    ).fetchall()
    return [_decision(r) for r in rows]


def decision_history(
    cur: duckdb.DuckDBPyConnection, run_id: str, target: str | None
) -> list[Decision]:
    """Every decision of a run (or of one target), newest first."""
    if target is None:
        rows = cur.execute(
            _DECISIONS + "WHERE run_id = ? ORDER BY id DESC",
            [run_id],
        ).fetchall()
    else:
        rows = cur.execute(
            _DECISIONS + "WHERE run_id = ? AND target = ? ORDER BY id DESC",
            [run_id, target],
        ).fetchall()
    return [_decision(r) for r in rows]


def count_decisions(cur: duckdb.DuckDBPyConnection, run_id: str) -> int:
    """How many decisions (events of every kind) the run has."""
    return int(cur.execute("SELECT count(*) FROM review_decisions WHERE run_id = ?",
                           [run_id]).fetchone()[0])


def signoff_by_token(cur: duckdb.DuckDBPyConnection, run_id: str, token: str) -> SignOff | None:
    """The sign-off stored with this client token, if any."""
    row = cur.execute(
        _SIGNOFFS + "WHERE run_id = ? AND token = ?",
        [run_id, token],
    ).fetchone()
    return None if row is None else _signoff(row)


def insert_signoff(
    cur: duckdb.DuckDBPyConnection,
    *,
    run_id: str,
    decision: str,
    reason: str,
    reviewer: str,
    role: str,
    created_at: datetime,
    snapshot_json: str,
    token: str | None,
    override: str | None = None,
) -> int:
    """Append one sign-off; return its id."""
    row = cur.execute(
        "INSERT INTO review_signoffs (run_id, decision, reason, reviewer, role, created_at, "
        "snapshot_json, token, override) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        [run_id, decision, reason, reviewer, role, created_at.replace(tzinfo=None),
         snapshot_json, token, override],
    ).fetchone()
    return int(row[0])


def signoffs(cur: duckdb.DuckDBPyConnection, run_id: str) -> list[SignOff]:
    """Every sign-off of a run, newest first."""
    rows = cur.execute(
        _SIGNOFFS + "WHERE run_id = ? ORDER BY id DESC",
        [run_id],
    ).fetchall()
    return [_signoff(r) for r in rows]


def latest_verdict(cur: duckdb.DuckDBPyConnection, run_id: str) -> str | None:
    """The verdict of the run's newest stored report (``pass``/``fail``/``incomplete``), or None."""
    row = cur.execute(
        "SELECT verdict FROM reports WHERE run_id = ? ORDER BY created_at DESC LIMIT 1",
        [run_id]).fetchone()
    return None if row is None else row[0]


def current_signoffs(cur: duckdb.DuckDBPyConnection, run_ids: list[str]) -> dict[str, SignOff]:
    """The latest sign-off of each of ``run_ids`` that has one, by run id."""
    rows = cur.execute(
        _SIGNOFFS + "WHERE list_contains(?, run_id) "
        "QUALIFY row_number() OVER (PARTITION BY run_id ORDER BY id DESC) = 1",
        [list(run_ids)],
    ).fetchall()
    return {r[1]: _signoff(r) for r in rows}


def write_once(write: Callable[[], T], settle: Callable[[], T | None]) -> T:
    """Run ``write``; when a concurrent writer's UNIQUE key wins, let ``settle`` answer.

    ``settle`` returns the other writer's event (same token), raises (e.g. a review conflict),
    or returns None when nothing has changed in view yet: DuckDB 2.0 can report the duplicate
    key of a concurrent commit that a new snapshot does not see for a moment, so the write is
    tried again, at most ``WRITE_ATTEMPTS`` times.

    Args:
        write: One complete transaction; returns the stored event.
        settle: Reads what the winning writer stored; called after each conflict.

    Returns:
        What ``write`` or ``settle`` returned.
    """
    for attempt in range(WRITE_ATTEMPTS):
        try:
            return write()
        except (duckdb.ConstraintException, duckdb.TransactionException):
            found = settle()
            if found is not None:
                return found
            if attempt == WRITE_ATTEMPTS - 1:
                raise
            time.sleep(RETRY_PAUSE_SECONDS * (attempt + 1))
    raise AssertionError("unreachable")
