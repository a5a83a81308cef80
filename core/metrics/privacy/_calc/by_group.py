"""Disparate privacy risk: the same privacy figure within each protected group.

A privacy metric that works per row (is this synthetic row a copy? is it closer to training than
to holdout?) is repeated within each protected group and each intersection of two, using the
shared labels of :mod:`core.metrics.groups`. Groups with fewer than ``config.min_group_rows``
training rows are not scored (too noisy, and too easy to single out).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from core.metrics.context import EvalContext
from core.metrics.groups import attribute_sets, labels_for
from core.metrics.metric import Metric
from core.metrics.value import MetricValue

MSG_SMALL_GROUP = (
    "only {n} training rows are in this group, fewer than min_group_rows={min_rows}; "
    "too few to estimate a risk"
)
MSG_EMPTY_SIDE = "the group has no {side} rows to score"


def labels_of(labels: dict[str, pd.Series], side: str, rows: pd.Index) -> np.ndarray:
    """Group labels of the given row indices of one side (``real``, ``holdout``, ``synthetic``)."""
    return labels[side].reindex(rows).to_numpy(dtype=object)


def per_group(
    metric: Metric,
    ctx: EvalContext,
    compute: Callable[[dict[str, pd.Series], str], MetricValue],
) -> list[MetricValue]:
    """One row per protected group (and pair intersection) with enough training rows.

    Args:
        metric: The metric whose rows are made (for not-computed rows).
        ctx: The evaluation context.
        compute: Given the side labels of one attribute set (``labels_for``) and a group label,
            returns that group's row (with ``group`` set).

    Returns:
        Rows in the order of ``attribute_sets(ctx)``, groups sorted by label; a group with too
        few training rows is a not-computed row with the reason.
    """
    rows: list[MetricValue] = []
    min_rows = ctx.config.min_group_rows
    for attributes in attribute_sets(ctx):
        labels = labels_for(ctx, attributes)
        counts = labels["real"].value_counts()
        groups = sorted(set(counts.index) | set(labels["synthetic"].unique()))
        for group in groups:
            n_real = int(counts.get(group, 0))
            if n_real < min_rows:
                reason = MSG_SMALL_GROUP.format(n=n_real, min_rows=min_rows)
                rows.append(metric.not_computed(reason, group=group))
            else:
                rows.append(compute(labels, group))
    return rows
