"""Evaluate stored runs: load the rows, call ``evaluate``, store the report, reuse it later."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, replace

import pandas as pd

from core.datasets import current_schema_version, load_dataset
from core.errors import NotFoundError
from core.gate import DEFAULT_POLICY
from core.metrics.config import EvalConfig
from core.metrics.privacy.shadow_membership import KEY as SHADOW_KEY
from core.metrics.privacy.shadow_membership import MSG_IMPORTED, ShadowMembershipInference
from core.metrics.registry import BUILTIN_PATHS
from core.metrics.schedule import TaskRunner
from core.report import REPORT_FORMAT, Report, evaluate
from core.runs import complete_runs, library_versions, load_synthetic, require_complete
from core.schema import Schema
from core.store import Store
from core.store import audits as audits_q
from core.store import reports as q
from core.store import runs as runs_q


def with_audit(store: Store, report: Report) -> Report:
    """The report with its run's newest generator audit as ``privacy.shadow_membership_inference``.

    The audit is computed apart from the evaluation (it retrains the generator: ``core.audit``),
    so stored reports never hold it; every view of a report goes through here. Without an
    audit the evaluation's "not computed" row stays (an imported run says that it has no
    generator to audit), so the gate check is never a pass.
    """
    if report.run_id is None:
        return report
    # The metric's own class, not ``get_metric``: the registry would import every metric module
    # (scipy.stats, scikit-learn, ...), 2-3.7 s of a CLI command that only prints a stored report.
    metric = ShadowMembershipInference()
    row = audits_q.latest_audit(store, report.run_id)
    if row is not None:
        rows = metric.rows_from_audit(json.loads(row.result_json), audit_id=row.id,
                                      created_at=row.created_at.isoformat())
    elif runs_q.get_run(store, report.run_id).generator == "uploaded":
        rows = [metric.not_computed(MSG_IMPORTED)]
    else:
        return report
    return report.with_metric(SHADOW_KEY, rows)


def cache_key(run_id: str, schema_version: int, config: EvalConfig) -> str:
    """What a report depends on: the run, the schema version, the config, code and libraries."""
    versions = library_versions()
    blob = json.dumps({
        "run": run_id, "schema": schema_version, "config": config.to_dict(),
        # The registered classes (their dotted paths: no metric module is imported here).
        "metrics": sorted(BUILTIN_PATHS), "format": REPORT_FORMAT,
        "versions": {k: versions.get(k) for k in ("sdmetrics", "anonymeter", "fairlearn",
                                                 "scikit-learn", "numpy", "pandas")},
    }, sort_keys=True)
    return hashlib.sha256(blob.encode()).hexdigest()


@dataclass(frozen=True)
class EvalInputs:
    """Everything an evaluation needs, gathered by the process owning the store.

    It travels to a Dask worker as is: the worker never opens the database.
    """

    run_id: str
    cache_key: str
    policy: str
    config: EvalConfig
    train: pd.DataFrame
    holdout: pd.DataFrame
    synthetic: pd.DataFrame
    schema: Schema


@dataclass(frozen=True)
class EvalPlan:
    """A stored report to reuse (``reused``), or the inputs to compute one (``inputs``)."""

    reused: Report | None = None
    inputs: EvalInputs | None = None


def stored_plan(
    store: Store,
    run_id: str,
    policy: str = DEFAULT_POLICY,
    config: EvalConfig | None = None,
    force: bool = False,
) -> EvalPlan | None:
    """The stored report to reuse for these inputs (cheap: no rows are read), or None.

    A report stored under another policy is judged again under ``policy`` and stored.
    """
    config = config or EvalConfig()
    run = require_complete(store, run_id)
    key = cache_key(run_id, current_schema_version(store, run.dataset_id), config)
    if force:
        return None
    same = q.find_report(store, key, policy)
    if same is not None:
        return EvalPlan(reused=with_audit(store, Report.from_json(same)))
    other = q.find_report(store, key)
    if other is not None:
        judged = Report.from_json(other).with_policy(policy)
        q.save_report(store, judged.to_json(), run_id, key)
        return EvalPlan(reused=with_audit(store, judged))
    return None


def prepare_evaluation(
    store: Store,
    run_id: str,
    policy: str = DEFAULT_POLICY,
    config: EvalConfig | None = None,
    force: bool = False,
) -> EvalPlan:
    """Reuse a stored report for the same inputs, or load the rows to compute one (owner).

    A report stored under another policy is judged again under ``policy`` and stored.
    """
    config = config or EvalConfig()
    reused = stored_plan(store, run_id, policy, config, force)
    if reused is not None:
        return reused
    run = require_complete(store, run_id)
    ds = load_dataset(store, run.dataset_id)
    return EvalPlan(inputs=EvalInputs(
        run_id=run_id, cache_key=cache_key(run_id, ds.schema_version, config), policy=policy,
        config=config, train=ds.train, holdout=ds.holdout, schema=ds.schema,
        # With the identifier columns an imported file held: only the replay check reads them.
        synthetic=load_synthetic(store, run_id, identifiers=True),
    ))


def compute_evaluation(
    inputs: EvalInputs, progress: Callable[[float, str], None] | None = None,
    runner: TaskRunner | None = None,
) -> Report:
    """Compute the report (pure: no store; runs on a Dask worker or in this process).

    ``runner``: where its tasks of metrics run (``core.report.evaluate``); threads without it.
    """
    report = evaluate(inputs.train, inputs.holdout, inputs.synthetic, inputs.schema,
                      inputs.config, inputs.policy, progress=progress, runner=runner)
    return replace(report, run_id=inputs.run_id, versions=library_versions())


def store_evaluation(store: Store, inputs: EvalInputs, report: Report) -> str:
    """Store a computed report (one transaction); return its id."""
    return q.save_report(store, report.to_json(), inputs.run_id, inputs.cache_key)


def evaluate_run(
    store: Store,
    run_id: str,
    policy: str = DEFAULT_POLICY,
    config: EvalConfig | None = None,
    force: bool = False,
    progress: Callable[[float, str], None] | None = None,
) -> tuple[Report, bool]:
    """Evaluate a complete run against its dataset's training and holdout rows.

    The dataset's latest schema version (roles included) is used. A report for the same inputs
    and config is reused (judged again under ``policy`` if it was stored under another one);
    ``force`` computes and stores a new one (the newest is the one found later).

    This computes in the calling process; the app and the CLI run it as a job on a Dask worker
    (``core.jobs``) through the same steps: ``prepare_evaluation`` (owner),
    ``compute_evaluation`` (anywhere), ``store_evaluation`` (owner).

    Returns:
        The report and whether a stored one was reused.
    """
    plan = prepare_evaluation(store, run_id, policy, config, force)
    if plan.reused is not None:
        return plan.reused, True
    report = compute_evaluation(plan.inputs, progress)
    store_evaluation(store, plan.inputs, report)
    return with_audit(store, report), False


@dataclass(frozen=True)
class LeaderboardRow:
    """One run of a dataset with its family scores and verdict."""

    run_id: str
    generator: str
    params: dict
    rows: int | None
    fidelity: float | None
    utility: float | None
    privacy: float | None
    fairness: float | None
    verdict: str
    policy: str

    def to_dict(self) -> dict:
        """JSON-ready dict."""
        return dict(self.__dict__)


def stored_report(store: Store, run_id: str) -> Report | None:
    """The newest stored report of a run, or None when it was never evaluated."""
    try:
        return with_audit(store, Report.from_json(q.latest_report(store, run_id)))
    except NotFoundError:
        return None


def latest_report_id(store: Store, run_id: str) -> str | None:
    """The id of a run's newest stored report (cheap: for cache keys), None when never evaluated."""
    return q.latest_report_id(store, run_id)


def latest_audit_id(store: Store, run_id: str) -> str | None:
    """The id of a run's newest generator audit (cheap: for cache keys), None when never audited."""
    return audits_q.latest_audit_id(store, run_id)


def load_report(store: Store, report_id: str) -> Report:
    """A stored report by its id (with its run's generator audit: :func:`with_audit`)."""
    return with_audit(store, Report.from_json(q.load_report(store, report_id)))


def _row(run, report: Report, policy: str) -> LeaderboardRow:  # noqa: ANN001 - RunInfo
    f = report.families
    return LeaderboardRow(
        run_id=run.id, generator=run.generator, params=run.params, rows=run.n_rows,
        fidelity=f.get("fidelity"), utility=f.get("utility"), privacy=f.get("privacy"),
        fairness=f.get("fairness"), verdict=report.verdict.outcome, policy=policy,
    )


def _ranked(rows: list[LeaderboardRow]) -> list[LeaderboardRow]:
    order = {"pass": 0, "incomplete": 1, "fail": 2}

    def mean(r: LeaderboardRow) -> float:
        vals = [v for v in (r.fidelity, r.utility, r.privacy, r.fairness) if v is not None]
        return sum(vals) / len(vals) if vals else 0.0

    return sorted(rows, key=lambda r: (order.get(r.verdict, 3), -mean(r)))


def stored_leaderboard(
    store: Store, dataset_id: str, policy: str = DEFAULT_POLICY
) -> tuple[list[LeaderboardRow], list[str]]:
    """The leaderboard from stored reports only (fast), and the complete runs not evaluated yet."""
    rows, missing = [], []
    for run in complete_runs(store, dataset_id):
        report = stored_report(store, run.id)
        if report is None:
            missing.append(run.id)
            continue
        judged = report if report.policy == policy else report.with_policy(policy)
        rows.append(_row(run, judged, policy))
    return _ranked(rows), missing


def compare(
    store: Store, dataset_id: str, policy: str = DEFAULT_POLICY, config: EvalConfig | None = None
) -> list[LeaderboardRow]:
    """Evaluate every complete run of a dataset (reusing stored reports); best first.

    Runs are ordered by verdict (pass, incomplete, fail), then by the mean of the family scores.
    """
    rows = []
    for run in complete_runs(store, dataset_id):
        report, _ = evaluate_run(store, run.id, policy, config)
        rows.append(_row(run, report, policy))
    return _ranked(rows)
