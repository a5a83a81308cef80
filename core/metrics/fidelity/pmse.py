"""pMSE: can a logistic model tell synthetic rows from real ones beyond what chance allows?"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from core.metrics.context import EvalContext
from core.metrics.fidelity._calc.propensity import (
    LEVELS,
    MAX_PAIRS,
    Propensity,
    choose_pairs,
    design,
    level_codes,
    propensity_mse,
)
from core.metrics.metric import Goal, Metric
from core.metrics.value import MetricValue

# The ratio grows with N for a given difference between the tables: a fixed cap keeps runs
# comparable.
ROWS_PER_SIDE = 5_000
MIN_ROWS = 20
MSG_CONSTANT = "every compared column has a single value, so the model has nothing to learn"
MSG_TOO_FEW = (
    "too few rows: the propensity model needs at least {need} real and {need} synthetic rows "
    "(there are {real} and {synthetic})"
)


def _pmse(ctx: EvalContext, first: pd.DataFrame, second: pd.DataFrame) -> tuple[Propensity, int]:
    """The pMSE of ``second`` (label 1) against ``first`` (label 0), and the pairs used."""
    cols = [("number" if c in ctx.numerical else "category", first[c], second[c])
            for c in ctx.columns]
    codes = level_codes(cols)
    pairs = choose_pairs(codes.shape[1], ctx.config.seed)
    x = design(codes, len(first), pairs)
    y = np.r_[np.zeros(len(first)), np.ones(len(second))]
    return propensity_mse(x, y, ctx.config.seed), len(pairs)


def _figures(p: Propensity) -> dict[str, Any]:
    return {"pmse": p.pmse, "null_pmse": p.null_pmse, "ratio": p.ratio, "z": round(p.z, 3),
            "parameters": p.parameters, "share_synthetic": p.share, "converged": p.converged,
            # the ratio of a model that separates the tables perfectly (pMSE = c(1 - c))
            "separation_ratio": p.share * (1 - p.share) / p.null_pmse if p.null_pmse else None}


class PropensityMSE(Metric):
    """Standardised pMSE (Snoke et al. 2018): pMSE over its null expectation.

    The value is the ratio pMSE / ((k - 1)(1 - c)^2 c / N), synthpop's S_pMSE, on equal-size
    samples of the training and synthetic rows (c = 0.5). 1 is what a correct generator fitted
    to the real rows gives, about 2 what a fresh real sample gives (the baseline: the holdout's
    ratio), 0 an identical copy. The pMSE itself, its null expectation, ``k - 1``, the z score
    and the propensity histograms are in the details (:mod:`.propensity`).
    """

    key = "fidelity.pmse"
    name = "pMSE ratio (propensity score)"
    description = (
        "Standardised propensity mean squared error (Snoke et al. 2018): how well a logistic "
        "model with all two-way interactions tells synthetic rows from real ones, as the ratio "
        "of its pMSE to the pMSE expected of a correct generator; 1 is that expectation, about "
        "2 what a fresh real sample reaches (the holdout gives it), higher values mean the "
        "synthetic rows are told apart."
    )
    goal = Goal.MINIMIZE
    min_value = 1.0  # the null expectation; a copy of the real rows goes below (0 for an exact one)
    max_value = float("inf")
    baseline_is_noise_floor = True  # baseline: the holdout's ratio (a fresh real sample)

    def compute(self, ctx: EvalContext) -> list[MetricValue]:
        """The pMSE ratio of the synthetic rows, and of the holdout rows as the noise floor."""
        if not ctx.columns:
            return [self.not_computed("there are no columns to compare")]
        cap = min(ROWS_PER_SIDE, ctx.config.max_rows)
        n = min(len(ctx.real), len(ctx.synthetic), cap)
        if n < MIN_ROWS:
            return [self.not_computed(MSG_TOO_FEW.format(
                need=MIN_ROWS, real=len(ctx.real), synthetic=len(ctx.synthetic)))]
        real = ctx.sample(ctx.real, n, salt=31, table="training")
        synth = ctx.sample(ctx.synthetic, n, salt=32, table="synthetic")
        main, n_pairs = _pmse(ctx, real, synth)
        details: dict[str, Any] = {
            **_figures(main),
            "rows_per_side": n,
            "model": (f"logistic regression (lbfgs, near-unpenalised): main effects and "
                      f"{n_pairs} two-way interactions of columns coded in at most {LEVELS} "
                      "levels (quartiles or 4 most frequent categories, plus missing / other)"),
            "pairs": n_pairs,
            "pairs_total": len(ctx.columns) * (len(ctx.columns) - 1) // 2,
            "max_pairs": MAX_PAIRS,
            "fresh_sample_ratio": round(1 / (1 - main.share), 3),
            "histogram_edges": [round(e, 1) for e in np.linspace(0, 1, 11)],
            "histogram": main.histogram,
        }
        baseline = None
        n_hold = min(len(ctx.real), len(ctx.holdout), cap)
        if n_hold >= MIN_ROWS:
            hold_real = ctx.sample(ctx.real, n_hold, salt=33, table="training")
            hold = ctx.sample(ctx.holdout, n_hold, salt=34, table="holdout")
            base, _ = _pmse(ctx, hold_real, hold)
            baseline = base.ratio
            details["holdout"] = {**_figures(base), "rows_per_side": n_hold}
        return [self.value(main.ratio, baseline=baseline, n=2 * n, details=details,
                           reason=MSG_CONSTANT)]
