"""Pair trends: one similarity score for every pair of columns, for the pair-trend heatmap."""

from __future__ import annotations

import itertools

import numpy as np

from core.metrics.context import EvalContext
from core.metrics.fidelity._calc.contingency_tables import contingency_similarities
from core.metrics.fidelity._calc.correlations import UNDEFINED, pair_similarities
from core.metrics.fidelity._calc.rows import jsonable, rollup, value_or_reason
from core.metrics.fidelity._calc.sdmetrics_compat import sdmetrics_figure, sdmetrics_pair_trends
from core.metrics.metric import Metric
from core.metrics.value import OK, MetricValue


class PairTrends(Metric):
    """Pearson correlation similarity for numerical pairs, contingency similarity for the rest.

    Reuses the values of ``fidelity.correlation_pearson`` and ``fidelity.contingency_similarity``
    (shared through ``ctx.cached``). Table-level details carry the square score matrix and the
    SDMetrics 0.32 Column Pair Trends figure (``sdmetrics_compatible``).
    """

    key = "fidelity.pair_trends"
    name = "Pair trends"
    description = (
        "How well the synthetic data keeps the relationship of every pair of columns "
        "(correlation or contingency similarity); 1.0 means every pair is preserved."
    )
    baseline_is_noise_floor = True  # baseline: the holdout's value of the same quantity

    def compute(self, ctx: EvalContext) -> list[MetricValue]:
        """Per-pair scores and their mean (1.0 = every pairwise trend preserved)."""
        correlation = pair_similarities(ctx, "pearson")
        contingency = contingency_similarities(ctx)
        rows = []
        for pair in itertools.combinations(ctx.columns, 2):
            if pair in correlation:
                sim, base = correlation[pair][:2]
                kind, reason = "correlation", UNDEFINED
            else:
                sim, base = contingency[pair]
                kind, reason = "contingency", "the real or the synthetic table has no rows"
            rows.append(
                value_or_reason(
                    self,
                    sim,
                    pair,
                    reason,
                    baseline=None if np.isnan(base) else base,
                    details={"statistic": kind},
                )
            )
        cols = list(ctx.columns)
        pos = {c: i for i, c in enumerate(cols)}
        # Diagonal and not-computed pairs stay None (grey in the heatmap).
        matrix: list[list[float | None]] = [[None] * len(cols) for _ in cols]
        for r in rows:
            if r.status == OK:
                i, j = pos[r.columns[0]], pos[r.columns[1]]
                matrix[i][j] = matrix[j][i] = jsonable(r.value, 4)
        details = {
            "columns": cols,
            "matrix": matrix,
            "sdmetrics_compatible": sdmetrics_figure(sdmetrics_pair_trends(ctx)),
            "sdmetrics_rule": "SDMetrics 0.32 QualityReport 'Column Pair Trends' score "
            "(pairs with real |r| > 0.5 or Cramér's V > 0.3; None when none)",
        }
        table = rollup(self, rows, "there are fewer than two columns", details)
        return [table] + rows
