"""The SDMetrics 0.32 Column Pair Trends figure, reproduced rule for rule (vectorised).

SDMetrics' QualityReport scores every pair of columns but averages only the pairs whose REAL data
shows a trend (``sdmetrics/reports/single_table/_properties/column_pair_trends.py``):

- numerical/datetime pairs: ``CorrelationSimilarity`` (Pearson); a pair counts when the real
  ``|r| > 0.5``. A column that is constant in the real or the synthetic data makes the pair an
  error, which does not count.
- every other pair: ``ContingencySimilarity``; a pair counts when the real Cramér's V
  (``scipy.stats.contingency.association``, no correction) is ``> 0.3``. Numerical and datetime
  columns are first cut into 10 equal-width bins (``np.histogram_bin_edges``) of EACH table's own
  values and labelled with ``np.digitize`` (missing values get the label after the last bin);
  missing categories are a category of their own.

The figure is the mean score of the pairs that count, or None (SDMetrics: NaN) when none does.
One difference: SDMetrics samples 50,000 rows at random (no seed) for contingency pairs of bigger
tables; here all rows are used, so above 50,000 rows the figures differ by sampling noise.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np
import pandas as pd

from core.metrics.context import EvalContext
from core.metrics.fidelity._calc.encoding import as_float, joint_counts

CORRELATION, CONTINGENCY = "CorrelationSimilarity", "ContingencySimilarity"
REAL_CORRELATION_THRESHOLD = 0.5  # sdmetrics.reports.utils.DEFAULT_REAL_CORRELATION_THRESHOLD
REAL_ASSOCIATION_THRESHOLD = 0.3  # sdmetrics.reports.utils.DEFAULT_REAL_ASSOCIATION_THRESHOLD
HISTOGRAM_BINS = 10


@dataclass(frozen=True)
class PairTrend:
    """One row of SDMetrics' Column Pair Trends details.

    Attributes:
        columns: The two columns.
        metric: ``CORRELATION`` or ``CONTINGENCY``.
        score: The pair's score (NaN when it does not count or errored).
        counts: Whether the pair meets the real-trend threshold and enters the average.
    """

    columns: tuple[str, str]
    metric: str
    score: float
    counts: bool


def _discrete_codes(ctx: EvalContext, col: str) -> tuple[np.ndarray, np.ndarray]:
    """SDMetrics' discrete labels of one column in the real and synthetic tables."""
    if col in ctx.numerical:
        out = []
        for df in (ctx.real, ctx.synthetic):
            values = as_float(df[col])
            edges = np.histogram_bin_edges(values[~np.isnan(values)], bins=HISTOGRAM_BINS)
            out.append(np.digitize(values, bins=edges).astype("int64"))
        return out[0], out[1]
    stacked = pd.concat([ctx.real[col], ctx.synthetic[col]], ignore_index=True)
    codes = pd.factorize(stacked, use_na_sentinel=False)[0].astype("int64")
    return codes[: len(ctx.real)], codes[len(ctx.real) :]


def _ranks(codes: np.ndarray) -> tuple[np.ndarray, int]:
    """Each code's rank among the distinct codes (``np.unique``'s inverse) and their number.

    Codes that are small non-negative integers (bins, factorised labels) are ranked by counting,
    in one pass instead of a sort of every row.
    """
    codes = codes.astype("int64", copy=False)
    if len(codes) and codes.min() >= 0 and codes.max() <= 4 * len(codes) + 1024:
        present = np.bincount(codes) > 0
        rank = np.cumsum(present) - 1
        return rank[codes], int(present.sum())
    values, inverse = np.unique(codes, return_inverse=True)
    return inverse.astype("int64"), len(values)


def cramers_v(a: np.ndarray, b: np.ndarray) -> float:
    """Cramér's V of two code arrays, from the non-empty cells only (as scipy's ``association``).

    chi2 = n * (sum over cells of O^2 / (row total * column total) - 1); V = sqrt(chi2 / n /
    (min(rows, columns) - 1)). NaN when either variable has a single observed value.
    """
    n = len(a)
    if n == 0:
        return float("nan")
    ia, na = _ranks(a)
    ib, nb = _ranks(b)
    if min(na, nb) < 2:
        return float("nan")
    joint = ia * nb + ib
    if na * nb <= 4 * n + 1024:  # few cells: count them all, keep those that occur (sorted)
        every = np.bincount(joint, minlength=na * nb)
        cells = np.flatnonzero(every)
        counts = every[cells]
    else:
        cells, counts = np.unique(joint, return_counts=True)
    row_tot = np.bincount(ia, minlength=na)[cells // nb]
    col_tot = np.bincount(ib, minlength=nb)[cells % nb]
    chi2 = n * (np.sum(counts.astype("float64") ** 2 / (row_tot * col_tot.astype("float64"))) - 1)
    return float(np.sqrt(max(chi2, 0.0) / n / (min(na, nb) - 1)))


def _correlation_pairs(ctx: EvalContext, pairs: list[tuple[str, str]], method: str) -> list:
    real = pd.DataFrame({c: as_float(ctx.real[c]) for c in ctx.numerical})
    synth = pd.DataFrame({c: as_float(ctx.synthetic[c]) for c in ctx.numerical})
    r_real, r_synth = real.corr(method=method), synth.corr(method=method)
    constant = set(real.columns[real.nunique() == 1]) | set(synth.columns[synth.nunique() == 1])
    out = []
    for a, b in pairs:
        rr, rs = r_real.loc[a, b], r_synth.loc[a, b]
        if a in constant or b in constant:  # SDMetrics raises ConstantInputError: no score
            out.append(PairTrend((a, b), CORRELATION, float("nan"), False))
            continue
        counts = bool(np.isfinite(rr) and abs(rr) > REAL_CORRELATION_THRESHOLD)
        score = 1 - abs(rr - rs) / 2 if counts else float("nan")
        out.append(PairTrend((a, b), CORRELATION, float(score), counts))
    return out


def _compute(ctx: EvalContext, method: str) -> list[PairTrend]:
    cols = list(ctx.columns)
    pairs = list(itertools.combinations(cols, 2))
    num_pairs = [p for p in pairs if p[0] in ctx.numerical and p[1] in ctx.numerical]
    by_pair = {p.columns: p for p in _correlation_pairs(ctx, num_pairs, method)}
    if method != "pearson":
        return [by_pair[p] for p in num_pairs]
    discrete = {c: _discrete_codes(ctx, c) for c in cols}
    for a, b in pairs:
        if (a, b) in by_pair:
            continue
        (ra, sa), (rb, sb) = discrete[a], discrete[b]
        v = cramers_v(ra, rb)
        counts = bool(np.isfinite(v) and v > REAL_ASSOCIATION_THRESHOLD)
        score = float("nan")
        if counts and len(sa):
            real, synth = np.column_stack([ra, rb]), np.column_stack([sa, sb])
            card = np.maximum(real.max(axis=0), synth.max(axis=0)) + 1
            cr, cs = joint_counts(real, synth, card)
            score = float(1 - 0.5 * np.abs(cr / len(ra) - cs / len(sa)).sum())
        by_pair[(a, b)] = PairTrend((a, b), CONTINGENCY, score, counts)
    return [by_pair[p] for p in pairs]


def sdmetrics_pair_trends(ctx: EvalContext, method: str = "pearson") -> list[PairTrend]:
    """Every pair scored under SDMetrics' Column Pair Trends rules (computed once).

    Args:
        ctx: The evaluation context.
        method: ``"pearson"`` gives SDMetrics' figure for all pairs; ``"spearman"`` applies the
            same rule to numerical pairs with Spearman's correlation (SDMetrics'
            ``CorrelationSimilarity(coefficient="Spearman", real_correlation_threshold=0.5)``).

    Returns:
        One :class:`PairTrend` per pair, in column order.
    """
    return ctx.cached(f"fidelity:sdmetrics_pairs:{method}", lambda: _compute(ctx, method))


def sdmetrics_figure(pairs: list[PairTrend], metric: str | None = None) -> float | None:
    """Mean score of the counting pairs (of one ``metric`` kind, or all); None when none counts.

    With ``metric=None`` this is SDMetrics' "Column Pair Trends" property score.
    """
    scores = [p.score for p in pairs if p.counts and (metric is None or p.metric == metric)]
    scores = [s for s in scores if np.isfinite(s)]
    return float(np.mean(scores)) if scores else None
