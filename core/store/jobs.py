"""Queries for jobs: long work done by Dask workers, recorded by the process owning the file.

Only the owner process writes here (DuckDB has one writer process); workers never open the file.
A job left ``queued`` or ``running`` by a process that stopped is ``interrupted`` at the next open.
"""

from __future__ import annotations

import json
import os
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from core.errors import NotFoundError
from core.store.db import Store

QUEUED, RUNNING, COMPLETE, FAILED = "queued", "running", "complete", "failed"
CANCELLED, INTERRUPTED = "cancelled", "interrupted"
STATES = (QUEUED, RUNNING, COMPLETE, FAILED, CANCELLED, INTERRUPTED)
ACTIVE = (QUEUED, RUNNING)
KINDS = ("generate", "import", "evaluate", "demo", "audit")

MSG_NO_JOB = "There is no job '{id}'. List them with: python -m core jobs list"
MSG_INTERRUPTED = (
    "The process that owned this job stopped before it finished (PID {pid}); its work was lost. "
    "Start it again."
)


@dataclass(frozen=True)
class JobInfo:
    """One job: what was asked, by whom, where it runs and how far it got."""

    id: str
    kind: str
    inputs: dict[str, Any]
    started_by: str | None
    state: str
    progress: float
    message: str | None
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    error: str | None
    worker: str | None
    result_id: str | None

    @property
    def is_active(self) -> bool:
        """True while the job is queued or running."""
        return self.state in ACTIVE

    @property
    def is_complete(self) -> bool:
        """True once the job's result is stored."""
        return self.state == COMPLETE

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict (times as ISO text)."""
        d = dict(self.__dict__)
        for k in ("created_at", "started_at", "finished_at"):
            d[k] = d[k].isoformat() if d[k] else None
        return d


_SELECT = (
    "SELECT id, kind, inputs_json, started_by, state, progress, message, created_at, started_at, "
    "finished_at, error, worker, result_id FROM jobs"
)


def _info(row: tuple) -> JobInfo:
    return JobInfo(
        id=row[0], kind=row[1], inputs=json.loads(row[2]), started_by=row[3], state=row[4],
        progress=float(row[5]), message=row[6], created_at=row[7], started_at=row[8],
        finished_at=row[9], error=row[10], worker=row[11], result_id=row[12],
    )


def new_job_id() -> str:
    """A short random job id."""
    return uuid.uuid4().hex[:12]


def create_job(store: Store, kind: str, inputs: dict[str, Any], started_by: str | None) -> str:
    """Record a queued job owned by this process; return its id."""
    job_id = new_job_id()
    with store.transaction() as cur:
        cur.execute(
            "INSERT INTO jobs (id, kind, inputs_json, started_by, state, progress, message, "
            "created_at, owner_pid) VALUES (?, ?, ?, ?, ?, 0.0, 'queued', current_timestamp, ?)",
            [job_id, kind, json.dumps(inputs, sort_keys=True, default=str), started_by, QUEUED,
             os.getpid()],
        )
    return job_id


def set_running(store: Store, job_id: str, worker: str | None = None) -> None:
    """Mark a queued job running (a worker, or this process, started on it)."""
    with store.transaction() as cur:
        cur.execute(
            "UPDATE jobs SET state = ?, started_at = coalesce(started_at, current_timestamp), "
            "worker = coalesce(?, worker) WHERE id = ? AND state IN (?, ?)",
            [RUNNING, worker, job_id, QUEUED, RUNNING],
        )


def set_progress(store: Store, job_id: str, fraction: float, message: str) -> None:
    """Record how far an active job got (fraction 0..1 and what it is doing)."""
    with store.transaction() as cur:
        cur.execute(
            "UPDATE jobs SET progress = ?, message = ? WHERE id = ? AND state IN (?, ?)",
            [min(max(float(fraction), 0.0), 1.0), message[:200], job_id, QUEUED, RUNNING],
        )


def finish_job(
    store: Store, job_id: str, state: str, *, result_id: str | None = None,
    error: str | None = None,
) -> None:
    """Mark an active job complete, failed or cancelled (a finished job is never changed)."""
    if state not in (COMPLETE, FAILED, CANCELLED):
        raise ValueError(f"finish_job takes complete, failed or cancelled; got {state!r}")
    with store.transaction() as cur:
        cur.execute(
            "UPDATE jobs SET state = ?, result_id = ?, error = ?, finished_at = current_timestamp, "
            "progress = CASE WHEN ? = 'complete' THEN 1.0 ELSE progress END, "
            "message = CASE WHEN ? = 'complete' THEN 'done' ELSE message END "
            "WHERE id = ? AND state IN (?, ?)",
            [state, result_id, error, state, state, job_id, QUEUED, RUNNING],
        )


def mark_interrupted(store: Store) -> list[str]:
    """Mark jobs left queued or running by a process that no longer holds the file interrupted."""
    me = os.getpid()
    with store.transaction() as cur:
        rows = cur.execute(
            "SELECT id, owner_pid FROM jobs WHERE state IN (?, ?) AND owner_pid <> ?",
            [QUEUED, RUNNING, me],
        ).fetchall()
        for job_id, pid in rows:
            cur.execute(
                "UPDATE jobs SET state = ?, error = ?, finished_at = current_timestamp "
                "WHERE id = ?",
                [INTERRUPTED, MSG_INTERRUPTED.format(pid=pid), job_id],
            )
    return [r[0] for r in rows]


def get_job(store: Store, job_id: str) -> JobInfo:
    """One job; :class:`NotFoundError` if missing."""
    with store.cursor() as cur:
        row = cur.execute(_SELECT + " WHERE id = ?", [job_id]).fetchone()
    if row is None:
        raise NotFoundError(MSG_NO_JOB.format(id=job_id))
    return _info(row)


def jobs_signature(store: Store) -> tuple:
    """What changes whenever a job is added, starts, finishes or is removed (one cheap query).

    Progress is not in it: it moves only while a job is active, when pages poll every second.
    """
    with store.cursor() as cur:
        return tuple(cur.execute(
            "SELECT count(*), count(*) FILTER (WHERE state IN ('queued', 'running')), "
            "max(created_at), max(started_at), max(finished_at) FROM jobs").fetchone())


def list_jobs(store: Store, kind: str | None = None, limit: int = 200) -> list[JobInfo]:
    """Jobs, active ones first, then newest first (optionally of one kind)."""
    order = " ORDER BY (state IN ('queued', 'running')) DESC, created_at DESC, id LIMIT ?"
    with store.cursor() as cur:
        if kind is None:
            rows = cur.execute(_SELECT + order, [limit]).fetchall()
        else:
            rows = cur.execute(_SELECT + " WHERE kind = ?" + order, [kind, limit]).fetchall()
    return [_info(r) for r in rows]
