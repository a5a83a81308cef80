"""Column shapes: does each synthetic column have the real column's distribution?"""

from __future__ import annotations

from core.metrics.context import EvalContext
from core.metrics.fidelity._calc.histograms import category_plot, numeric_plot
from core.metrics.fidelity._calc.rows import has_holdout, nan_to_none, rollup, value_or_reason
from core.metrics.fidelity._calc.stats import ks_complement, tv_complement
from core.metrics.metric import Metric
from core.metrics.value import MetricValue


class ColumnShapes(Metric):
    """KS complement (numbers, dates) or TV complement (categories) per column, and their mean.

    Like SDMetrics' Column Shapes property. Per-column details hold the data of a side-by-side
    real-vs-synthetic plot; the baseline is the same statistic with the holdout in place of the
    synthetic rows.
    """

    key = "fidelity.column_shapes"
    name = "Column shapes"
    description = (
        "How closely each synthetic column's distribution matches the real one "
        "(KS or TV complement); 1.0 means identical distributions."
    )
    baseline_is_noise_floor = True  # baseline: the holdout's value of the same quantity

    def compute(self, ctx: EvalContext) -> list[MetricValue]:
        """Per-column KS/TV complements and their mean (1.0 = every column matches)."""
        rows: list[MetricValue] = []
        for col in ctx.columns:
            numeric = col in ctx.numerical
            stat = ks_complement if numeric else tv_complement
            real, synth = ctx.real[col], ctx.synthetic[col]
            if numeric:
                plot = numeric_plot(real, synth)
            else:
                plot = category_plot(real, synth, ctx.config.min_group_rows)
            details = {"statistic": "KS" if numeric else "TV", "plot": plot}
            baseline = nan_to_none(stat(real, ctx.holdout[col])) if has_holdout(ctx) else None
            rows.append(
                value_or_reason(
                    self,
                    stat(real, synth),
                    (col,),
                    baseline=baseline,
                    details=details,
                    reason="the real or the synthetic column has no values",
                )
            )
        return [rollup(self, rows, "there are no columns to compare")] + rows
