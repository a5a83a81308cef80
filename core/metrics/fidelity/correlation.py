"""Correlation similarity of every numerical pair (Pearson and Spearman), as SDMetrics."""

from __future__ import annotations

import numpy as np

from core.metrics.context import EvalContext
from core.metrics.fidelity._calc.correlations import UNDEFINED, correlations, pair_similarities
from core.metrics.fidelity._calc.rows import (
    jsonable,
    jsonable_list,
    rollup,
    value_or_reason,
)
from core.metrics.fidelity._calc.sdmetrics_compat import (
    CORRELATION,
    sdmetrics_figure,
    sdmetrics_pair_trends,
)
from core.metrics.metric import Metric
from core.metrics.value import MetricValue


def _matrix_details(m: np.ndarray) -> list[list[float | None]]:
    return [jsonable_list(row, 4) for row in m]


class CorrelationPearson(Metric):
    """Pearson correlation similarity 1 - |r_real - r_synth| / 2 for every numerical pair."""

    key = "fidelity.correlation_pearson"
    name = "Correlation similarity (Pearson)"
    description = (
        "How closely the synthetic Pearson correlation of each pair of numerical columns matches "
        "the real one; 1.0 means the same correlation for every pair."
    )
    method = "pearson"

    def compute(self, ctx: EvalContext) -> list[MetricValue]:
        """Per-pair similarities and their mean (1.0 = every correlation preserved)."""
        rows = []
        for pair, (sim, base, rr, rs) in pair_similarities(ctx, self.method).items():
            rows.append(
                value_or_reason(
                    self,
                    sim,
                    pair,
                    baseline=None if np.isnan(base) else base,
                    details={"real": jsonable(rr), "synthetic": jsonable(rs)},
                    reason=UNDEFINED,
                )
            )
        c = correlations(ctx, self.method)
        figure = sdmetrics_figure(sdmetrics_pair_trends(ctx, self.method), CORRELATION)
        details = {
            "columns": list(c.columns),
            "real_matrix": _matrix_details(c.real),
            "synthetic_matrix": _matrix_details(c.synthetic),
            "sdmetrics_compatible": figure,
            "sdmetrics_rule": "mean over numerical pairs with real |r| > 0.5 (None when none)",
        }
        table = rollup(
            self, rows, "there are fewer than two numerical or datetime columns", details
        )
        return [table] + rows


class CorrelationSpearman(CorrelationPearson):
    """Spearman correlation similarity 1 - |rho_real - rho_synth| / 2 for every numerical pair."""

    key = "fidelity.correlation_spearman"
    name = "Correlation similarity (Spearman)"
    description = (
        "How closely the synthetic Spearman (rank) correlation of each pair of numerical columns "
        "matches the real one; 1.0 means the same correlation for every pair."
    )
    method = "spearman"
