"""Queries for generator runs. A run's rows are readable only once the run is complete."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import pandas as pd

from core.errors import NotFoundError, UserInputError
from core.store.db import Store
from core.store.frames import from_parquet_bytes, parquet_metadata, to_parquet_bytes

RUNNING, COMPLETE, FAILED, INTERRUPTED = "running", "complete", "failed", "interrupted"
STATUSES = (RUNNING, COMPLETE, FAILED, INTERRUPTED)
# Parquet key-value entry listing the identifier columns stored with an imported file's rows.
IDENTIFIERS_META = "synthreview.identifier_columns"

MSG_NO_RUN = "There is no run '{id}'. List them with: python -m core runs list"
MSG_RUN_NOT_COMPLETE = (
    "Run '{id}' is {status}, so it has no synthetic rows. Pick a complete run or generate again."
)
MSG_INTERRUPTED = "The process running it stopped before it finished (PID {pid}). Run it again."


@dataclass(frozen=True)
class RunInfo:
    """One generator run (without its rows)."""

    id: str
    dataset_id: str
    dataset_name: str
    schema_version: int
    generator: str
    params: dict[str, Any]
    seed: int | None
    rows_requested: int | None
    status: str
    error: str | None
    created_at: datetime
    finished_at: datetime | None
    fit_seconds: float | None
    sample_seconds: float | None
    peak_memory_mb: float | None
    versions: dict[str, str]
    source_name: str | None
    n_rows: int | None

    @property
    def is_complete(self) -> bool:
        """True once the run's synthetic rows are stored (the only runs that can be evaluated)."""
        return self.status == COMPLETE

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict (times as ISO text)."""
        d = dict(self.__dict__)
        d["created_at"] = self.created_at.isoformat() if self.created_at else None
        d["finished_at"] = self.finished_at.isoformat() if self.finished_at else None
        return d


_SELECT = """
SELECT r.id, r.dataset_id, d.name, r.schema_version, r.generator, r.params_json, r.seed,
       r.rows_requested, r.status, r.error, r.created_at, r.finished_at, r.fit_seconds,
       r.sample_seconds, r.peak_memory_mb, r.versions_json, r.source_name, rr.n_rows
FROM runs r
JOIN datasets d ON d.id = r.dataset_id
LEFT JOIN run_rows rr ON rr.run_id = r.id AND r.status = 'complete'
"""


def _info(row: tuple) -> RunInfo:
    return RunInfo(
        id=row[0], dataset_id=row[1], dataset_name=row[2], schema_version=int(row[3]),
        generator=row[4], params=json.loads(row[5]), seed=row[6], rows_requested=row[7],
        status=row[8], error=row[9], created_at=row[10], finished_at=row[11],
        fit_seconds=row[12], sample_seconds=row[13], peak_memory_mb=row[14],
        versions=json.loads(row[15]), source_name=row[16],
        n_rows=int(row[17]) if row[17] is not None else None,
    )


def start_run(
    store: Store,
    *,
    run_id: str,
    dataset_id: str,
    schema_version: int,
    generator: str,
    params: dict[str, Any],
    seed: int | None,
    rows_requested: int | None,
    versions: dict[str, str],
    source_name: str | None = None,
) -> None:
    """Record a run as running, owned by this process."""
    with store.transaction() as cur:
        cur.execute(
            "INSERT INTO runs (id, dataset_id, schema_version, generator, params_json, seed, "
            "rows_requested, status, created_at, versions_json, owner_pid, source_name) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, current_timestamp, ?, ?, ?)",
            [run_id, dataset_id, schema_version, generator, json.dumps(params, sort_keys=True),
             seed, rows_requested, RUNNING, json.dumps(versions), os.getpid(), source_name],
        )


def complete_run(
    store: Store,
    run_id: str,
    synthetic: pd.DataFrame,
    *,
    fit_seconds: float | None,
    sample_seconds: float | None,
    peak_memory_mb: float | None,
    identifier_columns: tuple[str, ...] = (),
) -> None:
    """Write the synthetic rows and mark the run complete, in one transaction.

    ``identifier_columns`` are columns of ``synthetic`` that the schema calls identifiers (an
    imported file may hold them). They are stored for the rare-value replay check only:
    :func:`load_synthetic` leaves them out unless asked.
    """
    meta = {IDENTIFIERS_META: json.dumps(list(identifier_columns))} if identifier_columns else None
    blob = to_parquet_bytes(synthetic, meta)
    with store.transaction() as cur:
        cur.execute(
            "INSERT INTO run_rows VALUES (?, ?, ?)", [run_id, len(synthetic), blob]
        )
        cur.execute(
            "UPDATE runs SET status = ?, finished_at = current_timestamp, fit_seconds = ?, "
            "sample_seconds = ?, peak_memory_mb = ? WHERE id = ? AND status = ?",
            [COMPLETE, fit_seconds, sample_seconds, peak_memory_mb, run_id, RUNNING],
        )


def fail_run(store: Store, run_id: str, error: str, fit_seconds: float | None = None) -> None:
    """Mark a running run failed with the reason in plain words."""
    with store.transaction() as cur:
        cur.execute(
            "UPDATE runs SET status = ?, error = ?, finished_at = current_timestamp, "
            "fit_seconds = ? WHERE id = ? AND status = ?",
            [FAILED, error, fit_seconds, run_id, RUNNING],
        )


def discard_running_run(store: Store, run_id: str) -> None:
    """Delete a run that is still ``running`` (it has no rows): its job was cancelled."""
    with store.transaction() as cur:
        cur.execute("DELETE FROM runs WHERE id = ? AND status = ?", [run_id, RUNNING])


def mark_interrupted(store: Store) -> list[str]:
    """Mark runs left 'running' by a process that no longer holds the file as interrupted.

    Only one process can open the file read-write, so at open time any running run owned by
    another PID was cut off (killed server, power loss).
    """
    me = os.getpid()
    with store.transaction() as cur:
        rows = cur.execute(
            "SELECT id, owner_pid FROM runs WHERE status = ? AND owner_pid <> ?", [RUNNING, me]
        ).fetchall()
        for run_id, pid in rows:
            cur.execute(
                "UPDATE runs SET status = ?, error = ?, finished_at = current_timestamp "
                "WHERE id = ?",
                [INTERRUPTED, MSG_INTERRUPTED.format(pid=pid), run_id],
            )
    return [r[0] for r in rows]


def list_runs(store: Store, dataset_id: str | None = None) -> list[RunInfo]:
    """Runs, newest first, optionally of one dataset."""
    with store.cursor() as cur:
        if dataset_id is None:
            rows = cur.execute(_SELECT + " ORDER BY r.created_at DESC, r.id").fetchall()
        else:
            rows = cur.execute(
                _SELECT + " WHERE r.dataset_id = ? ORDER BY r.created_at DESC, r.id",
                [dataset_id],
            ).fetchall()
    return [_info(r) for r in rows]


def get_run(store: Store, run_id: str) -> RunInfo:
    """One run; :class:`NotFoundError` if missing."""
    with store.cursor() as cur:
        row = cur.execute(_SELECT + " WHERE r.id = ?", [run_id]).fetchone()
    if row is None:
        raise NotFoundError(MSG_NO_RUN.format(id=run_id))
    return _info(row)


def load_synthetic(store: Store, run_id: str, *, identifiers: bool = False) -> pd.DataFrame:
    """The synthetic rows of a complete run.

    Identifier columns stored with an imported file are left out (exports, pages and bundles
    never see them) unless ``identifiers`` is True (the evaluation, which checks them for
    replayed real values).
    """
    info = get_run(store, run_id)
    if info.status != COMPLETE:
        raise UserInputError(MSG_RUN_NOT_COMPLETE.format(id=run_id, status=info.status))
    with store.cursor() as cur:
        row = cur.execute(
            "SELECT rr.parquet FROM run_rows rr JOIN runs r ON r.id = rr.run_id "
            "WHERE rr.run_id = ? AND r.status = ?",
            [run_id, COMPLETE],
        ).fetchone()
    df = from_parquet_bytes(row[0])
    stored = parquet_metadata(row[0], IDENTIFIERS_META)
    if stored and not identifiers:
        df = df.drop(columns=[c for c in json.loads(stored) if c in df.columns])
    return df
