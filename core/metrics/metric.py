"""What a metric is: the :class:`Metric` base class, its :class:`Goal`, and normalisation.

A metric is a class with a key (``family.snake_case``), a one-sentence description, a range and a
goal. ``compute(ctx)`` returns :class:`~core.metrics.value.MetricValue` rows. The base class turns
each raw value into a score in [0, 1], higher is better, once (like ``sdmetrics/base.py:
normalize``), and turns any failure into data.
"""

from __future__ import annotations

import math
import traceback
from abc import ABC, abstractmethod
from dataclasses import replace
from enum import Enum
from typing import Any

import numpy as np

from core.metrics.context import EvalContext
from core.metrics.value import ERROR, FAMILIES, NOT_COMPUTED, OK, MetricValue

MSG_BAD_FAMILY = (
    "Metric key {key!r} must start with a family and a dot; the families are {families}. "
    "Rename the key, e.g. 'fidelity.my_metric'."
)


def family_of(key: str) -> str:
    """The family of a metric key: ``"privacy.dcr"`` -> ``"privacy"``."""
    return key.split(".", 1)[0] if "." in key else ""


class Goal(Enum):
    """Which raw values are better."""

    MAXIMIZE = "maximize"
    MINIMIZE = "minimize"
    IDEAL = "ideal"  # closest to ``Metric.ideal`` is best (e.g. a DCR share near 0.5)


class Metric(ABC):
    """Base class of every metric. Subclasses set the class attributes and ``compute``.

    Attributes:
        key: ``family.snake_case``, unique across the registry; its prefix is the family.
        name: Short human name, e.g. "KS complement".
        description: One plain sentence: what it measures and what 1.0 (or the ideal) means.
        goal: Which raw values are better.
        min_value: Lower end of the raw value's range.
        max_value: Upper end of the raw value's range (may be ``math.inf``).
        ideal: The best raw value for ``Goal.IDEAL``.
        needs_holdout: Needs holdout rows.
        needs_target: Needs a target column.
        needs_protected: Needs at least one protected attribute.
        baseline_is_noise_floor: ``baseline`` is the same quantity computed with the holdout in
            place of the synthetic rows: the value a fresh real sample of the same size reaches.
            The gate then treats it as the noise floor (``core/gate.py``). False where the
            baseline means something else (e.g. the real-trained model's figure) or is absent.
        gate_by_set: The table-level value is the worst of the attribute-set rows (``columns`` =
            the attribute set, no group), each holding the worst group's value and floor; the
            gate judges every attribute set against its own floor instead of the table row.
        shared_inputs: Which evaluation task the metric runs in (``core.metrics.schedule``):
            metrics naming the same shared inputs run one after another, in registry order, so
            what they share through ``ctx.cached`` (and the samples it draws) is computed once,
            by the same metric each time; tasks run side by side. None: the family's task. A
            metric that reads another family's shared inputs names that family (e.g. the
            fairness metrics on the fitted TSTR/TRTR models name ``"utility"``).
    """

    key: str = ""
    name: str = ""
    description: str = ""
    goal: Goal = Goal.MAXIMIZE
    min_value: float = 0.0
    max_value: float = 1.0
    ideal: float | None = None
    needs_holdout: bool = False
    needs_target: bool = False
    needs_protected: bool = False
    baseline_is_noise_floor: bool = False
    gate_by_set: bool = False
    shared_inputs: str | None = None

    def __init_subclass__(cls, **kwargs: Any) -> None:
        """Refuse a key whose prefix is not one of ``FAMILIES`` when the class is defined."""
        super().__init_subclass__(**kwargs)
        if cls.key and family_of(cls.key) not in FAMILIES:
            raise ValueError(MSG_BAD_FAMILY.format(key=cls.key, families=", ".join(FAMILIES)))

    @property
    def family(self) -> str:
        """One of ``FAMILIES``: the key's prefix (``"privacy.dcr"`` -> ``"privacy"``)."""
        return family_of(self.key)

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
