"""Correlation matrices and pair similarities, shared by the correlation and pair-trend metrics."""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np
import pandas as pd

from core.metrics.context import EvalContext
from core.metrics.fidelity._calc.encoding import as_float
from core.metrics.fidelity._calc.rows import has_holdout

UNDEFINED = (
    "the correlation is undefined (a constant column, or fewer than two rows with both values)"
)


@dataclass(frozen=True)
class Correlations:
    """Correlation matrices of the numerical columns (NaN where undefined).

    Attributes:
        columns: The numerical and datetime columns, in context order.
        real: Real (training) correlation matrix.
        synthetic: Synthetic correlation matrix.
        holdout: Holdout correlation matrix, or None without holdout rows.
    """

    columns: tuple[str, ...]
    real: np.ndarray
    synthetic: np.ndarray
    holdout: np.ndarray | None


def _matrix(df: pd.DataFrame, cols: tuple[str, ...], method: str) -> np.ndarray:
    frame = pd.DataFrame({c: as_float(df[c]) for c in cols})
    # Pairwise-complete rows, as SDMetrics' dropna() on each pair; constant columns give NaN.
    return frame.corr(method=method).to_numpy(dtype="float64")


def correlations(ctx: EvalContext, method: str) -> Correlations:
    """Pearson or Spearman matrices of the real, synthetic and holdout tables (computed once)."""

    def compute() -> Correlations:
        cols = tuple(ctx.numerical)
        holdout = _matrix(ctx.holdout, cols, method) if has_holdout(ctx) else None
        return Correlations(
            cols, _matrix(ctx.real, cols, method), _matrix(ctx.synthetic, cols, method), holdout
        )

    return ctx.cached(f"fidelity:correlation:{method}", compute)


def similarity(r_real: float, r_other: float) -> float:
    """1 - |r_real - r_other| / 2: 1.0 for equal correlations, 0.0 for opposite perfect ones."""
    return float(1 - abs(r_real - r_other) / 2)


def pair_similarities(ctx: EvalContext, method: str) -> dict[tuple[str, str], tuple[float, ...]]:
    """``{(a, b): (similarity, baseline, r_real, r_synthetic)}`` for every numerical pair."""
    c = correlations(ctx, method)
    out = {}
    for i, j in itertools.combinations(range(len(c.columns)), 2):
        rr, rs = c.real[i, j], c.synthetic[i, j]
        base = similarity(rr, c.holdout[i, j]) if c.holdout is not None else float("nan")
        out[(c.columns[i], c.columns[j])] = (similarity(rr, rs), base, rr, rs)
    return out
