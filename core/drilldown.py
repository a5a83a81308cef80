"""The privacy drill-down: the riskiest synthetic rows next to their nearest real rows, masked.

People reviewing a synthetic table may not be cleared to see the real one. Real values are shown
only masked (:func:`mask_real_frame`): a category with fewer than ``min_group_rows`` real rows
becomes ``"(rare)"``, and a number or date beyond the real 1st–99th percentile is top-coded to
that bound and marked, e.g. ``"≥ 79"``. Identifier columns are never shown.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from core.figures.common import is_ok, why_not
from core.metrics.context import normalize_frame
from core.report import Report
from core.schema import Schema

RARE = "(rare)"
PERCENTILES = (1, 99)
SYNTHETIC_SUFFIX = " (synthetic)"
REAL_SUFFIX = " (nearest real)"
MSG_SIZES = (
    "The {which} table has {got:,} rows but the report was computed on {want:,}: the row "
    "numbers in the report point into the tables it was computed on. Pass those tables."
)


def _numbers_text(values: np.ndarray) -> np.ndarray:
    """Numbers as short text: whole numbers without ``.0``, others with 6 significant digits."""
    out = np.full(len(values), None, dtype=object)
    ok = np.isfinite(values)
    whole = ok & (np.mod(values, 1, where=ok, out=np.ones_like(values)) == 0)
    out[whole] = values[whole].astype("int64").astype(str)
    rest = ok & ~whole
    out[rest] = np.char.mod("%.6g", values[rest])
    return out


def _date_format(real: pd.Series) -> str:
    """Dates only when every real value is at midnight, else date and time."""
    times = real.dropna()
    return "%Y-%m-%d" if (times == times.dt.normalize()).all() else "%Y-%m-%d %H:%M:%S"


def _top_coded(real: pd.Series, shown: pd.Series) -> np.ndarray:
    """Numbers or dates of ``shown`` as text, top-coded to the real 1st–99th percentile.

    Both are normalised (``float64`` or ``datetime64[ns]``); missing values stay None.
    """
    is_date = pd.api.types.is_datetime64_any_dtype(real)

    def numbers(s: pd.Series) -> np.ndarray:
        if not is_date:
            return s.to_numpy(dtype="float64")
        return np.where(s.isna(), np.nan, s.astype("int64").to_numpy(dtype="float64"))

    def text(v: np.ndarray) -> np.ndarray:
        if not is_date:
            return _numbers_text(v)
        dates = pd.Series(pd.to_datetime(v, unit="ns"))  # NaN -> NaT
        return dates.dt.strftime(_date_format(real)).to_numpy(dtype=object)

    r, v = numbers(real), numbers(shown)
    r = r[~np.isnan(r)]
    if len(r) == 0:  # no real value to bound by: show nothing but whether a value is there
        return np.where(np.isnan(v), None, RARE).astype(object)
    lo, hi = np.percentile(r, PERCENTILES)
    lo_text, hi_text = text(np.array([lo, hi]))
    with np.errstate(invalid="ignore"):
        masked = np.where(v < lo, f"≤ {lo_text}", np.where(v > hi, f"≥ {hi_text}", text(v)))
    return np.where(np.isnan(v), None, masked).astype(object)


def _rare_masked(real: pd.Series, shown: pd.Series, min_count: int) -> np.ndarray:
    """Categories of ``shown``; those with fewer than ``min_count`` real rows become (rare)."""
    counts = real.dropna().value_counts()
    n_real = shown.map(counts).fillna(0).to_numpy()
    missing = shown.isna().to_numpy()
    values = np.where(n_real >= min_count, shown.to_numpy(dtype=object), RARE)
    return np.where(missing, None, values).astype(object)


def mask_real_frame(
    train: pd.DataFrame, frame: pd.DataFrame, schema: Schema, min_count: int
) -> pd.DataFrame:
    """Rows made safe to show to people who may not see the real data.

    Both tables are first normalised as the metrics see them (``normalize_frame``: numbers as
    floats, dates parsed with the schema's format, categories as text).

    Args:
        train: The real training rows: they decide which categories are rare and the
            percentile bounds.
        frame: The rows to show (real rows, or synthetic rows paired with real ones).
        schema: ``Report.schema`` (or the dataset's): each column's sdtype.
        min_count: Categories with fewer real rows are shown as ``"(rare)"``
            (``config.min_group_rows``).

    Returns:
        ``frame``'s index and the schema's non-identifier columns present in both tables, in
        schema order, as text (missing values None): rare categories as ``"(rare)"``, numbers
        and dates below the real 1st percentile as ``"≤ <bound>"``, above the 99th as
        ``"≥ <bound>"``.

    Example:
        train ages 1..100 (99th percentile 99.01): shown 100 -> ``"≥ 99.01"``, shown 50 ->
        ``"50"``; a category seen in 2 training rows with ``min_count=5`` -> ``"(rare)"``.
    """
    cols = [c for c in schema.synth_columns if c in frame.columns and c in train.columns]
    real = normalize_frame(train, schema, cols)
    shown = normalize_frame(frame, schema, cols)
    out = {}
    for col in cols:
        if schema.sdtype(col) in ("numerical", "datetime"):
            out[col] = _top_coded(real[col], shown[col])
        else:
            out[col] = _rare_masked(real[col], shown[col], min_count)
    return pd.DataFrame(out, index=frame.index, columns=cols)


def copied_rows(train: pd.DataFrame, synthetic: pd.DataFrame, report: Report) -> pd.DataFrame:
    """The synthetic rows the report lists as exact copies of training rows, masked.

    Args:
        train: The training rows (they decide what is rare and the percentile bounds).
        synthetic: The synthetic rows the report was computed on (row numbers are positions).
        report: The report; ``privacy.exact_copies`` lists the first copied rows.

    Returns:
        :func:`mask_real_frame` of those rows, indexed by their synthetic row number; empty
        (no columns) when nothing was copied or the metric was not computed.
    """
    copies = report.top("privacy.exact_copies")
    rows = copies.details.get("synthetic_rows") if is_ok(copies) else None
    if not rows:
        return pd.DataFrame()
    idx = [i for i in rows if i < len(synthetic)]
    return mask_real_frame(train, synthetic.iloc[idx], report.schema,
                           int(report.config.get("min_group_rows", 5)))


def _empty(columns: list[str], reason: str) -> pd.DataFrame:
    df = pd.DataFrame(columns=["synthetic row", "distance"] + [
        c + s for c in columns for s in (SYNTHETIC_SUFFIX, REAL_SUFFIX)])
    df.attrs["reason"] = reason
    return df


def riskiest_pairs(
    train: pd.DataFrame,
    synthetic: pd.DataFrame,
    report: Report,
    k: int = 20,
    mask_synthetic: bool = True,
) -> pd.DataFrame:
    """The ``k`` synthetic rows closest to a training row, next to that row, masked.

    Args:
        train: The training rows the report was computed on (row numbers are positions).
        synthetic: The synthetic rows the report was computed on.
        report: The report; its ``privacy.dcr`` details list the riskiest rows.
        k: Pairs to show, closest first.
        mask_synthetic: Mask the synthetic values by the same real-data rules. On by default:
            a near-copy shown in clear would reveal the real row's rare values beside it.

    Returns:
        One row per pair: ``synthetic row``, ``distance`` (0 = identical), then for each
        compared column ``<col> (synthetic)`` and ``<col> (nearest real)``. Empty, with
        ``attrs["reason"]``, when the DCR was not computed.

    Raises:
        ValueError: The tables are not the ones the report was computed on (sizes differ).
    """
    for which, df, key in (("training", train, "real"), ("synthetic", synthetic, "synthetic")):
        want = report.sizes.get(key)
        if want is not None and len(df) != want:
            raise ValueError(MSG_SIZES.format(which=which, got=len(df), want=want))
    columns = [c for c in report.schema.synth_columns if c in train and c in synthetic]
    r = report.top("privacy.dcr")
    risky = r.details.get("riskiest") if is_ok(r) else None
    if not risky or not risky.get("synthetic_row"):
        return _empty(columns, why_not(r) if not is_ok(r) else "no synthetic row was listed")
    syn_pos = np.asarray(risky["synthetic_row"][:k], dtype="int64")
    real_pos = np.asarray(risky["training_row"][:k], dtype="int64")
    min_count = int(report.config.get("min_group_rows", 5))
    real = mask_real_frame(train, train.iloc[real_pos], report.schema, min_count)
    syn_rows = synthetic.iloc[syn_pos]
    if mask_synthetic:
        syn = mask_real_frame(train, syn_rows, report.schema, min_count)
    else:
        syn = syn_rows[columns].astype(object).where(syn_rows[columns].notna(), None)
        syn.index = real.index
    out: dict[str, Any] = {
        "synthetic row": syn_pos,
        "distance": np.asarray(risky["distance"][:k], dtype="float64"),
    }
    for col in columns:
        out[col + SYNTHETIC_SUFFIX] = syn[col].to_numpy(dtype=object)
        out[col + REAL_SUFFIX] = real[col].to_numpy(dtype=object)
    return pd.DataFrame(out)
