"""Contingency-table similarity of pairs, shared by the contingency and pair-trend metrics."""

from __future__ import annotations

import itertools

from core.metrics.context import EvalContext
from core.metrics.fidelity._calc.encoding import codes, tv_similarity
from core.metrics.fidelity._calc.rows import has_holdout


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
