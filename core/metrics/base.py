"""The metric API: what a metric is, what it gets, and what it gives back.

A metric is a class with a key (``family.snake_case``), a one-sentence description, a range and a
goal. ``compute(ctx)`` returns :class:`MetricValue` rows: one table-level row (``columns=()``,
``group=None``) that the acceptance gate reads, plus optional rows per column, per pair or per
group. The base class turns each raw value into a score in [0, 1], higher is better, once
(like ``sdmetrics/base.py: normalize``). A metric that cannot be computed returns rows with
``status="not_computed"`` and a reason, never 0 and never a pass.
"""

from __future__ import annotations

import math
import traceback
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, fields, replace
from enum import Enum
from typing import Any, TypeVar

import numpy as np
import pandas as pd

from core.errors import UserInputError
from core.schema import Schema

FAMILIES = ("fidelity", "utility", "privacy", "fairness")
OK, NOT_COMPUTED, ERROR = "ok", "not_computed", "error"

T = TypeVar("T")


class Goal(Enum):
    """Which raw values are better."""

    MAXIMIZE = "maximize"
    MINIMIZE = "minimize"
    IDEAL = "ideal"  # closest to ``Metric.ideal`` is best (e.g. a DCR share near 0.5)


@dataclass(frozen=True)
class EvalConfig:
    """Settings of one evaluation. Frozen; unknown keys fail and list the valid ones.

    Attributes:
        seed: Seed for every random choice (samples, folds, attacks).
        max_rows: Rows per table above which a metric samples (and says so in ``n``).
        max_rows_detection: Rows per side used to train the real-vs-synthetic classifier.
        max_rows_anonymeter: Rows per side used by Anonymeter's attacks.
        anonymeter_attacks: Number of attacks per Anonymeter evaluator.
        kway_k: Columns per k-way marginal.
        kway_combinations: Random column combinations scored by the k-way marginal metric.
        bins: Bins for numerical columns in contingency and marginal metrics.
        cv_folds: Cross-validation folds for the detection classifier.
        min_group_rows: Groups with fewer real rows are not scored separately (too noisy) and are
            grouped as "other" in anything shown to people.
        numeric_group_bins: Numerical protected attributes (e.g. age) are cut into at most this many
            quantile groups.
        positive_label: The target value counted as the positive outcome; None picks the rarer
            class of a binary target (e.g. ">50K" in Adult).
    """

    seed: int = 0
    max_rows: int = 100_000
    max_rows_detection: int = 20_000
    max_rows_anonymeter: int = 5_000
    anonymeter_attacks: int = 500
    kway_k: int = 3
    kway_combinations: int = 50
    bins: int = 10
    cv_folds: int = 3
    min_group_rows: int = 5
    numeric_group_bins: int = 4
    positive_label: str | None = None

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> EvalConfig:
        """Build from a dict, refusing unknown keys."""
        data = dict(data or {})
        valid = {f.name for f in fields(cls)}
        unknown = sorted(set(data) - valid)
        if unknown:
            raise UserInputError(
                f"Unknown evaluation setting(s): {', '.join(unknown)}. "
                f"Valid settings: {', '.join(sorted(valid))}."
            )
        return cls(**data)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict."""
        return asdict(self)


@dataclass(frozen=True)
class MetricValue:
    """One number a metric produced.

    Attributes:
        key: The metric's key, e.g. ``fidelity.ks_complement``.
        family: One of ``FAMILIES``.
        columns: ``()`` for the table-level value, ``(col,)`` per column, ``(a, b)`` per pair.
        group: ``None``, or the protected group it was computed within, e.g. ``"sex=Female"``.
        value: The raw value in the metric's own units (None when not computed).
        score: ``value`` normalised to [0, 1], higher is better (filled by the base class).
        status: ``ok``, ``not_computed`` (with ``reason``) or ``error`` (with ``reason``).
        reason: Why it was not computed, or the error.
        baseline: The same quantity between training and holdout rows: the noise floor a sample
            of the same size reaches. None where it does not apply.
        ci_low: Lower end of a confidence interval, where the metric has one.
        ci_high: Upper end of a confidence interval.
        n: Rows (or attacks) the value was computed on, where it sampled.
        details: Small JSON-ready extras for figures (histograms, top features, copied rows).
    """

    key: str
    family: str
    columns: tuple[str, ...] = ()
    group: str | None = None
    value: float | None = None
    score: float | None = None
    status: str = OK
    reason: str | None = None
    baseline: float | None = None
    ci_low: float | None = None
    ci_high: float | None = None
    n: int | None = None
    details: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict (tuples become lists, NaN becomes None)."""
        d = asdict(self)
        d["columns"] = list(self.columns)
        for k in ("value", "score", "baseline", "ci_low", "ci_high"):
            v = d[k]
            if v is not None and (isinstance(v, float) and not math.isfinite(v)):
                d[k] = None
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> MetricValue:
        """Inverse of :meth:`to_dict`."""
        d = dict(d)
        d["columns"] = tuple(d.get("columns", ()))
        return cls(**d)


class EvalContext:
    """What every metric reads: the three tables, the schema with roles, the config.

    The tables hold only the synthesised columns (identifiers dropped), with one dtype per kind:
    numerical -> float64, datetime -> datetime64[ns], categorical and boolean -> object holding
    ``str`` (missing stays NaN). ``cached`` shares expensive intermediate results (encodings,
    nearest-neighbour distances, fitted models) between metrics of one evaluation.
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
        self._cache: dict[str, Any] = {}
        # (metric key, rows kept, rows available) for every sample drawn, so the report can say
        # which figures were computed on samples.
        self.sampling: list[tuple[str | None, int, int]] = []
        self.current_key: str | None = None

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
        """Return ``compute()`` once per evaluation under ``name``."""
        if name not in self._cache:
            self._cache[name] = compute()
        return self._cache[name]

    def sample(self, df: pd.DataFrame, n: int, salt: int = 0) -> pd.DataFrame:
        """At most ``n`` rows of ``df``, chosen with the config's seed (all rows if fewer).

        Each real sample is logged in ``sampling`` under the metric being computed.
        """
        if len(df) <= n:
            return df
        self.sampling.append((self.current_key, n, len(df)))
        return df.sample(n=n, random_state=self.config.seed + salt)


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


class Metric(ABC):
    """Base class of every metric. Subclasses set the class attributes and ``compute``.

    Attributes:
        key: ``family.snake_case``, unique across the registry.
        family: One of ``FAMILIES``.
        name: Short human name, e.g. "KS complement".
        description: One plain sentence: what it measures and what 1.0 (or the ideal) means.
        goal: Which raw values are better.
        min_value: Lower end of the raw value's range.
        max_value: Upper end of the raw value's range (may be ``math.inf``).
        ideal: The best raw value for ``Goal.IDEAL``.
        needs_holdout: Needs holdout rows.
        needs_target: Needs a target column.
        needs_protected: Needs at least one protected attribute.
    """

    key: str = ""
    family: str = ""
    name: str = ""
    description: str = ""
    goal: Goal = Goal.MAXIMIZE
    min_value: float = 0.0
    max_value: float = 1.0
    ideal: float | None = None
    needs_holdout: bool = False
    needs_target: bool = False
    needs_protected: bool = False

    @abstractmethod
    def compute(self, ctx: EvalContext) -> list[MetricValue]:
        """Compute the raw values. Return rows with ``value`` set; ``score`` is filled later."""

    # -- helpers for subclasses --------------------------------------------------------------
    def value(self, value: float | None, columns: tuple[str, ...] = (), **kw: Any) -> MetricValue:
        """A computed row of this metric (``value`` None or NaN becomes not computed)."""
        reason = kw.pop("reason", None)
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return self.not_computed(reason or "the value is undefined", columns, **kw)
        return MetricValue(self.key, self.family, tuple(columns), value=float(value), **kw)

    def not_computed(self, reason: str, columns: tuple[str, ...] = (), **kw: Any) -> MetricValue:
        """A row saying why this metric (or this column/pair/group of it) was not computed."""
        kw.pop("value", None)
        return MetricValue(
            self.key, self.family, tuple(columns), status=NOT_COMPUTED, reason=reason, **kw
        )

    def normalize(self, value: float) -> float:
        """Map a raw value to [0, 1], higher is better."""
        lo, hi = self.min_value, self.max_value
        if self.goal is Goal.IDEAL:
            ideal = self.ideal if self.ideal is not None else hi
            span = max(abs(hi - ideal), abs(ideal - lo))
            if not math.isfinite(span) or span == 0:
                return 1.0 if value == ideal else 0.0
            return float(np.clip(1 - abs(value - ideal) / span, 0, 1))
        if math.isinf(hi):
            # Unbounded above: squash the distance from ``lo`` with x / (1 + x).
            x = max(value - lo, 0.0)
            frac = x / (1 + x)
            return float(1 - frac if self.goal is Goal.MINIMIZE else frac)
        span = hi - lo
        frac = (value - lo) / span if span else 1.0
        if self.goal is Goal.MINIMIZE:
            frac = 1 - frac
        return float(np.clip(frac, 0, 1))

    def run(self, ctx: EvalContext) -> list[MetricValue]:
        """Compute, score, and turn any failure into data (never raise).

        A metric whose prerequisites are missing returns one not-computed row with the reason.
        """
        reason = self._missing_prerequisite(ctx)
        if reason:
            return [self.not_computed(reason)]
        ctx.current_key = self.key
        try:
            rows = self.compute(ctx)
        except Exception as exc:  # a failing metric is recorded as data; the report still renders
            tb = traceback.format_exception_only(type(exc), exc)[-1].strip()
            return [MetricValue(self.key, self.family, status=ERROR, reason=tb)]
        out = []
        for r in rows:
            if r.status == OK and r.value is not None and r.score is None:
                r = replace(r, score=self.normalize(r.value))
            out.append(r)
        return out

    def _missing_prerequisite(self, ctx: EvalContext) -> str | None:
        if self.needs_holdout and len(ctx.holdout) == 0:
            return "there are no holdout rows"
        if self.needs_target and not ctx.schema.target:
            return "no target column is set (choose one on the Data page)"
        if self.needs_target and ctx.schema.target not in ctx.columns:
            return f"the target column '{ctx.schema.target}' is not synthesised"
        if self.needs_protected and not ctx.schema.protected:
            return "no protected attribute is set (choose them on the Data page)"
        return None

    def describe(self) -> dict[str, Any]:
        """What the metric is, for the README table, ``--help`` and the UI."""
        return {
            "key": self.key,
            "family": self.family,
            "name": self.name,
            "description": self.description,
            "goal": self.goal.value,
            "range": [self.min_value, self.max_value],
            "ideal": self.ideal,
        }
