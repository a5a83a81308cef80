"""Category coverage: how many of the real categories the synthetic data produces."""

from __future__ import annotations

from typing import Any

import pandas as pd

from core.metrics.context import EvalContext
from core.metrics.fidelity._calc.rows import has_holdout, nan_to_none, rollup, value_or_reason
from core.metrics.metric import Metric
from core.metrics.value import MetricValue

MAX_LISTED = 50


def category_coverage(real: pd.Series, other: pd.Series) -> float:
    """Share of the real categories that occur in ``other`` (as SDMetrics' CategoryCoverage).

    Missing values are ignored. 1.0 means every real category occurs; NaN when the real column
    has no values.

    Example: real ['a', 'b', 'c', 'c'], synthetic ['a', 'c', 'd'] -> 2/3.
    """
    cats = pd.unique(real.dropna())
    if len(cats) == 0:
        return float("nan")
    return float(pd.Series(cats).isin(set(other.dropna())).mean())


def never_produced(real: pd.Series, other: pd.Series, min_rows: int) -> dict[str, Any]:
    """The real categories missing from ``other``, rare ones only counted (privacy).

    Returns:
        ``{"missing_categories": [...], "missing_rare_categories": k, "n_real_categories": n}``:
        categories with at least ``min_rows`` real rows are listed, most frequent first (at most
        ``MAX_LISTED``); rarer ones are grouped as a count.
    """
    counts = real.dropna().value_counts()
    absent = counts[~counts.index.isin(set(other.dropna()))]
    common = absent[absent >= min_rows]
    return {
        "missing_categories": [str(c) for c in common.index[:MAX_LISTED]],
        "missing_common_not_listed": max(len(common) - MAX_LISTED, 0),
        "missing_rare_categories": int((absent < min_rows).sum()),
        "n_real_categories": len(counts),
    }


class CategoryCoverage(Metric):
    """Per categorical or boolean column, the share of real categories the synthetic produces."""

    key = "fidelity.category_coverage"
    name = "Category coverage"
    description = (
        "Share of the real categories that the synthetic data produces; "
        "1.0 means every real category appears in every column."
    )

    def compute(self, ctx: EvalContext) -> list[MetricValue]:
        """Per-column category coverage and the mean (1.0 = no category lost)."""
        rows = []
        for col in ctx.categorical:
            real, synth = ctx.real[col], ctx.synthetic[col]
            baseline = (
                nan_to_none(category_coverage(real, ctx.holdout[col])) if has_holdout(ctx) else None
            )
            rows.append(
                value_or_reason(
                    self,
                    category_coverage(real, synth),
                    (col,),
                    baseline=baseline,
                    details=never_produced(real, synth, ctx.config.min_group_rows),
                    reason="the real column has no values",
                )
            )
        return [rollup(self, rows, "there are no categorical or boolean columns")] + rows
