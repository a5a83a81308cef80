"""Per-group figures of the TSTR and TRTR models on the holdout, computed with Fairlearn.

The fitted models come from the utility family (``fitted_models``). For each attribute set, one
Fairlearn ``MetricFrame`` per model gives selection rate, true-positive rate, false-positive rate
and accuracy per group, on the positive-vs-rest decision. Its ``difference()`` is exactly
Fairlearn's ``demographic_parity_difference`` (selection rate) and, over the groups whose holdout
rows hold at least ``min_group_rows`` positives and as many negatives,
``equalized_odds_difference`` (the larger of the TPR and FPR differences). Without that rule a
group with no positive holdout row would get a TPR of 0 (Fairlearn's convention) and one with a
single positive a TPR of 0 or 1, which says nothing about the model.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from fairlearn.metrics import (
    MetricFrame,
    count,
    false_positive_rate,
    selection_rate,
    true_positive_rate,
)
from sklearn.metrics import accuracy_score

from core.metrics.context import EvalContext
from core.metrics.fairness._calc.group_sets import GroupSet, floats
from core.metrics.utility._calc.models import Unavailable, fitted_models
from core.metrics.utility._calc.task import CLASSIFICATION

METRICS = {
    "selection_rate": selection_rate,
    "true_positive_rate": true_positive_rate,
    "false_positive_rate": false_positive_rate,
    "accuracy": accuracy_score,
    "count": count,
}
MODELS = ("tstr", "trtr")
EO_RATES = ("true_positive_rate", "false_positive_rate")

MSG_REGRESSION = (
    "'{target}' is numerical; demographic parity and equalized odds need a categorical or "
    "boolean target."
)
MSG_FEW_HOLDOUT_GROUPS = (
    "Fewer than two groups of '{attrs}' have at least {min_rows} real and {min_rows} holdout "
    "rows, so the models cannot be compared across groups."
)
MSG_FEW_EO_GROUPS = (
    "Fewer than two groups of '{attrs}' have at least {min_rows} positive and {min_rows} "
    "negative holdout rows, so true- and false-positive rates cannot be compared."
)


@dataclass(frozen=True)
class ModelGroups:
    """Fairlearn figures of both models for one attribute set.

    Attributes:
        groups: Groups compared (enough real and holdout rows), largest first.
        by_group: ``{"tstr"|"trtr": MetricFrame.by_group}`` reindexed to ``groups``.
        demographic_parity: Selection-rate difference (max − min) per model.
        equalized_odds: Larger of the TPR and FPR differences per model, over ``eo_groups``;
            None when fewer than two groups hold both outcomes.
        eo_groups: Groups with at least ``min_group_rows`` positive and negative holdout rows.
        n: Holdout rows used.
        details: JSON-ready per-group tables of both models for the dashboard.
    """

    groups: tuple[str, ...]
    by_group: dict[str, pd.DataFrame]
    demographic_parity: dict[str, float]
    equalized_odds: dict[str, float | None]
    eo_groups: tuple[str, ...]
    n: int
    details: dict[str, Any]


def models_reason(ctx: EvalContext) -> str | None:
    """Why no model can be compared across groups (no models, regression, no positive label)."""
    models = fitted_models(ctx)
    if isinstance(models, Unavailable):
        return models.reason
    task = models.task
    if task.kind != CLASSIFICATION:
        return MSG_REGRESSION.format(target=task.target)
    if task.positive is None:
        return task.positive_reason or "there is no positive label"
    return None


def model_groups(ctx: EvalContext, gs: GroupSet) -> ModelGroups | str:
    """Fairlearn's per-group figures of the TSTR and TRTR models for one attribute set.

    Args:
        ctx: The evaluation context.
        gs: The attribute set's groups (comparable: ``gs.reason`` is None).

    Returns:
        :class:`ModelGroups`, or a plain-language reason (str) why the models cannot be compared
        across the groups.
    """

    def compute() -> ModelGroups | str:
        reason = models_reason(ctx)
        if reason:
            return reason
        models = fitted_models(ctx)
        assert not isinstance(models, Unavailable) and models.task.positive is not None
        task = models.task
        labels = gs.labels["holdout"].to_numpy(dtype=object)[models.holdout_rows]
        y_true = (models.y_holdout == task.positive).astype("int64")
        min_rows = ctx.config.min_group_rows
        stats = pd.DataFrame({"g": labels, "y": y_true}).groupby("g")["y"].agg(["sum", "count"])
        stats = stats.reindex(list(gs.scored)).fillna(0)
        groups = tuple(g for g in gs.scored if stats.loc[g, "count"] >= min_rows)
        if len(groups) < 2:
            return MSG_FEW_HOLDOUT_GROUPS.format(attrs=gs.name, min_rows=min_rows)
        both = (stats["sum"] >= min_rows) & (stats["count"] - stats["sum"] >= min_rows)
        eo_groups = tuple(g for g in groups if both[g])
        keep = np.isin(labels, groups)
        sensitive = pd.Series(labels[keep], name=gs.name)
        by_group, dp, eo = {}, {}, {}
        for name in MODELS:
            fitted = getattr(models, name)
            y_pred = (fitted.predictions == task.positive).astype("int64")
            mf = MetricFrame(
                metrics=METRICS,
                y_true=y_true[keep],
                y_pred=y_pred[keep],
                sensitive_features=sensitive,
            )
            by_group[name] = mf.by_group.reindex(list(groups))
            dp[name] = float(mf.difference()["selection_rate"])
            rates = by_group[name].loc[list(eo_groups), list(EO_RATES)]
            eo[name] = float((rates.max() - rates.min()).max()) if len(eo_groups) >= 2 else None
        details = {
            "groups": list(groups),
            "positive_label": task.positive,
            "n": [int(stats.loc[g, "count"]) for g in groups],
            "positives": [int(stats.loc[g, "sum"]) for g in groups],
            "eo_groups": list(eo_groups),
        }
        for name in MODELS:
            table = by_group[name]
            details[name] = {m: floats(table[m]) for m in METRICS if m != "count"}
        return ModelGroups(groups, by_group, dp, eo, eo_groups, int(keep.sum()), details)

    return ctx.cached(f"fairness:models:{'|'.join(gs.attributes)}", compute)
