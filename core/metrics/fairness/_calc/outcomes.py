"""Outcomes per protected group: the positive-outcome rate (or mean target) of each group.

Classification target: outcome = 1 when the row has the positive label, else 0, so a group's
mean outcome is its positive-outcome rate. Numerical target: outcome = the target itself, and
differences are divided by the real target's standard deviation (``Outcome.scale``) so that every
difference the fairness metrics score is on a [0, 1]-like scale.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from core.metrics.context import EvalContext
from core.metrics.fairness._calc.group_sets import GroupSet
from core.metrics.utility._calc.task import CLASSIFICATION, target_task, target_values

TABLES = ("real", "synthetic", "holdout")

MSG_CONSTANT_TARGET = (
    "'{target}' has the same value in every real row, so group means cannot be compared."
)


@dataclass(frozen=True)
class Outcome:
    """The outcome of every row.

    Attributes:
        target: The target column.
        positive: The positive label (classification), None for a numerical target.
        scale: 1.0 for rates; the real target's standard deviation for a numerical target.
        values: ``{"real"|"synthetic"|"holdout": float Series}``, NaN where the target is missing.
    """

    target: str
    positive: str | None
    scale: float
    values: dict[str, pd.Series]

    @property
    def unit(self) -> str:
        """What a group's outcome is, for the dashboard."""
        if self.positive is not None:
            return f"share of '{self.target}' = '{self.positive}'"
        return f"mean of '{self.target}'"


def outcome(ctx: EvalContext) -> Outcome | str:
    """The outcome of every row of the three tables, or the reason there is none.

    Args:
        ctx: The evaluation context (with a target).

    Returns:
        An :class:`Outcome`, or a plain-language reason (str).
    """

    def compute() -> Outcome | str:
        task = target_task(ctx)
        if isinstance(task, str):
            return task
        target = task.target
        frames = {"real": ctx.real, "synthetic": ctx.synthetic, "holdout": ctx.holdout}
        if task.kind == CLASSIFICATION:
            if task.positive is None:
                return task.positive_reason or "there is no positive label"
            labels = {k: target_values(task, df[target]) for k, df in frames.items()}
            values = {
                k: (y == task.positive).astype("float64").where(y.notna())
                for k, y in labels.items()
            }
            return Outcome(target, task.positive, 1.0, values)
        scale = float(ctx.real[target].std(ddof=0))
        if not np.isfinite(scale) or scale == 0:
            return MSG_CONSTANT_TARGET.format(target=target)
        return Outcome(target, None, scale, {k: df[target] for k, df in frames.items()})

    return ctx.cached("fairness:outcome", compute)


def group_rates(ctx: EvalContext, gs: GroupSet, out: Outcome) -> pd.DataFrame:
    """Per scored group: rows with an outcome, mean outcome, and mean outcome of everyone else.

    Args:
        ctx: The evaluation context.
        gs: The attribute set's groups.
        out: The outcome of every row.

    Returns:
        A frame indexed by the scored groups with columns ``n_<table>``, ``rate_<table>`` and
        ``rest_<table>`` for ``real``, ``synthetic`` and ``holdout``. A rate is NaN when the group
        (or everyone else) has no row with an outcome in that table.

    Example:
        real outcomes [1, 0, 0, 0] in groups [a, a, b, b] -> rate_real a=0.5, b=0.0;
        rest_real a=0.0 (b's rows), b=0.5 (a's rows).
    """

    def compute() -> pd.DataFrame:
        cols: dict[str, pd.Series] = {}
        for table in TABLES:
            y = out.values[table]
            known = y.notna()
            stats = y[known].groupby(gs.labels[table][known]).agg(["sum", "count"])
            stats = stats.reindex(list(gs.scored)).fillna(0.0)
            total_sum, total_n = float(y[known].sum()), float(known.sum())
            with np.errstate(invalid="ignore", divide="ignore"):
                cols[f"n_{table}"] = stats["count"].astype("int64")
                cols[f"rate_{table}"] = stats["sum"] / stats["count"].where(stats["count"] > 0)
                rest_n = (total_n - stats["count"]).where(lambda s: s > 0)
                cols[f"rest_{table}"] = (total_sum - stats["sum"]) / rest_n
        return pd.DataFrame(cols, index=pd.Index(gs.scored, name="group"))

    return ctx.cached(f"fairness:rates:{'|'.join(gs.attributes)}", compute)


def shown_rates(ctx: EvalContext, gs: GroupSet, out: Outcome) -> dict[str, list[float | None]]:
    """Mean outcome per shown group (scored groups, then the pooled small groups), per table.

    The pooled "(other)" rate is left out (None) unless the pooled groups have at least
    ``min_group_rows`` real rows, so a single rare row's outcome is never shown.

    Returns:
        ``{"groups": [...], "real": [...], "synthetic": [...], "holdout": [...]}``.
    """
    order = list(gs.scored) + ([gs.other] if gs.small else [])
    result: dict[str, list] = {"groups": order}
    pooled_real = int((~gs.labels["real"].isin(gs.scored)).sum())
    for table in TABLES:
        y = out.values[table]
        rates = y.groupby(gs.shown(gs.labels[table])).mean().reindex(order)
        if gs.small and pooled_real < ctx.config.min_group_rows:
            rates[gs.other] = np.nan
        result[table] = [None if pd.isna(v) else float(v) for v in rates]
    return result


def disparity(rates: pd.Series) -> tuple[float | None, float | None]:
    """Max − min of the group rates, and min / max (None when undefined).

    Example: rates [0.3, 0.1] -> (0.2, 0.333...).
    """
    r = rates.dropna()
    if len(r) < 2:
        return None, None
    lo, hi = float(r.min()), float(r.max())
    return hi - lo, (lo / hi if hi > 0 and lo >= 0 else None)


def disparities(rates: pd.DataFrame) -> dict[str, Any]:
    """``disparity_<table>`` (max − min) and ``ratio_<table>`` (min / max) for every table."""
    out: dict[str, Any] = {}
    for t in TABLES:
        out[f"disparity_{t}"], out[f"ratio_{t}"] = disparity(rates[f"rate_{t}"])
    return out
