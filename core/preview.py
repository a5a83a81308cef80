"""Side-by-side summaries of real and synthetic rows for the Preview page and the CLI."""

from __future__ import annotations

import numpy as np
import pandas as pd

from core.schema import Schema


def _numeric_stats(s: pd.Series) -> dict[str, object]:
    # 1st and 99th percentiles instead of min and max: extremes of real data identify people.
    if pd.api.types.is_datetime64_any_dtype(s):
        v = s.dropna()
        if len(v) == 0:
            return {"mean": None, "1st percentile": None, "median": None,
                    "99th percentile": None}
        return {"mean": v.mean(), "1st percentile": v.quantile(0.01), "median": v.median(),
                "99th percentile": v.quantile(0.99)}
    v = pd.to_numeric(s, errors="coerce")
    v = v[np.isfinite(v)]
    if len(v) == 0:
        return {"mean": None, "std": None, "1st percentile": None, "median": None,
                "99th percentile": None}
    return {"mean": round(float(v.mean()), 3), "std": round(float(v.std()), 3),
            "1st percentile": float(v.quantile(0.01)), "median": float(v.median()),
            "99th percentile": float(v.quantile(0.99))}


def _categorical_stats(s: pd.Series) -> dict[str, object]:
    counts = s.dropna().astype(str).value_counts()  # the most common value is never rare
    if counts.empty:
        return {"distinct": 0, "most common": None, "its share": None}
    return {"distinct": int(len(counts)), "most common": counts.index[0],
            "its share": round(float(counts.iloc[0] / len(s)), 3)}


def summary_stats(real: pd.DataFrame, synthetic: pd.DataFrame, schema: Schema) -> pd.DataFrame:
    """Per-column statistics, real next to synthetic.

    Args:
        real: Real (training) rows.
        synthetic: Synthetic rows.
        schema: Decides which columns are numbers and which are categories.

    Returns:
        One row per (column, statistic) with ``real`` and ``synthetic`` values as text, e.g.
        ``("age", "mean", "38.6", "38.9")``. Missing share is given for every column.
    """
    rows = []
    for col in schema.synth_columns:
        kind = schema.sdtype(col)
        r = real[col] if col in real else pd.Series(dtype=object)
        s = synthetic[col] if col in synthetic else pd.Series(dtype=object)
        stat = _numeric_stats if kind in ("numerical", "datetime") else _categorical_stats
        sr, ss = stat(r), stat(s)
        for name in sr:
            rows.append((col, kind, name, _fmt(sr[name]), _fmt(ss.get(name))))
        rows.append((col, kind, "missing share", _fmt(round(float(r.isna().mean()), 3)),
                     _fmt(round(float(s.isna().mean()), 3)) if len(s) else "—"))
    return pd.DataFrame(rows, columns=["column", "type", "statistic", "real", "synthetic"])


def _fmt(v: object) -> str:
    if v is None or (isinstance(v, float) and np.isnan(v)):
        return "—"
    if isinstance(v, float):
        return f"{v:,.3f}".rstrip("0").rstrip(".")
    return str(v)
