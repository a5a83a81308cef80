"""Shared encodings of the fidelity family: every column as small integer codes.

Categories become codes shared by the real, holdout and synthetic tables (missing is a code of its
own); numbers and dates are cut into ``config.bins`` quantile bins of the REAL rows, values outside
the real range land in the first or last bin, and missing is one more code. Contingency tables,
k-way marginals and the detection feature ranking all count these codes, so they are computed once
per evaluation (``ctx.cached``).

Example: real ``age`` = [20, 30, 40, 50] with ``bins=2`` -> edges [20, 35, 50] -> codes
[0, 0, 1, 1]; a synthetic 90 gets code 1 and a missing age gets code 2.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from core.metrics.context import EvalContext

TABLES = ("real", "holdout", "synthetic")


def as_float(s: pd.Series) -> np.ndarray:
    """A numerical or datetime column as float64 (dates as nanoseconds), missing as NaN."""
    if pd.api.types.is_datetime64_any_dtype(s):
        out = s.to_numpy(dtype="datetime64[ns]").astype("int64").astype("float64")
        out[s.isna().to_numpy()] = np.nan
        return out
    return pd.to_numeric(s, errors="coerce").to_numpy(dtype="float64")


def quantile_edges(real: np.ndarray, bins: int) -> np.ndarray:
    """Inner edges of at most ``bins`` quantile bins of the real values (NaN ignored).

    Repeated quantiles collapse, so a column with 3 distinct values gets at most 3 bins.
    """
    values = real[~np.isnan(real)]
    if len(values) == 0:
        return np.array([])
    edges = np.unique(np.quantile(values, np.linspace(0, 1, bins + 1)))
    return edges[1:-1]


def bin_codes(values: np.ndarray, inner_edges: np.ndarray) -> np.ndarray:
    """Bin index of each value for ``inner_edges``; NaN gets ``len(inner_edges) + 1``."""
    codes = np.searchsorted(inner_edges, values, side="right").astype("int64")
    codes[np.isnan(values)] = len(inner_edges) + 1
    return codes


@dataclass(frozen=True)
class Codes:
    """Integer codes of every compared column, row-aligned with the context's tables.

    Attributes:
        columns: Column names, in context order (the second axis of the code matrices).
        real: ``(n_real, n_columns)`` int64 codes of the training rows.
        holdout: ``(n_holdout, n_columns)`` codes of the holdout rows.
        synthetic: ``(n_synthetic, n_columns)`` codes of the synthetic rows.
        cardinality: Number of possible codes per column (codes are ``0 .. cardinality - 1``).
    """

    columns: tuple[str, ...]
    real: np.ndarray
    holdout: np.ndarray
    synthetic: np.ndarray
    cardinality: np.ndarray

    def index(self, column: str) -> int:
        """Position of ``column`` in the code matrices."""
        return self.columns.index(column)

    def table(self, name: str) -> np.ndarray:
        """The code matrix of ``"real"``, ``"holdout"`` or ``"synthetic"``."""
        return {"real": self.real, "holdout": self.holdout, "synthetic": self.synthetic}[name]


def _encode(ctx: EvalContext) -> Codes:
    frames = [ctx.real, ctx.holdout, ctx.synthetic]
    sizes = np.cumsum([0] + [len(f) for f in frames])
    # Column-major: the metrics read a few columns of every row (a pair, a k-way marginal), and
    # a column of a row slice is then one contiguous block.
    out = np.empty((int(sizes[-1]), len(ctx.columns)), dtype="int64", order="F")
    card = np.zeros(len(ctx.columns), dtype="int64")
    for j, col in enumerate(ctx.columns):
        if col in ctx.numerical:
            values = [as_float(f[col]) for f in frames]
            edges = quantile_edges(values[0], ctx.config.bins)
            out[:, j] = np.concatenate([bin_codes(v, edges) for v in values])
            card[j] = len(edges) + 2
        else:
            stacked = pd.concat([f[col] for f in frames], ignore_index=True)
            codes, uniques = pd.factorize(stacked, use_na_sentinel=False)
            out[:, j] = codes
            card[j] = max(len(uniques), 1)
    parts = [out[sizes[i] : sizes[i + 1]] for i in range(3)]
    return Codes(tuple(ctx.columns), parts[0], parts[1], parts[2], card)


def codes(ctx: EvalContext) -> Codes:
    """The shared integer codes of this evaluation (computed once)."""
    return ctx.cached("fidelity:codes", lambda: _encode(ctx))


def joint_counts(a: np.ndarray, b: np.ndarray, cardinality: np.ndarray) -> tuple[np.ndarray, ...]:
    """Counts of each joint code over two code matrices with the same columns.

    Args:
        a: ``(n_a, k)`` codes of one table.
        b: ``(n_b, k)`` codes of the other table, same columns.
        cardinality: The ``k`` column cardinalities.

    Returns:
        ``(counts_a, counts_b)``: aligned 1-D arrays of counts over the joint codes that occur in
        either table.
    """
    card = [int(c) for c in cardinality]
    size = float(np.prod(np.asarray(card, dtype="float64")))
    if card and size <= 4 * (len(a) + len(b)) + 1024:
        # dense (the common case: a pair, a few columns): each table's cells counted on its own
        # columns, no stacked copy; the same cells and widths as the general path below
        ja, jb = (np.ravel_multi_index(tuple(t.T), card).astype("int64") for t in (a, b))
        width = max(int(ja.max()) if len(ja) else 0, int(jb.max()) if len(jb) else 0) + 1
        return np.bincount(ja, minlength=width), np.bincount(jb, minlength=width)
    stacked = np.concatenate([a, b])
    if size < 2**62:
        joint = np.ravel_multi_index(tuple(stacked.T), card) if card else np.zeros(len(stacked))
        joint = joint.astype("int64")
    else:  # too many cells for one int64: factorise the rows instead
        joint = pd.MultiIndex.from_arrays(list(stacked.T)).factorize()[0]
        size = float(joint.max() + 1) if len(joint) else 1.0
    if size > 4 * len(stacked) + 1024:  # sparse: count only the cells that occur
        joint = pd.factorize(joint)[0]
    width = int(joint.max()) + 1 if len(joint) else 1
    return (
        np.bincount(joint[: len(a)], minlength=width),
        np.bincount(joint[len(a) :], minlength=width),
    )


def tv_similarity(a: np.ndarray, b: np.ndarray, cardinality: np.ndarray) -> float:
    """1 - total variation distance between the joint distributions of two code matrices.

    1.0 means the two tables have the same joint frequencies over these columns; 0.0 means they
    share no cell. NaN when a table has no rows.
    """
    if len(a) == 0 or len(b) == 0:
        return float("nan")
    ca, cb = joint_counts(a, b, cardinality)
    return float(1 - 0.5 * np.abs(ca / len(a) - cb / len(b)).sum())


# Categories per column that get their own one-hot column in ``unit_features``; rarer ones and
# values the real rows never show share one "other" column.
ONE_HOT_TOP = 20
# Scaled numbers are clipped here, so one wild synthetic value cannot dominate a distance.
UNIT_CLIP = (-1.0, 2.0)


def unit_features(ctx: EvalContext, frames: list[pd.DataFrame]) -> list[np.ndarray]:
    """Rows as float32 features on a common scale, fitted on the first frame (the real rows).

    Numbers and dates are min-max scaled to the first frame's range (values outside it go past
    0 or 1, clipped to ``UNIT_CLIP``); a missing number is 0 plus a 1 in the column's missing
    indicator (present when any frame has a missing value). Categories are one-hot over the
    first frame's ``ONE_HOT_TOP`` most frequent values (missing counts as a value), plus one
    "other" column for every other value. Constant columns are left out.

    Example: real ``age`` [20, 60], synthetic 80 -> 0, 1 and 1.5; ``sex`` ["F", "M"] -> two
    one-hot columns.

    Returns:
        One ``(len(frame), width)`` array per frame, with the same columns.
    """
    parts: list[list[np.ndarray]] = [[] for _ in frames]
    for col in ctx.columns:
        if col in ctx.numerical:
            values = [as_float(f[col]) for f in frames]
            lo, hi = np.nanmin(values[0], initial=np.inf), np.nanmax(values[0], initial=-np.inf)
            span = hi - lo
            missing = any(np.isnan(v).any() for v in values)
            for i, v in enumerate(values):
                if np.isfinite(span) and span > 0:
                    scaled = np.clip((v - lo) / span, *UNIT_CLIP)
                    parts[i].append(np.nan_to_num(scaled, nan=0.0)[:, None])
                if missing:
                    parts[i].append(np.isnan(v).astype("float64")[:, None])
            continue
        top = frames[0][col].value_counts(dropna=False).index[:ONE_HOT_TOP]
        other = [~f[col].isin(top).to_numpy() for f in frames]
        has_other = any(o.any() for o in other)
        if len(top) + has_other < 2:
            continue  # one value everywhere: nothing to tell rows apart
        for i, f in enumerate(frames):
            s = f[col]
            hot = [(s.isna() if pd.isna(t) else s == t).to_numpy() for t in top]
            hot += [other[i]] if has_other else []
            parts[i].append(np.column_stack(hot).astype("float64"))
    return [
        np.hstack(p).astype(np.float32) if p else np.zeros((len(f), 0), np.float32)
        for p, f in zip(parts, frames, strict=True)
    ]
