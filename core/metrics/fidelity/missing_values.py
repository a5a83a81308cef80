"""Missing values: does each synthetic column have the real share of missing values?"""

from __future__ import annotations

import pandas as pd

from core.metrics.context import EvalContext
from core.metrics.fidelity._calc.rows import (
    has_holdout,
    jsonable,
    nan_to_none,
    rollup,
    value_or_reason,
)
from core.metrics.metric import Metric
from core.metrics.value import MetricValue


def missing_similarity(real: pd.Series, other: pd.Series) -> float:
    """1 - |missing share of ``real`` - missing share of ``other``|; NaN when a side is empty.

    Example: real [1, NaN], synthetic [1, 2] -> 1 - |0.5 - 0| = 0.5.
    """
    if len(real) == 0 or len(other) == 0:
        return float("nan")
    return float(1 - abs(real.isna().mean() - other.isna().mean()))


class MissingValues(Metric):
    """Per column 1 - |missing share real - missing share synthetic|, and the mean."""

    key = "fidelity.missing_values"
    name = "Missing values"
    description = (
        "How closely each synthetic column's share of missing values matches the real one; "
        "1.0 means the same share in every column."
    )

    def compute(self, ctx: EvalContext) -> list[MetricValue]:
        """Per-column missing-share similarity and the mean (1.0 = same shares everywhere)."""
        rows = []
        for col in ctx.columns:
            real, synth = ctx.real[col], ctx.synthetic[col]
            baseline = (
                nan_to_none(missing_similarity(real, ctx.holdout[col]))
                if has_holdout(ctx)
                else None
            )
            details = {
                "real_missing_share": jsonable(real.isna().mean()) if len(real) else None,
                "synthetic_missing_share": jsonable(synth.isna().mean()) if len(synth) else None,
            }
            rows.append(
                value_or_reason(
                    self,
                    missing_similarity(real, synth),
                    (col,),
                    baseline=baseline,
                    details=details,
                    reason="the real or the synthetic table has no rows",
                )
            )
        return [rollup(self, rows, "there are no columns to compare")] + rows
