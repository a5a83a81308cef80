"""``evaluate(real, holdout, synthetic, schema, config, policy) -> Report``: one pure function.

The report holds every metric value of the four families, a 0–100 score per family, warnings
about doubtful input, and the acceptance gate's verdict under a named policy. It round-trips
through JSON exactly, so a stored report reloads identically (evidently's config-in,
snapshot-out).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import pandas as pd

from core.errors import UserInputError
from core.gate import DEFAULT_POLICY, Verdict, apply_gate, get_policy
from core.metrics.config import EvalConfig
from core.metrics.context import EvalContext
from core.metrics.schedule import TaskRunner, run_metrics
from core.metrics.value import FAMILIES, OK, MetricValue
from core.schema import Schema

REPORT_FORMAT = 1
MIN_HOLDOUT_ROWS = 500

MSG_EMPTY = "The {which} table has no rows, so nothing can be evaluated. {fix}"
MSG_TOO_FEW = (
    "The {which} table has {n} row{s}; evaluation needs at least {need}. {fix}"
)
MSG_MISSING_COLUMNS = (
    "The synthetic table lacks column(s) {cols} of the dataset's schema. Generate it again, or "
    "import a file with every column."
)
WARN_SMALL_HOLDOUT = (
    "The holdout has {n} rows (fewer than {need}): privacy baselines (DCR share, membership "
    "inference) and utility figures measured on it are unstable. Keep a larger holdout."
)
WARN_ROWS_DIFFER = (
    "The synthetic table has {s:,} rows and the training table {r:,}: metrics that count rows "
    "(exact copies, unique matches) are compared as shares."
)
WARN_ALL_NULL = "Column '{col}' has no values in the real data; its metrics are not computed."
WARN_CONSTANT = "Column '{col}' has a single value in the real data ({value!r})."
WARN_NOT_COMPUTED = "{key} was not computed: {reason}"


@dataclass(frozen=True)
class Report:
    """One evaluation of a synthetic table against real training and holdout rows.

    Attributes:
        schema: The schema with roles used.
        config: The evaluation settings.
        results: Every metric value (table-level, per column, per pair, per group).
        families: Score per family on 0–100 (None when nothing in it was computed).
        warnings: Doubtful input, in plain sentences.
        verdict: The acceptance gate's decision under ``verdict.policy``.
        sizes: Rows of the training, holdout and synthetic tables.
        seconds: Seconds per family and in total.
        versions: Library versions that computed it.
        run_id: The run evaluated, when it came from the store.
    """

    schema: Schema
    config: dict[str, Any]
    results: tuple[MetricValue, ...]
    families: dict[str, float | None]
    warnings: tuple[str, ...]
    verdict: Verdict
    sizes: dict[str, int]
    seconds: dict[str, float] = field(default_factory=dict)
    versions: dict[str, str] = field(default_factory=dict)
    run_id: str | None = None
    format: int = REPORT_FORMAT

    @property
    def policy(self) -> str:
        """The policy the verdict applied."""
        return self.verdict.policy

    def top(self, key: str) -> MetricValue | None:
        """The table-level value of a metric."""
        for r in self.results:
            if r.key == key and r.columns == () and r.group is None:
                return r
        return None

    def with_policy(self, name: str) -> Report:
        """The same values judged under another policy."""
        return replace(self, verdict=apply_gate(self.results, get_policy(name)))

    def with_metric(self, key: str, rows: list[MetricValue] | tuple[MetricValue, ...]) -> Report:
        """The report with every row of ``key`` replaced by ``rows``, scored and judged again.

        For values computed apart from the evaluation (the generator audit): family scores,
        the verdict (same policy) and the "was not computed" warning follow the new rows.
        """
        old = [i for i, r in enumerate(self.results) if r.key == key]
        at = old[0] if old else len(self.results)
        kept = [r for r in self.results if r.key != key]
        results = tuple(kept[:at] + list(rows) + kept[at:])
        verdict = apply_gate(results, get_policy(self.policy))
        prefix = WARN_NOT_COMPUTED.split("{reason}")[0].format(key=key)
        warnings = [w for w in self.warnings if not w.startswith(prefix)]
        top = next((r for r in rows if r.columns == () and r.group is None), None)
        if top is not None and top.status != OK and any(c.key == key for c in verdict.checks):
            warnings.append(WARN_NOT_COMPUTED.format(key=key, reason=top.reason))
        return replace(self, results=results, families=family_scores(results),
                       verdict=verdict, warnings=tuple(warnings))

    # -- JSON ------------------------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict; ``verdict``, ``policy``, ``families`` and ``metrics`` at top level."""
        checks = {c.key: c for c in self.verdict.checks}
        metrics = []
        for r in self.results:
            d = r.to_dict()
            c = checks.get(r.key) if r.columns == () and r.group is None else None
            d["threshold"] = None if c is None else {"min": c.min, "max": c.max}
            d["passed"] = None if c is None else c.passed
            metrics.append(d)
        return {
            "format": self.format,
            "run_id": self.run_id,
            "verdict": self.verdict.to_dict(),
            "policy": self.policy,
            "families": {f: {"score": s} for f, s in self.families.items()},
            "metrics": metrics,
            "warnings": list(self.warnings),
            "sizes": self.sizes,
            "seconds": self.seconds,
            "config": self.config,
            "schema": self.schema.to_dict(),
            "versions": self.versions,
        }

    def to_json(self) -> str:
        """The report as JSON text (sorted keys, so equal reports give equal text)."""
        return json.dumps(self.to_dict(), sort_keys=True, default=_json_default)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Report:
        """Inverse of :meth:`to_dict`."""
        results = tuple(
            MetricValue.from_dict({k: v for k, v in m.items() if k not in ("threshold", "passed")})
            for m in d["metrics"]
        )
        return cls(
            schema=Schema.from_dict(d["schema"]), config=d["config"], results=results,
            families={f: v["score"] for f, v in d["families"].items()},
            warnings=tuple(d["warnings"]), verdict=Verdict.from_dict(d["verdict"]),
            sizes=d["sizes"], seconds=d.get("seconds", {}), versions=d.get("versions", {}),
            run_id=d.get("run_id"), format=d.get("format", REPORT_FORMAT),
        )

    @classmethod
    def from_json(cls, text: str) -> Report:
        """Inverse of :meth:`to_json`."""
        return cls.from_dict(json.loads(text))


def _json_default(v: Any) -> Any:
    if isinstance(v, np.generic):
        return v.item()
    if isinstance(v, tuple):
        return list(v)
    raise TypeError(f"not JSON serialisable: {type(v).__name__}")


def _check_inputs(real: pd.DataFrame, holdout: pd.DataFrame, synthetic: pd.DataFrame,
                  schema: Schema) -> list[str]:
    """Raise for input nothing can be computed on; return warnings for doubtful input."""
    cols = list(schema.synth_columns)
    missing = [c for c in cols if c not in synthetic.columns]
    if missing:
        raise UserInputError(MSG_MISSING_COLUMNS.format(cols=", ".join(repr(c) for c in missing)))
    for which, df, need, fix in (
        ("real training", real, 5, "Add rows to the dataset."),
        ("synthetic", synthetic, 5, "Generate more rows."),
        ("holdout", holdout, 5, "Add the dataset again with a larger holdout share."),
    ):
        if len(df) < need:
            raise UserInputError(
                MSG_TOO_FEW.format(which=which, n=len(df), s="" if len(df) == 1 else "s",
                                   need=need, fix=fix)
            )
    warnings = []
    if len(holdout) < MIN_HOLDOUT_ROWS:
        warnings.append(WARN_SMALL_HOLDOUT.format(n=len(holdout), need=MIN_HOLDOUT_ROWS))
    if abs(len(synthetic) - len(real)) > 0.1 * len(real):
        warnings.append(WARN_ROWS_DIFFER.format(s=len(synthetic), r=len(real)))
    for col in cols:
        values = real[col].dropna()
        if values.empty:
            warnings.append(WARN_ALL_NULL.format(col=col))
        elif values.nunique() == 1:
            warnings.append(WARN_CONSTANT.format(col=col, value=str(values.iloc[0])[:40]))
    return warnings


def _sampling_notes(ctx: EvalContext, names: dict[str, str]) -> list[str]:
    """One sentence per metric that computed on samples: how many rows of how many.

    ``names`` maps each metric's key to its human name, in the metrics' order (tasks run side by
    side, so ``ctx.sampling`` is in no fixed order across metrics; within one metric it is the
    order its samples were drawn). Example: "Detection (real vs synthetic classifier)
    (fidelity.detection) was computed on samples (20,000 of 26,048 training rows; 20,000 of
    26,048 synthetic rows; ...); ...".
    """
    order = list(names)
    by_key: dict[str, list[str]] = {}
    for key, n, of, table in ctx.sampling:
        text = f"{n:,} of {of:,} {table} rows"
        seen = by_key.setdefault(key or "shared", [])
        if text not in seen:
            seen.append(text)
    rank = {k: i for i, k in enumerate(order)}
    by_key = dict(sorted(by_key.items(), key=lambda kv: rank.get(kv[0], len(rank))))
    return [
        f"{names[key] + ' (' + key + ')' if key in names else key} was computed on samples "
        f"({'; '.join(parts)}); its confidence interval or 'n' "
        "gives the uncertainty."
        for key, parts in by_key.items()
    ]


def family_scores(results: tuple[MetricValue, ...]) -> dict[str, float | None]:
    """0–100 per family: the mean score of its computed table-level values."""
    out: dict[str, float | None] = {}
    for fam in FAMILIES:
        scores = [r.score for r in results if r.family == fam and r.columns == ()
                  and r.group is None and r.status == OK and r.score is not None]
        out[fam] = round(100 * float(np.mean(scores)), 1) if scores else None
    return out


def evaluate(
    real: pd.DataFrame,
    holdout: pd.DataFrame,
    synthetic: pd.DataFrame,
    schema: Schema,
    config: EvalConfig | None = None,
    policy: str = DEFAULT_POLICY,
    families: tuple[str, ...] = FAMILIES,
    progress: Callable[[float, str], None] | None = None,
    runner: TaskRunner | None = None,
) -> Report:
    """Evaluate a synthetic table against real training rows and a real holdout.

    Args:
        real: Training rows the generator learned from.
        holdout: Real rows the generator never saw.
        synthetic: The synthetic rows.
        schema: Column kinds and roles (target, protected, quasi-identifiers).
        config: Evaluation settings (seed, sample sizes...).
        policy: Name of the acceptance-gate policy.
        families: Which families to compute (all by default).
        progress: Called with (fraction done, message) at the start and after each task of
            metrics (``core.metrics.schedule``), in the calling thread.
        runner: Runs the tasks of metrics in other processes (a Dask worker passes one:
            ``core.jobs.fanout``); without it they run in threads of this process.

    Returns:
        The report: every metric value, family scores, warnings and the verdict.

    Raises:
        UserInputError: input nothing can be computed on (missing columns, empty tables).
    """
    from core.metrics.registry import BUILTIN  # deferred: importing every metric takes seconds

    config = config or EvalConfig()
    gate_policy = get_policy(policy)
    warnings = _check_inputs(real, holdout, synthetic, schema)
    ctx = EvalContext(real, holdout, synthetic, schema, config)
    metrics = [m for fam in families for m in BUILTIN if m.family == fam]

    def task_done(done: int, total: int, name: str) -> None:
        if progress is not None:
            progress(done / total, f"computed the {name} metrics")

    if progress is not None:
        progress(0.0, "computing " + ", ".join(families) + " metrics")
    start = time.perf_counter()
    done = run_metrics(ctx, metrics, on_task_done=task_done, runner=runner)
    total = time.perf_counter() - start
    results: list[MetricValue] = [r for m in metrics for r in done[m.key].rows]
    # Seconds per family: its metrics' own times (tasks run side by side, so the families add
    # up to more than the total, which is the wall time).
    seconds = {fam: round(sum(done[m.key].seconds for m in metrics if m.family == fam), 3)
               for fam in families}
    seconds["total"] = round(total, 3)
    if progress is not None:
        progress(1.0, "done")
    gated = {c.key for c in gate_policy.checks}
    for r in results:
        if r.columns != () or r.group is not None:
            continue
        if r.status == "error" or (r.status != OK and r.key in gated):
            warnings.append(WARN_NOT_COMPUTED.format(key=r.key, reason=r.reason))
    warnings.extend(_sampling_notes(ctx, {m.key: m.name for m in metrics}))
    results_t = tuple(results)
    report = Report(
        schema=schema, config=config.to_dict(), results=results_t,
        families=family_scores(results_t), warnings=tuple(warnings),
        verdict=apply_gate(results_t, gate_policy),
        sizes={"real": len(real), "holdout": len(holdout), "synthetic": len(synthetic)},
        seconds=seconds,
    )
    # Through JSON once, so the report returned equals the one reloaded from the store.
    return Report.from_json(report.to_json())
