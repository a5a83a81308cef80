"""Contingency similarity of every categorical and mixed pair, as SDMetrics."""

from __future__ import annotations

import itertools

import numpy as np

from core.metrics.context import EvalContext
from core.metrics.fidelity.common import has_holdout, rollup, value_or_reason
from core.metrics.fidelity.encoding import codes, tv_similarity
from core.metrics.fidelity.sdmetrics_compat import (
    CONTINGENCY,
    sdmetrics_figure,
    sdmetrics_pair_trends,
)
from core.metrics.metric import Metric
from core.metrics.value import MetricValue


def contingency_pairs(ctx: EvalContext) -> list[tuple[str, str]]:
    """Every pair with at least one categorical or boolean column, in column order."""
    return [
        (a, b)
        for a, b in itertools.combinations(ctx.columns, 2)
        if a in ctx.categorical or b in ctx.categorical
    ]


def pair_similarity(ctx: EvalContext, a: str, b: str, other: str = "synthetic") -> float:
    """1 - TVD between the real and ``other`` 2-D contingency tables of columns ``a`` and ``b``.

    Numerical columns are in ``config.bins`` quantile bins of the real data; missing values are a
    category of their own (as SDMetrics' ``groupby(dropna=False)``). 1.0 means identical joint
    frequencies. NaN when a table has no rows.
    """
    enc = codes(ctx)
    idx = [enc.index(a), enc.index(b)]
    return tv_similarity(enc.real[:, idx], enc.table(other)[:, idx], enc.cardinality[idx])


def contingency_similarities(ctx: EvalContext) -> dict[tuple[str, str], tuple[float, float]]:
    """``{(a, b): (similarity, baseline)}`` for every contingency pair (computed once)."""

    def compute() -> dict[tuple[str, str], tuple[float, float]]:
        holdout = has_holdout(ctx)
        return {
            (a, b): (
                pair_similarity(ctx, a, b),
                pair_similarity(ctx, a, b, "holdout") if holdout else float("nan"),
            )
            for a, b in contingency_pairs(ctx)
        }

    return ctx.cached("fidelity:contingency", compute)


class ContingencySimilarity(Metric):
    """1 - TVD of the 2-D contingency tables for every categorical-categorical and mixed pair."""

    key = "fidelity.contingency_similarity"
    family = "fidelity"
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
