"""MAE gap: how much larger a regressor's error is when trained on synthetic rows."""

from __future__ import annotations

import math

from sklearn.metrics import mean_absolute_error

from core.metrics.utility._calc.gap import ModelGapMetric
from core.metrics.utility._calc.models import FittedModel, UtilityModels
from core.metrics.utility._calc.task import REGRESSION

MSG_ZERO_MAE = (
    "The model trained on real rows predicts the holdout exactly (MAE 0), so the relative gap "
    "is undefined."
)


class MaeGap(ModelGapMetric):
    """Relative MAE gap (TSTR − TRTR) / TRTR on the real holdout (numerical targets).

    0.0 (or less) means the synthetic-trained model errs no more than the real one; 0.5 means
    its mean absolute error is 50% larger. Unbounded above, so the score is 1 / (1 + gap).
    """

    key = "utility.mae"
    name = "MAE gap"
    description = (
        "Relative increase of the mean absolute error on real holdout rows when the regressor is "
        "trained on synthetic instead of real rows; 0.0 (or less) means no loss."
    )
    max_value = math.inf
    task = REGRESSION
    higher_is_better = False

    def figure(self, models: UtilityModels, fitted: FittedModel) -> float:
        """Mean absolute error of one model on the holdout rows."""
        return float(mean_absolute_error(models.y_holdout, fitted.predictions))

    def undefined_gap_reason(self, tstr: float, trtr: float) -> str:
        """The only undefined case: TRTR's MAE is 0."""
        return MSG_ZERO_MAE
