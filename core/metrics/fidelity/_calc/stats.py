"""Column-level statistics shared by fidelity and per-group fairness metrics.

Pure functions over pandas Series already normalised by ``EvalContext`` (numbers as float64,
dates as datetime64, categories as str with NaN for missing).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats


def _as_numbers(s: pd.Series) -> np.ndarray:
    if pd.api.types.is_datetime64_any_dtype(s):
        s = s.dropna().astype("int64")
    return pd.to_numeric(s, errors="coerce").dropna().to_numpy(dtype="float64")


def ks_complement(real: pd.Series, synthetic: pd.Series) -> float:
    """1 - the two-sample Kolmogorov-Smirnov statistic, missing values ignored (as SDMetrics).

    1.0 means the two empirical distributions are identical; 0.0 means they do not overlap.
    Returns NaN when either side has no values.

    Example: ``ks_complement(pd.Series([1., 2.]), pd.Series([1., 2.]))`` -> 1.0
    """
    r, s = _as_numbers(real), _as_numbers(synthetic)
    if len(r) == 0 or len(s) == 0:
        return float("nan")
    return float(1 - stats.ks_2samp(r, s).statistic)


def tv_complement(real: pd.Series, synthetic: pd.Series) -> float:
    """1 - the total variation distance between category frequencies (as SDMetrics).

    Missing values are ignored, as in SDMetrics' TVComplement (their share is its own metric).
    1.0 means identical frequencies; 0.0 means no category in common. NaN when a side is empty.

    Example: ``tv_complement(pd.Series(['a', 'b']), pd.Series(['a', 'a']))`` -> 0.5
    """
    real, synthetic = real.dropna(), synthetic.dropna()
    if len(real) == 0 or len(synthetic) == 0:
        return float("nan")
    f_r = real.value_counts(normalize=True)
    f_s = synthetic.value_counts(normalize=True)
    both = f_r.to_frame("r").join(f_s.to_frame("s"), how="outer").fillna(0.0)
    return float(1 - 0.5 * np.abs(both["r"] - both["s"]).sum())
