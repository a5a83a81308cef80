"""Queries for generator audits: the result JSON, what was asked, and timings.

The store is the lowest layer, so it deals in JSON text (``AuditResult.to_json()``);
``core.audit.stored`` turns one into the other.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from core.errors import NotFoundError
from core.store.db import Store

MSG_NO_AUDIT = "There is no audit '{id}'."


@dataclass(frozen=True)
class AuditRow:
    """One stored audit."""

    id: str
    run_id: str
    report_id: str
    job_id: str | None
    created_at: datetime
    params: dict[str, Any]
    result_json: str
    seconds: float | None
    timings: dict[str, Any]


_SELECT = ("SELECT id, run_id, report_id, job_id, created_at, params_json, result_json, seconds, "
           "timings_json FROM audits")


def _row(r: tuple) -> AuditRow:
    return AuditRow(id=r[0], run_id=r[1], report_id=r[2], job_id=r[3], created_at=r[4],
                    params=json.loads(r[5]), result_json=r[6], seconds=r[7],
                    timings=json.loads(r[8]))


def save_audit(store: Store, *, run_id: str, report_id: str, job_id: str | None,
               params: dict[str, Any], result_json: str, seconds: float | None,
               timings: dict[str, Any]) -> str:
    """Store an audit (one transaction); return its id."""
    audit_id = uuid.uuid4().hex[:12]
    with store.transaction() as cur:
        cur.execute(
            "INSERT INTO audits VALUES (?, ?, ?, ?, current_timestamp, ?, ?, ?, ?)",
            [audit_id, run_id, report_id, job_id, json.dumps(params, sort_keys=True, default=str),
             result_json, seconds, json.dumps(timings, sort_keys=True)],
        )
    return audit_id


def latest_audit(store: Store, run_id: str) -> AuditRow | None:
    """The newest audit of a run, or None when it was never audited."""
    with store.cursor() as cur:
        row = cur.execute(_SELECT + " WHERE run_id = ? ORDER BY created_at DESC, id LIMIT 1",
                          [run_id]).fetchone()
    return None if row is None else _row(row)


def latest_audit_id(store: Store, run_id: str) -> str | None:
    """The id of a run's newest audit (cheap: for cache keys)."""
    with store.cursor() as cur:
        row = cur.execute("SELECT id FROM audits WHERE run_id = ? ORDER BY created_at DESC, id "
                          "LIMIT 1", [run_id]).fetchone()
    return row[0] if row else None


def get_audit(store: Store, audit_id: str) -> AuditRow:
    """One audit by id; :class:`NotFoundError` if missing."""
    with store.cursor() as cur:
        row = cur.execute(_SELECT + " WHERE id = ?", [audit_id]).fetchone()
    if row is None:
        raise NotFoundError(MSG_NO_AUDIT.format(id=audit_id))
    return _row(row)


def count_audits(store: Store, run_id: str) -> int:
    """How many audits a run has."""
    with store.cursor() as cur:
        return int(cur.execute("SELECT count(*) FROM audits WHERE run_id = ?",
                               [run_id]).fetchone()[0])
