"""Beats the baseline: does the model trained on synthetic rows do better than no model at all?"""

from __future__ import annotations

import numpy as np
from sklearn.metrics import accuracy_score, mean_absolute_error

from core.metrics.context import EvalContext
from core.metrics.metric import Goal, Metric
from core.metrics.utility._calc.baseline import baseline_model, baseline_name
from core.metrics.utility._calc.gap import as_float
from core.metrics.utility._calc.models import FittedModel, Unavailable, UtilityModels, fitted_models
from core.metrics.utility._calc.task import CLASSIFICATION
from core.metrics.value import MetricValue

MSG_NO_LIFT = (
    "The model trained on real rows does no better than the baseline ({baseline}: {figure} "
    "{value:.4g}), so '{target}' cannot be predicted from the other columns and the lift is "
    "undefined."
)


class BeatsBaseline(Metric):
    """Share of the real model's lift over the no-skill baseline that the synthetic model keeps.

    Lift = (TSTR − baseline) / (TRTR − baseline) on accuracy (classification; the baseline always
    predicts the real majority class) or on mean absolute error (regression; the baseline always
    predicts the real mean), on the real holdout. 1.0 means the synthetic-trained model gains as
    much over the baseline as the real-trained one; 0.0 or less means it is no better than
    predicting the majority class (Adult: accuracy 0.764 against a majority share of 0.76).
    """

    key = "utility.beats_baseline"
    name = "Lift over baseline"
    description = (
        "Share of the real-trained model's gain over always predicting the majority class (or "
        "the mean) that the synthetic-trained model keeps; 1.0 = all of it, 0.0 or less = no "
        "better than the baseline."
    )
    goal = Goal.MAXIMIZE
    min_value = 0.0
    max_value = 1.0
    needs_holdout = True
    needs_target = True

    def _figure(self, models: UtilityModels, fitted: FittedModel) -> float:
        if models.task.kind == CLASSIFICATION:
            return float(accuracy_score(models.y_holdout, fitted.predictions))
        return float(mean_absolute_error(models.y_holdout, fitted.predictions))

    def compute(self, ctx: EvalContext) -> list[MetricValue]:
        """(TSTR − baseline) / (TRTR − baseline); 1.0 = the full lift, ≤ 0 = no better."""
        models = fitted_models(ctx)
        if isinstance(models, Unavailable):
            return [self.not_computed(models.reason)]
        base = baseline_model(ctx, models)
        figures = {name: self._figure(models, m) for name, m in
                   (("tstr", models.tstr), ("trtr", models.trtr), ("baseline", base))}
        classification = models.task.kind == CLASSIFICATION
        sign = 1.0 if classification else -1.0  # accuracy: higher is better; MAE: lower
        real_lift = sign * (figures["trtr"] - figures["baseline"])
        details = {
            **{k: as_float(v) for k, v in figures.items()},
            "figure": "accuracy" if classification else "mean absolute error",
            "baseline_name": baseline_name(models, base),
            "n_holdout": len(models.y_holdout),
        }
        if classification:
            labels, counts = np.unique(models.tstr.predictions.astype(str), return_counts=True)
            details["tstr_predicted_shares"] = {
                str(k): float(c) / len(models.y_holdout) for k, c in zip(labels, counts,
                                                                          strict=True)}
        n = len(models.y_holdout)
        if real_lift <= 0:
            reason = MSG_NO_LIFT.format(baseline=details["baseline_name"], figure=details[
                "figure"], value=figures["trtr"], target=models.task.target)
            return [self.not_computed(reason, n=n, details=details)]
        lift = sign * (figures["tstr"] - figures["baseline"]) / real_lift
        return [self.value(lift, n=n, details=details)]
