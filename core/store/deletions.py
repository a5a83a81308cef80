"""Queries for deleting datasets and runs, purging real rows, and the ``deletions`` audit log.

Deletes reach every table that refers to what is deleted, found by column name in the catalogue
(``report_id``, ``run_id``, ``dataset_id``), so tables added by later migrations (``jobs``, review
tables) are covered without a change here, before and after they exist. The log itself is never
deleted from. Parameterised queries only; table names come from the catalogue and are quoted.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import duckdb

from core.store.backup import quote_ident
from core.store.db import Store

DATASET, RUN, PURGE_REAL = "dataset", "run", "purge_real"
KINDS = (DATASET, RUN, PURGE_REAL)
_LOG = "deletions"


@dataclass(frozen=True)
class Deletion:
    """One entry of the audit log: what was removed, by whom, when and why (never the data).

    Attributes:
        id: Increasing id of the entry.
        kind: ``"dataset"``, ``"run"`` or ``"purge_real"``.
        target_id: The dataset or run id.
        target_name: The dataset's name, or for a run its generator and dataset name.
        dataset_id: The dataset concerned.
        counts: Table -> rows removed from it.
        real_rows: Real table rows removed.
        synthetic_rows: Synthetic rows removed.
        reason: Why.
        who: Who asked for it.
        role: Their role.
        forced: A purge without an approved sign-off.
        created_at: When the rows were deleted (UTC).
        erased_at: When the file and backups were rewritten (UTC); None while pending.
    """

    id: int
    kind: str
    target_id: str
    target_name: str
    dataset_id: str
    counts: dict[str, int]
    real_rows: int
    synthetic_rows: int
    reason: str
    who: str
    role: str
    forced: bool
    created_at: datetime
    erased_at: datetime | None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict (times as ISO text)."""
        d = dict(self.__dict__)
        d["created_at"] = self.created_at.isoformat()
        d["erased_at"] = self.erased_at.isoformat() if self.erased_at else None
        return d


_SELECT = (
    "SELECT id, kind, target_id, target_name, dataset_id, counts_json, real_rows, "
    "synthetic_rows, reason, who, role, forced, created_at, erased_at FROM deletions "
)


def _utc(value: datetime | None) -> datetime | None:
    return None if value is None else value.replace(tzinfo=UTC)


def _deletion(row: tuple) -> Deletion:
    return Deletion(
        id=int(row[0]), kind=row[1], target_id=row[2], target_name=row[3], dataset_id=row[4],
        counts=json.loads(row[5]), real_rows=int(row[6]), synthetic_rows=int(row[7]),
        reason=row[8], who=row[9], role=row[10], forced=bool(row[11]),
        created_at=_utc(row[12]), erased_at=_utc(row[13]),
    )


def _tables_with(cur: duckdb.DuckDBPyConnection, column: str) -> list[str]:
    rows = cur.execute(
        "SELECT c.table_name FROM information_schema.columns c "
        "JOIN information_schema.tables t ON t.table_schema = c.table_schema "
        "AND t.table_name = c.table_name "
        "WHERE c.table_schema = 'main' AND t.table_type = 'BASE TABLE' AND c.column_name = ? "
        "AND c.table_name <> ? ORDER BY c.table_name",
        [column, _LOG],
    ).fetchall()
    return [r[0] for r in rows]


def _delete_where(
    cur: duckdb.DuckDBPyConnection, table: str, column: str, ids: list[str], counts: dict
) -> None:
    if not ids:
        return
    n = cur.execute(
        f"DELETE FROM {quote_ident(table)} WHERE list_contains(?, {quote_ident(column)})", [ids]
    ).fetchone()[0]
    if n:
        counts[table] = counts.get(table, 0) + int(n)


def _delete_runs(cur: duckdb.DuckDBPyConnection, run_ids: list[str], counts: dict) -> int:
    """Delete runs and everything that refers to them; return their synthetic row count."""
    if not run_ids:
        return 0
    synthetic = cur.execute(
        "SELECT coalesce(sum(n_rows), 0) FROM run_rows WHERE list_contains(?, run_id)", [run_ids]
    ).fetchone()[0]
    report_ids = [r[0] for r in cur.execute(
        "SELECT id FROM reports WHERE list_contains(?, run_id)", [run_ids]).fetchall()]
    for table in _tables_with(cur, "report_id"):
        _delete_where(cur, table, "report_id", report_ids, counts)
    for table in _tables_with(cur, "run_id"):
        _delete_where(cur, table, "run_id", run_ids, counts)
    _delete_where(cur, "runs", "id", run_ids, counts)
    return int(synthetic)


def delete_run_rows(cur: duckdb.DuckDBPyConnection, run_id: str) -> tuple[dict[str, int], int]:
    """Delete a run, its synthetic rows, reports, decisions and jobs; return (counts, synthetic)."""
    counts: dict[str, int] = {}
    synthetic = _delete_runs(cur, [run_id], counts)
    return counts, synthetic


def delete_dataset_rows(
    cur: duckdb.DuckDBPyConnection, dataset_id: str
) -> tuple[dict[str, int], int]:
    """Delete a dataset and everything made from it; return (counts per table, synthetic rows)."""
    counts: dict[str, int] = {}
    run_ids = [r[0] for r in cur.execute(
        "SELECT id FROM runs WHERE dataset_id = ?", [dataset_id]).fetchall()]
    synthetic = _delete_runs(cur, run_ids, counts)
    for table in _tables_with(cur, "dataset_id"):
        _delete_where(cur, table, "dataset_id", [dataset_id], counts)
    _delete_where(cur, "datasets", "id", [dataset_id], counts)
    return counts, synthetic


def purge_real_rows(
    cur: duckdb.DuckDBPyConnection, dataset_id: str, load_report_json: str
) -> dict[str, int]:
    """Delete a dataset's real rows and holdout split; keep a scrubbed load report."""
    counts: dict[str, int] = {}
    for table in ("dataset_rows", "dataset_splits"):
        _delete_where(cur, table, "dataset_id", [dataset_id], counts)
    cur.execute("UPDATE datasets SET load_report_json = ? WHERE id = ?",
                [load_report_json, dataset_id])
    return counts


def running_runs(cur: duckdb.DuckDBPyConnection, dataset_id: str) -> list[str]:
    """Ids of the dataset's runs that are still running."""
    rows = cur.execute(
        "SELECT id FROM runs WHERE dataset_id = ? AND status = 'running' ORDER BY id", [dataset_id]
    ).fetchall()
    return [r[0] for r in rows]


def insert_deletion(
    cur: duckdb.DuckDBPyConnection,
    *,
    kind: str,
    target_id: str,
    target_name: str,
    dataset_id: str,
    counts: dict[str, int],
    real_rows: int,
    synthetic_rows: int,
    reason: str,
    who: str,
    role: str,
    forced: bool,
    created_at: datetime,
) -> int:
    """Append an entry to the log; return its id."""
    row = cur.execute(
        "INSERT INTO deletions (kind, target_id, target_name, dataset_id, counts_json, real_rows, "
        "synthetic_rows, reason, who, role, forced, created_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        [kind, target_id, target_name, dataset_id, json.dumps(counts, sort_keys=True), real_rows,
         synthetic_rows, reason, who, role, forced, created_at.replace(tzinfo=None)],
    ).fetchone()
    return int(row[0])


def list_deletions(store: Store) -> list[Deletion]:
    """The whole log, newest first."""
    with store.cursor() as cur:
        return [_deletion(r) for r in cur.execute(_SELECT + "ORDER BY id DESC").fetchall()]


def get_deletion(store: Store, deletion_id: int) -> Deletion:
    """One entry of the log."""
    with store.cursor() as cur:
        return _deletion(cur.execute(_SELECT + "WHERE id = ?", [deletion_id]).fetchone())


def pending(store: Store) -> list[Deletion]:
    """Entries whose file and backups are not rewritten yet (a crash in between), oldest first."""
    with store.cursor() as cur:
        rows = cur.execute(_SELECT + "WHERE erased_at IS NULL ORDER BY id").fetchall()
    return [_deletion(r) for r in rows]


def pending_for(store: Store, kind: str, target_id: str) -> Deletion | None:
    """The pending entry of this kind and target, if a crash left one."""
    with store.cursor() as cur:
        row = cur.execute(
            _SELECT + "WHERE erased_at IS NULL AND kind = ? AND target_id = ? "
            "ORDER BY id DESC LIMIT 1", [kind, target_id]).fetchone()
    return _deletion(row) if row else None


def mark_erased(store: Store, ids: list[int], when: datetime) -> None:
    """Record that the file and backups no longer hold what entries ``ids`` removed."""
    with store.transaction() as cur:
        cur.execute("UPDATE deletions SET erased_at = ? WHERE list_contains(?, id)",
                    [when.replace(tzinfo=None), ids])


def purge_of(cur: duckdb.DuckDBPyConnection, dataset_id: str) -> Deletion | None:
    """The purge in force on a dataset, or None when its real rows are there.

    The latest ``dataset`` or ``purge_real`` entry of the id decides: a dataset deleted and then
    added again (same content, same id) is not purged. A purged dataset whose rows were added
    again (:func:`last_purge` tells when it was purged) is not purged either.
    """
    entry = last_purge(cur, dataset_id)
    if entry is None or _holds_rows(cur, dataset_id):
        return None
    return entry


def last_purge(cur: duckdb.DuckDBPyConnection, dataset_id: str) -> Deletion | None:
    """The dataset's latest purge since it was last added, whether or not its rows are back."""
    row = cur.execute(
        _SELECT + "WHERE target_id = ? AND kind IN (?, ?) ORDER BY id DESC LIMIT 1",
        [dataset_id, DATASET, PURGE_REAL],
    ).fetchone()
    if row is None or row[1] != PURGE_REAL:
        return None
    return _deletion(row)


def _holds_rows(cur: duckdb.DuckDBPyConnection, dataset_id: str) -> bool:
    return cur.execute("SELECT count(*) FROM dataset_rows WHERE dataset_id = ?",
                       [dataset_id]).fetchone()[0] > 0


def approved_signoffs(cur: duckdb.DuckDBPyConnection) -> dict[str, datetime]:
    """Dataset id -> when its earliest run whose current sign-off is 'approved' was signed off."""
    rows = cur.execute(
        "SELECT r.dataset_id, min(s.created_at) FROM ("
        "  SELECT run_id, decision, created_at FROM review_signoffs "
        "  QUALIFY row_number() OVER (PARTITION BY run_id ORDER BY id DESC) = 1"
        ") s JOIN runs r ON r.id = s.run_id WHERE s.decision = 'approved' "
        "GROUP BY r.dataset_id"
    ).fetchall()
    return {r[0]: r[1].replace(tzinfo=UTC) for r in rows}
