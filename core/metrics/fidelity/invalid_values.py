"""Invalid values: synthetic values outside the real range or the real categories."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from core.metrics.context import EvalContext
from core.metrics.fidelity._calc.encoding import as_float
from core.metrics.fidelity._calc.rows import has_holdout, jsonable, value_or_reason
from core.metrics.metric import Goal, Metric
from core.metrics.value import MetricValue

MAX_LISTED = 20


def invalid_mask(ctx: EvalContext, col: str, other: pd.DataFrame) -> np.ndarray | None:
    """True where a value of ``other[col]`` is outside the real range or real categories.

    Missing values are never invalid (their share is ``fidelity.missing_values``). None when the
    real column has no values to define a range or a set of categories.
    """
    if col in ctx.numerical:
        real = as_float(ctx.real[col])
        real = real[~np.isnan(real)]
        if len(real) == 0:
            return None
        values = as_float(other[col])
        with np.errstate(invalid="ignore"):
            return (values < real.min()) | (values > real.max())
    real_cats = ctx.real[col].dropna()
    if len(real_cats) == 0:
        return None
    s = other[col]
    return (s.notna() & ~s.isin(set(real_cats))).to_numpy()


def _share(mask: np.ndarray, present: np.ndarray) -> float:
    n = int(present.sum())
    return float(mask.sum() / n) if n else float("nan")


def _column_details(ctx: EvalContext, col: str, mask: np.ndarray) -> dict[str, Any]:
    synth = ctx.synthetic[col]
    out: dict[str, Any] = {"n_invalid": int(mask.sum())}
    if col in ctx.numerical:
        real = as_float(ctx.real[col])
        values = as_float(synth)
        n = max(int(synth.notna().sum()), 1)
        with np.errstate(invalid="ignore"):
            out["below_min_share"] = jsonable((values < np.nanmin(real)).sum() / n)
            out["above_max_share"] = jsonable((values > np.nanmax(real)).sum() / n)
    else:
        # Synthetic-only values are not real categories, so they may be listed.
        counts = synth[mask].value_counts()
        out["invalid_categories"] = [str(c) for c in counts.index[:MAX_LISTED]]
        out["invalid_category_counts"] = [int(c) for c in counts.to_numpy()[:MAX_LISTED]]
        out["invalid_categories_not_listed"] = max(len(counts) - MAX_LISTED, 0)
    return out


class InvalidValues(Metric):
    """Share of synthetic values outside the real [min, max] or the real set of categories."""

    key = "fidelity.invalid_values"
    name = "Invalid values"
    description = (
        "Share of synthetic values outside the real range or the real categories; "
        "0.0 means every synthetic value is one the real data allows."
    )
    goal = Goal.MINIMIZE
    baseline_is_noise_floor = True  # baseline: the holdout's value of the same quantity

    def compute(self, ctx: EvalContext) -> list[MetricValue]:
        """Per-column invalid shares and the share over all non-missing synthetic cells."""
        rows = []
        invalid_cells = present_cells = 0
        base_invalid = base_present = 0
        any_invalid = np.zeros(len(ctx.synthetic), dtype=bool)
        for col in ctx.columns:
            mask = invalid_mask(ctx, col, ctx.synthetic)
            if mask is None:
                rows.append(self.not_computed("the real column has no values", (col,)))
                continue
            present = ctx.synthetic[col].notna().to_numpy()
            baseline = None
            if has_holdout(ctx):
                hmask = invalid_mask(ctx, col, ctx.holdout)
                hpresent = ctx.holdout[col].notna().to_numpy()
                baseline = _share(hmask, hpresent) if hpresent.any() else None
                base_invalid += int(hmask.sum())
                base_present += int(hpresent.sum())
            invalid_cells += int(mask.sum())
            present_cells += int(present.sum())
            any_invalid |= mask
            rows.append(
                value_or_reason(
                    self,
                    _share(mask, present),
                    (col,),
                    baseline=baseline,
                    details=_column_details(ctx, col, mask),
                    reason="the synthetic column has no values",
                )
            )
        if not present_cells:
            table = self.not_computed("there are no synthetic values to check")
        else:
            table = self.value(
                invalid_cells / present_cells,
                baseline=base_invalid / base_present if base_present else None,
                details={
                    "n_invalid": invalid_cells,
                    "rows_with_invalid_share": jsonable(any_invalid.mean()),
                },
            )
        return [table] + rows
