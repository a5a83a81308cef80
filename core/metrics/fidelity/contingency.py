"""Contingency similarity of every categorical and mixed pair, as SDMetrics."""

from __future__ import annotations

import numpy as np

from core.metrics.context import EvalContext
from core.metrics.fidelity._calc.contingency_tables import contingency_similarities
from core.metrics.fidelity._calc.rows import rollup, value_or_reason
from core.metrics.fidelity._calc.sdmetrics_compat import (
    CONTINGENCY,
    sdmetrics_figure,
    sdmetrics_pair_trends,
)
from core.metrics.metric import Metric
from core.metrics.value import MetricValue


class ContingencySimilarity(Metric):
    """1 - TVD of the 2-D contingency tables for every categorical-categorical and mixed pair."""

    key = "fidelity.contingency_similarity"
    name = "Contingency similarity"
    description = (
        "How closely the synthetic joint frequencies of each pair involving a categorical column "
        "match the real ones; 1.0 means identical 2-D tables for every pair."
    )

    def compute(self, ctx: EvalContext) -> list[MetricValue]:
        """Per-pair contingency similarities and their mean (1.0 = every pair preserved)."""
        rows = [
            value_or_reason(
                self,
                sim,
                pair,
                "the real or the synthetic table has no rows",
                baseline=None if np.isnan(base) else base,
            )
            for pair, (sim, base) in contingency_similarities(ctx).items()
        ]
        figure = sdmetrics_figure(sdmetrics_pair_trends(ctx), CONTINGENCY)
        details = {
            "bins": ctx.config.bins,
            "sdmetrics_compatible": figure,
            "sdmetrics_rule": "mean over non-numerical pairs with real Cramér's V > 0.3 "
            "(None when none)",
        }
        table = rollup(self, rows, "there is no pair involving a categorical column", details)
        return [table] + rows
