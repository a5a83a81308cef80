"""Macro-F1 gap: the accuracy gap's class-balanced counterpart."""

from __future__ import annotations

from sklearn.metrics import f1_score

from core.metrics.utility._calc.gap import ModelGapMetric
from core.metrics.utility._calc.models import FittedModel, UtilityModels


class MacroF1Gap(ModelGapMetric):
    """TRTR macro F1 − TSTR macro F1 on the real holdout (classification targets).

    Macro F1 averages the F1 of every class, so a model that ignores a rare class loses here even
    when its accuracy is high. 0.0 (or less) means no loss.
    """

    key = "utility.macro_f1"
    name = "Macro F1 gap"
    description = (
        "Macro F1 on real holdout rows of a model trained on real rows minus that of the same "
        "model trained on synthetic rows; 0.0 (or less) means no loss, rare classes included."
    )

    def figure(self, models: UtilityModels, fitted: FittedModel) -> float:
        """Macro F1 of one model on the holdout rows (classes seen in truth or prediction)."""
        return float(
            f1_score(models.y_holdout, fitted.predictions, average="macro", zero_division=0)
        )
