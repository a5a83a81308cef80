"""Per-group figures of the TSTR and TRTR models on the holdout, computed with Fairlearn.

The fitted models come from the utility family (``fitted_models``). For each attribute set and
model, the table of Fairlearn's ``MetricFrame(...).by_group`` (selection rate, true-positive
rate, false-positive rate, accuracy and count per group, on the positive-vs-rest decision) is
computed from four counts per group (``by_group``): the same divisions of the same whole
numbers as Fairlearn and scikit-learn make, so the same floats, without a pandas ``apply`` per
group and figure (MetricFrame took seconds on Adult's attribute sets;
``tests/core/metrics/test_fairness_fairlearn.py`` checks the figures against Fairlearn's). The
spread of selection rates is Fairlearn's ``demographic_parity_difference`` and, over the groups
whose holdout
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

from core.metrics.context import EvalContext
from core.metrics.fairness._calc.group_sets import GroupSet, floats
from core.metrics.utility._calc.models import Unavailable, fitted_models
from core.metrics.utility._calc.task import CLASSIFICATION

# The columns of Fairlearn's MetricFrame(metrics={...}).by_group that ``by_group`` computes.
METRICS = ("selection_rate", "true_positive_rate", "false_positive_rate", "accuracy", "count")
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


def by_group(
    y_true: np.ndarray, y_pred: np.ndarray, labels: np.ndarray, groups: tuple[str, ...], name: str
) -> pd.DataFrame:
    """Fairlearn's ``MetricFrame(METRICS, y_true, y_pred, sensitive_features).by_group``.

    Per group: selection rate (share predicted 1: ``fairlearn.metrics.selection_rate``), TPR and
    FPR (scikit-learn's row-normalised confusion matrix, 0 for a group without positives or
    negatives, as Fairlearn returns), accuracy (``sklearn.metrics.accuracy_score``) and count.

    Args:
        y_true: 0/1 outcome per row.
        y_pred: 0/1 prediction per row.
        labels: The group of each row; every row's group is in ``groups``.
        groups: The groups, in the order of the table's rows.
        name: The table's index name (the attribute set).

    Returns:
        One row per group of ``groups``, the columns of ``METRICS``.
    """
    k = len(groups)
    code = pd.Categorical(labels, categories=list(groups)).codes
    t, p = y_true == 1, y_pred == 1
    n = np.bincount(code, minlength=k)
    pos = np.bincount(code[t], minlength=k)
    neg = n - pos
    tp = np.bincount(code[t & p], minlength=k)
    fp = np.bincount(code[~t & p], minlength=k)
    correct = tp + (neg - fp)
    with np.errstate(divide="ignore", invalid="ignore"):
        table = {
            "selection_rate": (tp + fp) / n,
            "true_positive_rate": np.where(pos > 0, tp / pos, 0.0),
            "false_positive_rate": np.where(neg > 0, fp / neg, 0.0),
            "accuracy": correct / n,
            "count": n,
        }
    return pd.DataFrame(table, index=pd.Index(list(groups), name=name), columns=list(METRICS))


@dataclass(frozen=True)
class ModelGroups:
    """Fairlearn figures of both models for one attribute set.

    Attributes:
        groups: Groups compared (enough real and holdout rows), largest first.
        by_group: ``{"tstr"|"trtr": Fairlearn's MetricFrame.by_group table}`` (``by_group``).
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
        tables, dp, eo = {}, {}, {}
        for name in MODELS:
            fitted = getattr(models, name)
            y_pred = (fitted.predictions == task.positive).astype("int64")
            tables[name] = by_group(y_true[keep], y_pred[keep], labels[keep], groups, gs.name)
            # MetricFrame.difference(): the largest minus the smallest group's figure.
            rate = tables[name]["selection_rate"]
            dp[name] = float(rate.max() - rate.min())
            rates = tables[name].loc[list(eo_groups), list(EO_RATES)]
            eo[name] = float((rates.max() - rates.min()).max()) if len(eo_groups) >= 2 else None
        details = {
            "groups": list(groups),
            "positive_label": task.positive,
            "n": [int(stats.loc[g, "count"]) for g in groups],
            "positives": [int(stats.loc[g, "sum"]) for g in groups],
            "eo_groups": list(eo_groups),
        }
        for name in MODELS:
            table = tables[name]
            details[name] = {m: floats(table[m]) for m in METRICS if m != "count"}
        return ModelGroups(groups, tables, dp, eo, eo_groups, int(keep.sum()), details)

    return ctx.cached(f"fairness:models:{'|'.join(gs.attributes)}", compute)
