"""What every metric reads: :class:`EvalContext` (the three tables, the schema, the config)."""

from __future__ import annotations

import math
import threading
from collections.abc import Callable
from typing import Any, TypeVar

import numpy as np
import pandas as pd

from core.errors import UserInputError
from core.metrics.config import EvalConfig
from core.schema import Schema

# The context's frames as the report names their tables (``real`` is the training rows)
TABLE_WORDS = {"real": "training", "holdout": "holdout", "synthetic": "synthetic"}

T = TypeVar("T")


class EvalContext:
    """What every metric reads: the three tables, the schema with roles, the config.

    The tables hold only the synthesised columns (identifiers dropped), with one dtype per kind:
    numerical -> float64, datetime -> datetime64[ns], categorical and boolean -> object holding
    ``str`` (missing stays NaN). ``cached`` shares expensive intermediate results (encodings,
    nearest-neighbour distances, fitted models) between metrics of one evaluation; it is safe to
    call from several threads (each name is computed once, the others wait for it), so the
    evaluation can run independent metrics side by side (``core.metrics.schedule``).

    Identifier columns that the synthetic table still holds (an imported file may carry real
    names or case numbers) are kept apart, as text, in ``identifiers``: only the replay check
    reads them; every other metric sees the synthesised columns alone.
    """

    def __init__(
        self,
        real: pd.DataFrame,
        holdout: pd.DataFrame,
        synthetic: pd.DataFrame,
        schema: Schema,
        config: EvalConfig | None = None,
    ) -> None:
        self.schema = schema
        self.config = config or EvalConfig()
        cols = list(schema.synth_columns)
        self.real = normalize_frame(real, schema, cols)
        self.holdout = normalize_frame(holdout, schema, cols)
        self.synthetic = normalize_frame(synthetic, schema, cols)
        ids = [c for c in schema.identifiers if c in synthetic.columns and c in real.columns]
        # {"real"|"holdout"|"synthetic": frame of the identifier columns the synthetic table has}
        self.identifiers: dict[str, pd.DataFrame] = {
            side: pd.DataFrame({c: as_text(df[c].reset_index(drop=True)) if c in df.columns else
                                pd.Series(np.nan, index=range(len(df)), dtype=object)
                                for c in ids}, columns=ids)
            for side, df in (("real", real), ("holdout", holdout), ("synthetic", synthetic))
        }
        self._cache: dict[str, Any] = {}
        self._locks: dict[str, threading.Lock] = {}
        self._locks_lock = threading.Lock()
        # (metric key, rows kept, rows available, table) for every sample drawn, so the report can
        # say which figures were computed on samples of which table.
        self.sampling: list[tuple[str | None, int, int, str]] = []
        self._thread = threading.local()  # the metric each thread is computing

    def _fresh_state(self) -> None:
        self._cache = {}
        self._locks = {}
        self._locks_lock = threading.Lock()
        self.sampling = []
        self._thread = threading.local()

    def __getstate__(self) -> dict[str, Any]:
        """Pickled (sent to another worker): the tables, schema and config, no cache or locks."""
        state = dict(self.__dict__)
        for name in ("_cache", "_locks", "_locks_lock", "sampling", "_thread"):
            state.pop(name, None)
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self._fresh_state()

    def fresh(self) -> EvalContext:
        """The same tables, schema and config with an empty cache and no samples logged.

        A task run in another process starts from this, as from a new evaluation: what it
        computes and samples is its own, and comes back with its values.
        """
        other = object.__new__(EvalContext)
        other.__setstate__(self.__getstate__())
        return other

    @property
    def current_key(self) -> str | None:
        """The key of the metric this thread is computing (samples are logged under it)."""
        return getattr(self._thread, "key", None)

    @current_key.setter
    def current_key(self, key: str | None) -> None:
        self._thread.key = key

    @property
    def columns(self) -> tuple[str, ...]:
        """The compared columns, in schema order."""
        return self.schema.synth_columns

    @property
    def numerical(self) -> tuple[str, ...]:
        """Numerical and datetime columns (compared as numbers)."""
        return self.schema.columns_of("numerical", "datetime")

    @property
    def categorical(self) -> tuple[str, ...]:
        """Categorical and boolean columns (compared as categories)."""
        return self.schema.columns_of("categorical", "boolean")

    def cached(self, name: str, compute: Callable[[], T]) -> T:
        """Return ``compute()`` once per evaluation under ``name``.

        From several threads: the first computes, the others wait and get the same value (a
        failed ``compute`` stores nothing; the next caller tries again).
        """
        if name in self._cache:
            return self._cache[name]
        with self._locks_lock:
            lock = self._locks.setdefault(name, threading.Lock())
        with lock:
            if name not in self._cache:
                self._cache[name] = compute()
        return self._cache[name]

    def sample(self, df: pd.DataFrame, n: int, salt: int = 0, *, table: str) -> pd.DataFrame:
        """At most ``n`` rows of ``df``, chosen with the config's seed (all rows if fewer).

        Each real sample is logged in ``sampling`` under the metric being computed, with
        ``table``: the table the rows come from as the report names it (``"training"``,
        ``"holdout"``, ``"synthetic"``), so its note says "5,000 of 26,048 training rows".
        """
        if len(df) <= n:
            return df
        self.sampling.append((self.current_key, n, len(df), table))
        return df.sample(n=n, random_state=self.config.seed + salt)


def as_text(s: pd.Series) -> pd.Series:
    """Values as ``str`` (missing stays NaN); whole floats lose their ``.0``.

    Example: ``[1.0, 2.5, NaN]`` -> ``["1", "2.5", NaN]``; ``["a", None]`` -> ``["a", NaN]``.
    """
    if pd.api.types.is_numeric_dtype(s) and not pd.api.types.is_bool_dtype(s):
        f = s.astype("float64")
        known = f.notna() & np.isfinite(f)
        whole = known & (f == np.floor(f)) & (f.abs() < 2**53)
        out = f.astype(str).astype(object)
        out[whole] = f[whole].astype("int64").astype(str)
        return out.where(known, np.nan)
    return s.astype(object).where(s.isna(), s.astype(str)).where(s.notna(), np.nan)


def normalize_frame(df: pd.DataFrame, schema: Schema, columns: list[str]) -> pd.DataFrame:
    """Keep ``columns`` and give each the dtype of its kind (see :class:`EvalContext`)."""
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise UserInputError(
            "The table to evaluate lacks column(s) "
            + ", ".join(repr(c) for c in missing)
            + ". Every column of the dataset's schema must be present.",
        )
    out = {}
    for col in columns:
        s = df[col]
        kind = schema.sdtype(col)
        if kind == "numerical":
            s = pd.to_numeric(s, errors="coerce").astype("float64")
            s = s.where(np.isfinite(s))
        elif kind == "datetime":
            fmt = next(c.datetime_format for c in schema.columns if c.name == col)
            if not pd.api.types.is_datetime64_any_dtype(s):
                s = pd.to_datetime(s, format=fmt, errors="coerce")
            if getattr(s.dt, "tz", None) is not None:
                s = s.dt.tz_convert(None)
            s = s.astype("datetime64[ns]")
        else:
            s = s.astype(object).where(s.notna(), np.nan)
            s = s.map(lambda v: v if isinstance(v, float) and math.isnan(v) else str(v))
        out[col] = s.reset_index(drop=True)
    return pd.DataFrame(out, columns=columns)
