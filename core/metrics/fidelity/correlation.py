"""Correlation similarity of every numerical pair (Pearson and Spearman), as SDMetrics."""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np
import pandas as pd

from core.metrics.context import EvalContext
from core.metrics.fidelity.common import (
    has_holdout,
    jsonable,
    jsonable_list,
    rollup,
    value_or_reason,
)
from core.metrics.fidelity.encoding import as_float
from core.metrics.fidelity.sdmetrics_compat import (
    CORRELATION,
    sdmetrics_figure,
    sdmetrics_pair_trends,
)
from core.metrics.metric import Metric
from core.metrics.value import MetricValue

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


def _matrix_details(m: np.ndarray) -> list[list[float | None]]:
    return [jsonable_list(row, 4) for row in m]


class CorrelationPearson(Metric):
    """Pearson correlation similarity 1 - |r_real - r_synth| / 2 for every numerical pair."""

    key = "fidelity.correlation_pearson"
    family = "fidelity"
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
