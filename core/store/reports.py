"""Queries for evaluation reports: the report JSON plus every value, in one transaction.

The store is the lowest layer, so it deals in the report's JSON text (``Report.to_json()``), not
in ``Report`` objects: ``core.evaluation`` turns one into the other.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import datetime

import pandas as pd

from core.errors import NotFoundError
from core.store.db import Store

MSG_NO_REPORT = "Run '{run}' has no stored report yet. Evaluate it: python -m core evaluate {run}"


@dataclass(frozen=True)
class ReportRow:
    """A stored report's summary (for leaderboards and history)."""

    id: str
    run_id: str
    policy: str
    verdict: str
    created_at: datetime
    seconds: float | None
    families: dict[str, float | None]


def save_report(store: Store, report_json: str, run_id: str, cache_key: str) -> str:
    """Store a report (its JSON text), its family scores and every metric value; return its id."""
    report_id = uuid.uuid4().hex[:12]
    report = json.loads(report_json)
    values = pd.DataFrame(
        [{
            "report_id": report_id, "seq": i, "key": r["key"], "family": r["family"],
            "columns_json": json.dumps(list(r["columns"])), "grp": r["group"],
            "value": r["value"], "score": r["score"], "status": r["status"],
            "reason": r["reason"], "baseline": r["baseline"], "ci_low": r["ci_low"],
            "ci_high": r["ci_high"], "n": r["n"],
        } for i, r in enumerate(report["metrics"])],
        columns=["report_id", "seq", "key", "family", "columns_json", "grp", "value", "score",
                 "status", "reason", "baseline", "ci_low", "ci_high", "n"],
    )
    values = values.astype({"value": "float64", "score": "float64", "baseline": "float64",
                            "ci_low": "float64", "ci_high": "float64", "n": "Int64",
                            "grp": "object", "reason": "object"})
    with store.transaction() as cur:
        cur.execute(
            "INSERT INTO reports VALUES (?, ?, ?, ?, ?, current_timestamp, ?, ?, ?, ?)",
            [report_id, run_id, cache_key, report["policy"], report["verdict"]["outcome"],
             report["seconds"].get("total"), json.dumps(report["config"], sort_keys=True),
             json.dumps(report["versions"], sort_keys=True), report_json],
        )
        for fam, body in report["families"].items():
            cur.execute("INSERT INTO report_families VALUES (?, ?, ?)",
                        [report_id, fam, body["score"]])
        cur.register("values_df", values)
        cur.execute("INSERT INTO metric_values SELECT * FROM values_df")
        cur.unregister("values_df")
    return report_id


def find_report(store: Store, cache_key: str, policy: str | None = None) -> str | None:
    """The JSON of a stored report with this cache key (and policy, if given), newest first."""
    with store.cursor() as cur:
        if policy is None:
            row = cur.execute(
                "SELECT report_json FROM reports WHERE cache_key = ? ORDER BY created_at DESC "
                "LIMIT 1", [cache_key]).fetchone()
        else:
            row = cur.execute(
                "SELECT report_json FROM reports WHERE cache_key = ? AND policy = ? "
                "ORDER BY created_at DESC LIMIT 1", [cache_key, policy]).fetchone()
    return row[0] if row else None


def latest_report(store: Store, run_id: str) -> str:
    """The JSON of the newest stored report of a run."""
    with store.cursor() as cur:
        row = cur.execute(
            "SELECT report_json FROM reports WHERE run_id = ? ORDER BY created_at DESC LIMIT 1",
            [run_id]).fetchone()
    if row is None:
        raise NotFoundError(MSG_NO_REPORT.format(run=run_id))
    return row[0]


def report_rows(store: Store, run_ids: list[str]) -> list[ReportRow]:
    """The newest report of each of ``run_ids`` that has one."""
    if not run_ids:
        return []
    with store.cursor() as cur:
        rows = cur.execute(
            "SELECT r.id, r.run_id, r.policy, r.verdict, r.created_at, r.seconds "
            "FROM reports r WHERE list_contains(?, r.run_id) "
            "QUALIFY row_number() OVER (PARTITION BY r.run_id ORDER BY r.created_at DESC) = 1",
            [run_ids]).fetchall()
        fams = cur.execute(
            "SELECT report_id, family, score FROM report_families "
            "WHERE list_contains(?, report_id)", [[r[0] for r in rows]]).fetchall()
    by_report: dict[str, dict[str, float | None]] = {}
    for rid, fam, score in fams:
        by_report.setdefault(rid, {})[fam] = score
    return [ReportRow(id=r[0], run_id=r[1], policy=r[2], verdict=r[3], created_at=r[4],
                      seconds=r[5], families=by_report.get(r[0], {})) for r in rows]


def latest_report_id(store: Store, run_id: str) -> str | None:
    """The id of the newest stored report of a run (cheap: for cache keys)."""
    with store.cursor() as cur:
        row = cur.execute(
            "SELECT id FROM reports WHERE run_id = ? ORDER BY created_at DESC LIMIT 1", [run_id]
        ).fetchone()
    return row[0] if row else None


def load_report(store: Store, report_id: str) -> str:
    """The JSON of a stored report by its id."""
    with store.cursor() as cur:
        row = cur.execute("SELECT report_json FROM reports WHERE id = ?", [report_id]).fetchone()
    if row is None:
        raise NotFoundError(f"There is no report '{report_id}'.")
    return row[0]
