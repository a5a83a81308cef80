"""Range coverage: how much of each real numerical range the synthetic values reach."""

from __future__ import annotations

import numpy as np

from core.metrics.context import EvalContext
from core.metrics.fidelity._calc.encoding import as_float
from core.metrics.fidelity._calc.rows import (
    has_holdout,
    jsonable,
    nan_to_none,
    rollup,
    value_or_reason,
)
from core.metrics.metric import Metric
from core.metrics.value import MetricValue


def range_coverage(real: np.ndarray, other: np.ndarray) -> tuple[float, float, float]:
    """Share of the real [min, max] range covered by ``other`` (as SDMetrics' RangeCoverage).

    Args:
        real: Real values (NaN ignored).
        other: Synthetic (or holdout) values (NaN ignored).

    Returns:
        ``(coverage, uncovered_below, uncovered_above)``: coverage 1.0 means the other values reach
        both the real minimum and maximum; the two shares say how much of the real range is left
        out at each end. All NaN when the real range is a single value or a side has no values.

    Example: real [0, 10], synthetic [2, 9] -> (0.7, 0.2, 0.1).
    """
    real, other = real[~np.isnan(real)], other[~np.isnan(other)]
    if len(real) == 0 or len(other) == 0:
        return float("nan"), float("nan"), float("nan")
    lo, hi = real.min(), real.max()
    if lo == hi:
        return float("nan"), float("nan"), float("nan")
    below = max((other.min() - lo) / (hi - lo), 0.0)
    above = max((hi - other.max()) / (hi - lo), 0.0)
    return float(max(1 - (below + above), 0.0)), float(below), float(above)


class RangeCoverage(Metric):
    """Per numerical or datetime column, the share of the real range the synthetic data covers."""

    key = "fidelity.range_coverage"
    name = "Range coverage"
    description = (
        "How much of each real numerical range the synthetic values span; "
        "1.0 means they reach the real minimum and maximum of every column."
    )

    def compute(self, ctx: EvalContext) -> list[MetricValue]:
        """Per-column range coverage and the mean (1.0 = every real range fully covered)."""
        rows = []
        for col in ctx.numerical:
            real = as_float(ctx.real[col])
            cov, below, above = range_coverage(real, as_float(ctx.synthetic[col]))
            baseline = None
            if has_holdout(ctx):
                baseline = nan_to_none(range_coverage(real, as_float(ctx.holdout[col]))[0])
            rows.append(
                value_or_reason(
                    self,
                    cov,
                    (col,),
                    baseline=baseline,
                    details={
                        "uncovered_below": jsonable(below),
                        "uncovered_above": jsonable(above),
                    },
                    reason="the real column holds a single value or a column has no values",
                )
            )
        return [rollup(self, rows, "there are no numerical or datetime columns")] + rows
