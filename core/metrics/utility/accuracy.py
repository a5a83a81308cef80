"""Accuracy gap: how much accuracy a model loses when trained on synthetic instead of real rows."""

from __future__ import annotations

from sklearn.metrics import accuracy_score

from core.metrics.utility._calc.gap import ModelGapMetric
from core.metrics.utility._calc.models import FittedModel, UtilityModels


class AccuracyGap(ModelGapMetric):
    """TRTR accuracy − TSTR accuracy on the real holdout (classification targets).

    0.0 means the model trained on synthetic rows is as accurate as the one trained on real rows;
    a negative gap (synthetic-trained model better) also scores 1.0.
    """

    key = "utility.accuracy"
    name = "Accuracy gap"
    description = (
        "Accuracy on real holdout rows of a model trained on real rows minus that of the same "
        "model trained on synthetic rows; 0.0 (or less) means no loss of accuracy."
    )

    def figure(self, models: UtilityModels, fitted: FittedModel) -> float:
        """Accuracy of one model on the holdout rows."""
        return float(accuracy_score(models.y_holdout, fitted.predictions))
