"""The shared shape of the TSTR-vs-TRTR utility metrics: one model figure, reported as a gap.

Each metric computes one figure (accuracy, macro F1, ROC AUC, R², MAE) for the model trained on
synthetic rows (TSTR) and for the model trained on real rows (TRTR), both on the real holdout,
and, in the details, for the no-skill baseline (majority class or mean, ``_calc/baseline.py``).
The value is the gap: TRTR − TSTR for higher-is-better figures, the relative gap
(TSTR − TRTR) / TRTR for errors. 0 means the synthetic data is as useful as the real data.
"""

from __future__ import annotations

import math
from abc import abstractmethod

import numpy as np

from core.metrics.context import EvalContext
from core.metrics.metric import Goal, Metric
from core.metrics.utility._calc.baseline import baseline_model, baseline_name
from core.metrics.utility._calc.models import FittedModel, Unavailable, UtilityModels, fitted_models
from core.metrics.utility._calc.task import CLASSIFICATION
from core.metrics.value import MetricValue

MSG_WRONG_TASK = (
    "'{target}' is {kind}, so the utility task is {task}; {name} applies only to {needed}."
)


def as_float(x: float | np.floating | None) -> float | None:
    """A plain float for JSON (None for NaN or None)."""
    if x is None or not math.isfinite(float(x)):
        return None
    return float(x)


class ModelGapMetric(Metric):
    """Base class: the gap between one figure of the TSTR and of the TRTR model.

    Subclasses set ``task`` (the task the figure applies to), ``higher_is_better`` and
    ``figure``. The score is 1.0 for a gap of 0 or less (the synthetic-trained model is at least
    as good) and falls linearly to 0.0 at ``max_value`` (or as 1 / (1 + gap) when unbounded).
    """

    goal = Goal.MINIMIZE
    needs_holdout = True
    needs_target = True
    min_value = -1.0
    max_value = 1.0
    task: str = CLASSIFICATION
    higher_is_better: bool = True

    @abstractmethod
    def figure(self, models: UtilityModels, fitted: FittedModel) -> float:
        """The figure of one model on the holdout rows."""

    def check(self, models: UtilityModels) -> str | None:
        """Why the figure is undefined on this holdout (e.g. one class), else None."""
        return None

    def normalize(self, value: float) -> float:
        """1.0 for a gap ≤ 0, 0.0 for a gap at ``max_value``; negative gaps are not penalised."""
        gap = max(float(value), 0.0)
        if math.isinf(self.max_value):
            return 1.0 / (1.0 + gap)
        return float(np.clip(1.0 - gap / self.max_value, 0.0, 1.0))

    def gap(self, tstr: float, trtr: float) -> float:
        """TRTR − TSTR (higher-is-better figures) or (TSTR − TRTR) / TRTR (errors)."""
        if self.higher_is_better:
            return trtr - tstr
        return (tstr - trtr) / trtr if trtr != 0 else math.nan

    def undefined_gap_reason(self, tstr: float, trtr: float) -> str:
        """Why :meth:`gap` returned NaN."""
        return f"The gap in {self.name} is undefined (TSTR {tstr:.4g}, TRTR {trtr:.4g})."

    def compute(self, ctx: EvalContext) -> list[MetricValue]:
        """The gap between TRTR and TSTR (0.0 = synthetic data is as useful as real data)."""
        models = fitted_models(ctx)
        if isinstance(models, Unavailable):
            return [self.not_computed(models.reason)]
        task = models.task
        if task.kind != self.task:
            return [
                self.not_computed(
                    MSG_WRONG_TASK.format(
                        target=task.target,
                        kind=task.kind_text,
                        task=task.kind,
                        name=self.name,
                        needed=self.task,
                    )
                )
            ]
        reason = self.check(models)
        if reason:
            return [self.not_computed(reason, n=len(models.y_holdout))]
        tstr = float(self.figure(models, models.tstr))
        trtr = float(self.figure(models, models.trtr))
        base = baseline_model(ctx, models)
        details = {
            "tstr": as_float(tstr),
            "trtr": as_float(trtr),
            "baseline": as_float(self.figure(models, base)),
            "baseline_name": baseline_name(models, base),
            "task": task.kind,
            "n_train_synthetic": models.tstr.n_train,
            "n_train_real": models.trtr.n_train,
            "n_holdout": len(models.y_holdout),
        }
        if task.kind == CLASSIFICATION and task.positive is not None:
            details["positive_label"] = task.positive
        gap = self.gap(tstr, trtr)
        n = len(models.y_holdout)
        if not math.isfinite(gap):
            reason = self.undefined_gap_reason(tstr, trtr)
            return [self.not_computed(reason, n=n, details=details)]
        return [self.value(gap, n=n, details=details)]
