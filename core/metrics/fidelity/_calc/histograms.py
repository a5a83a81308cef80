"""Data for the side-by-side real-vs-synthetic plot of one column (JSON-ready, no real rows).

Numbers and dates: ``PLOT_BINS`` equal-width bins over the real 1st-99th percentile range; values
below or above are counted in the first or last bin (top-coded), so extremes of single people are
never drawn. Categories: real categories with at least ``min_group_rows`` real rows (the
``MAX_CATEGORIES`` most frequent), the rest - rare real categories and synthetic-only values -
merged into ``"other"``. Shares are of the non-missing values; the missing shares come apart.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from core.metrics.fidelity._calc.encoding import as_float
from core.metrics.fidelity._calc.rows import OTHER, jsonable, jsonable_list, visible_categories

PLOT_BINS = 30
MAX_CATEGORIES = 40


def _missing(s: pd.Series) -> float | None:
    return jsonable(s.isna().mean()) if len(s) else None


def _shares(counts: np.ndarray) -> list[float | None]:
    total = counts.sum()
    return jsonable_list(counts / total if total else np.zeros(len(counts)))


def numeric_plot(real: pd.Series, synthetic: pd.Series, bins: int = PLOT_BINS) -> dict[str, Any]:
    """Common bin edges and real/synthetic shares per bin for a numerical or datetime column.

    Args:
        real: The real column.
        synthetic: The synthetic column.
        bins: Number of equal-width bins over the real 1st-99th percentile range.

    Returns:
        ``{"kind": "numerical"|"datetime", "edges": [...], "real": [...], "synthetic": [...],
        "top_coded": True, "real_missing": r, "synthetic_missing": s}``; dates' edges are ISO
        strings. Edges are empty when the real column has no values.
    """
    is_date = pd.api.types.is_datetime64_any_dtype(real)
    r, s = as_float(real), as_float(synthetic)
    r, s = r[~np.isnan(r)], s[~np.isnan(s)]
    out: dict[str, Any] = {
        "kind": "datetime" if is_date else "numerical",
        "top_coded": True,
        "real_missing": _missing(real),
        "synthetic_missing": _missing(synthetic),
    }
    if len(r) == 0:
        return {**out, "edges": [], "real": [], "synthetic": []}
    lo, hi = np.percentile(r, [1, 99])
    if hi <= lo:
        lo, hi = float(r.min()), float(r.max())
    if hi <= lo:  # a constant column: one bin around the value
        edges = np.array([lo - 0.5, lo + 0.5]) if not is_date else np.array([lo, lo + 1.0])
    else:
        edges = np.linspace(lo, hi, bins + 1)
    n = len(edges) - 1

    def counts(x: np.ndarray) -> np.ndarray:
        idx = np.clip(np.searchsorted(edges, x, side="right") - 1, 0, n - 1)
        return np.bincount(idx, minlength=n)

    if is_date:
        shown: list[Any] = [
            ts.isoformat() for ts in pd.to_datetime(edges.astype("int64"), unit="ns")
        ]
    else:
        shown = jsonable_list(edges, 8)
    return {**out, "edges": shown, "real": _shares(counts(r)), "synthetic": _shares(counts(s))}


def category_plot(real: pd.Series, synthetic: pd.Series, min_rows: int) -> dict[str, Any]:
    """Real vs synthetic shares per category, rare and synthetic-only values as ``"other"``.

    Args:
        real: The real column.
        synthetic: The synthetic column.
        min_rows: Categories with fewer real rows are merged into ``"other"``.

    Returns:
        ``{"kind": "categorical", "categories": [...], "real": [...], "synthetic": [...],
        "real_missing": r, "synthetic_missing": s}``; ``"other"`` comes last when it holds any
        value.
    """
    shown = visible_categories(real, min_rows, MAX_CATEGORIES)

    def shares(s: pd.Series) -> np.ndarray:
        counts = s.dropna().value_counts()
        known = counts.reindex(shown, fill_value=0).to_numpy(dtype="float64")
        return np.append(known, counts.sum() - known.sum())

    r, s = shares(real), shares(synthetic)
    cats = list(shown)
    if r[-1] > 0 or s[-1] > 0:
        cats.append(OTHER)
    else:
        r, s = r[:-1], s[:-1]
    return {
        "kind": "categorical",
        "categories": cats,
        "real": _shares(r),
        "synthetic": _shares(s),
        "real_missing": _missing(real),
        "synthetic_missing": _missing(synthetic),
    }
