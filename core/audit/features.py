"""What the attacker reads from one synthetic table about one target record.

Each synthetic output of a shadow generator becomes a short vector, all relative to the target
(so one classifier can learn from every target's shadows):

- ``closest``: distance from the target to its nearest synthetic row, and ``mean_5_closest``
  to its 5 nearest. Distances are SDMetrics' DCR distance (the mean over columns of
  ``min(|a - b| / range, 1)`` for numbers and dates, 0/1 for categories; missing equals missing),
  with the ranges of the real population fixed once, so every output is measured alike;
- ``within_<r>``: share of synthetic rows at most ``r`` from the target, for r in ``RADII``
  (``within_0`` counts exact copies of the target);
- ``share_<column>``: per column, the share of synthetic rows holding the target's category, or
  a number in the target's decile bin of the population (missing: the share missing). These are
  the marginal-histogram features of Stadler et al. (2022) restricted to the target's values.

Example: target ``age=90, sex=F``; synthetic rows ``(90, F), (30, M)`` over an age range of 60
-> closest 0.0, ``within_0`` 0.5, ``share_sex`` 0.5.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from core.metrics.context import normalize_frame
from core.schema import Schema

RADII = (0.0, 0.02, 0.05, 0.1)
K_CLOSEST = 5
N_BINS = 10


@dataclass(frozen=True)
class Encoder:
    """Fixed scales of the population: number ranges and decile edges, column kinds.

    Attributes:
        columns: The synthesised columns, in schema order.
        numerical: The columns compared as numbers (numerical and datetime, with a range).
        low: Smallest population value per numerical column.
        span: Range (max - min) per numerical column.
        edges: Inner decile edges per numerical column (for the marginal-share features).
    """

    schema: Schema
    columns: tuple[str, ...]
    numerical: tuple[str, ...]
    low: tuple[float, ...]
    span: tuple[float, ...]
    edges: tuple[tuple[float, ...], ...]

    @classmethod
    def fit(cls, population: pd.DataFrame, schema: Schema) -> Encoder:
        """Scales from the real population (training and reference rows together)."""
        cols = list(schema.synth_columns)
        frame = normalize_frame(population, schema, cols)
        numerical, low, span, edges = [], [], [], []
        for col in schema.columns_of("numerical", "datetime"):
            if col not in cols:
                continue
            values = _numbers(frame[col])
            values = values[np.isfinite(values)]
            if len(values) == 0 or values.max() == values.min():
                continue  # constant: compared as a category (any difference counts 1)
            numerical.append(col)
            low.append(float(values.min()))
            span.append(float(values.max() - values.min()))
            inner = np.unique(np.quantile(values, np.linspace(0, 1, N_BINS + 1)[1:-1]))
            edges.append(tuple(float(e) for e in inner))
        return cls(schema, tuple(cols), tuple(numerical), tuple(low), tuple(span),
                   tuple(edges))

    @property
    def names(self) -> tuple[str, ...]:
        """Feature names, in the order of :meth:`features`."""
        return ("closest", f"mean_{K_CLOSEST}_closest",
                *(f"within_{r:g}" for r in RADII), *(f"share_{c}" for c in self.columns))

    def frame(self, df: pd.DataFrame) -> pd.DataFrame:
        """``df`` with the metrics' dtypes (numbers float, dates datetime, categories text)."""
        return normalize_frame(df, self.schema, list(self.columns))

    def features(self, target: pd.Series, synthetic: pd.DataFrame) -> np.ndarray:
        """The feature vector of one synthetic table (normalised by :meth:`frame`) for a target.

        Args:
            target: The target record, one row of a frame normalised by :meth:`frame`.
            synthetic: A synthetic table normalised by :meth:`frame`.

        Returns:
            A float vector, one value per name in :attr:`names`.
        """
        n = len(synthetic)
        total = np.zeros(n)
        shares = []
        for col in self.columns:
            s, t = synthetic[col], target[col]
            missing, t_missing = s.isna().to_numpy(), pd.isna(t)
            if col in self.numerical:
                i = self.numerical.index(col)
                x = _numbers(s)
                tv = np.nan if t_missing else float(_numbers(pd.Series([t]))[0])
                diff = np.minimum(np.abs(x - tv) / self.span[i], 1.0)
                if t_missing:
                    diff = np.where(missing, 0.0, 1.0)
                else:
                    diff = np.where(missing, 1.0, diff)
                total += diff
                if t_missing:
                    shares.append(missing.mean() if n else 0.0)
                else:
                    edges = np.asarray(self.edges[i])
                    same_bin = (~missing) & (np.searchsorted(edges, x, side="right")
                                             == np.searchsorted(edges, tv, side="right"))
                    shares.append(same_bin.mean() if n else 0.0)
                continue
            values = s.astype(object).to_numpy()
            equal = missing if t_missing else (~missing) & (values == _text(t))
            total += np.where(equal, 0.0, 1.0)
            shares.append(equal.mean() if n else 0.0)
        dist = total / max(len(self.columns), 1)
        if n == 0:
            near = [1.0, 1.0]
            within = [0.0] * len(RADII)
        else:
            k = min(K_CLOSEST, n)
            closest = np.partition(dist, k - 1)[:k]
            near = [float(closest.min()), float(closest.mean())]
            within = [float(np.mean(dist <= r + 1e-12)) for r in RADII]
        return np.asarray([*near, *within, *shares], dtype=float)


def _numbers(s: pd.Series) -> np.ndarray:
    """Numbers as float (dates in nanoseconds), missing as nan."""
    if pd.api.types.is_datetime64_any_dtype(s):
        return s.astype("int64").where(s.notna()).to_numpy(dtype=float)
    return pd.to_numeric(s, errors="coerce").to_numpy(dtype=float)


def _text(value: object) -> object:
    """A category as the metrics hold it (text)."""
    return value if isinstance(value, str) else str(value)
