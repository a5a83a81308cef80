"""Which rows the distance-based privacy metrics compare, searched once per evaluation.

Every privacy metric reads its tables and nearest neighbours from here, through
``ctx.cached``, so the DCR, the DCR share, NNDR and the membership attack share one search per
pair of tables. Tables, by name:

- ``real``, ``holdout``, ``synthetic``: the context's tables, each capped at
  ``config.max_rows`` rows (sampled with the config's seed; the ``n`` of each row says so);
- ``real_eq`` and ``holdout_eq``: equal-size samples of the training and holdout rows
  (``min`` of their sizes), so that "closer to training than to holdout" has an ideal of 50% and
  the membership attack compares as many members as non-members;
- ``random``: uniform random rows within the training rows' ranges and categories, as many as
  synthetic rows (SDMetrics' ``DCRBaselineProtection`` baseline).

Row positions returned by :func:`neighbours` index these frames; ``frame(...).index`` maps them
back to row indices of the context's tables.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from core.metrics.context import TABLE_WORDS, EvalContext
from core.metrics.privacy._calc.distance import Neighbours, nearest

TABLES = ("real", "holdout", "synthetic", "real_eq", "holdout_eq", "random")
# Salts keep the samples of different tables independent while all follow config.seed.
_SALT = {"real": 101, "holdout": 102, "synthetic": 103, "real_eq": 104, "holdout_eq": 105}


def random_rows(real: pd.DataFrame, n: int, seed: int) -> pd.DataFrame:
    """Uniform random rows shaped like ``real``, as SDMetrics' DCRBaselineProtection makes them.

    Numbers are uniform between the column's min and max, dates uniform in seconds between the
    first and last date, categories drawn uniformly from the observed values; each column then
    gets missing values at its real missing rate. The draws follow SDMetrics'
    ``_generate_random_data`` step for step: values from ``np.random.default_rng(seed)`` and
    missing masks from a legacy ``RandomState(seed)``, so with ``DCRBaselineProtection._seed =
    seed`` and ``np.random.seed(seed)`` SDMetrics draws the same table from float columns.

    Args:
        real: The training rows (normalised dtypes).
        n: Rows to draw.
        seed: Random seed.

    Returns:
        A frame with ``real``'s columns and ``n`` rows.
    """
    values_rng = np.random.default_rng(seed)
    mask_rng = np.random.RandomState(seed)
    out: dict[str, pd.Series] = {}
    for col in real.columns:
        s = real[col]
        nan_ratio = s.isna().mean()
        observed = s.dropna()
        if pd.api.types.is_datetime64_any_dtype(s):
            if len(observed):
                lo, hi = observed.min(), observed.max()
                secs = values_rng.uniform(low=0, high=(hi - lo).total_seconds(), size=n)
                values = pd.Series(lo + pd.to_timedelta(secs, unit="s"))
            else:
                values = pd.Series(pd.NaT, index=range(n), dtype="datetime64[ns]")
        elif pd.api.types.is_numeric_dtype(s):
            if len(observed):
                values = pd.Series(values_rng.uniform(observed.min(), observed.max(), size=n))
            else:
                values = pd.Series(np.nan, index=range(n))
        elif len(observed):
            values = pd.Series(values_rng.choice(observed.unique(), size=n), dtype=object)
        else:
            values = pd.Series(np.nan, index=range(n), dtype=object)
        mask = mask_rng.rand(n) < nan_ratio
        values[mask] = pd.NaT if pd.api.types.is_datetime64_any_dtype(values) else np.nan
        out[col] = values
    return pd.DataFrame(out, columns=real.columns)


def equal_size(ctx: EvalContext) -> int:
    """Rows in each of the equal-size training and holdout samples."""
    return min(len(frame(ctx, "real")), len(frame(ctx, "holdout")))


def frame(ctx: EvalContext, name: str) -> pd.DataFrame:
    """One of the compared tables (see the module docstring), cached per evaluation.

    Args:
        ctx: The evaluation context.
        name: One of ``TABLES``.

    Returns:
        The rows, indexed by their row index in the context's table (``random``: 0..n-1).
    """
    if name not in TABLES:
        raise ValueError(f"Unknown table {name!r}. Valid tables: {', '.join(TABLES)}.")

    def compute() -> pd.DataFrame:
        cap = ctx.config.max_rows
        if name in ("real", "holdout", "synthetic"):
            return ctx.sample(getattr(ctx, name), cap, salt=_SALT[name], table=TABLE_WORDS[name])
        if name in ("real_eq", "holdout_eq"):
            side = name.removesuffix("_eq")
            return ctx.sample(frame(ctx, side), equal_size(ctx), salt=_SALT[name],
                              table=TABLE_WORDS[side])
        return random_rows(frame(ctx, "real"), len(frame(ctx, "synthetic")), ctx.config.seed)

    return ctx.cached(f"privacy.frame:{name}", compute)


def neighbours(ctx: EvalContext, query: str, reference: str) -> Neighbours:
    """The two nearest ``reference`` rows of every ``query`` row, searched once per evaluation.

    Args:
        ctx: The evaluation context.
        query: Name of the table whose rows are looked up (one of ``TABLES``).
        reference: Name of the table searched; its ranges scale numerical differences.

    Returns:
        :class:`~core.metrics.privacy._calc.distance.Neighbours` with positions into
        ``frame(ctx, reference)``.
    """
    return ctx.cached(
        f"privacy.nn:{query}->{reference}",
        lambda: nearest(frame(ctx, query), frame(ctx, reference), ctx.numerical),
    )


def row_hashes(df: pd.DataFrame) -> np.ndarray:
    """One 64-bit hash per row; equal rows (missing equal to missing) get equal hashes."""
    clean = df.copy()
    for col in clean.columns:
        if pd.api.types.is_float_dtype(clean[col]):
            clean[col] = clean[col] + 0.0  # -0.0 and 0.0 are the same value
    return pd.util.hash_pandas_object(clean, index=False).to_numpy()
