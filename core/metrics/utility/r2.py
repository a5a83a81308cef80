"""R² gap: how much explained variance a regressor loses when trained on synthetic rows."""

from __future__ import annotations

import math

from sklearn.metrics import r2_score

from core.metrics.utility._calc.gap import ModelGapMetric
from core.metrics.utility._calc.models import FittedModel, UtilityModels
from core.metrics.utility._calc.task import REGRESSION

MSG_ONE_HOLDOUT_VALUE = "The holdout has a single value of '{target}', so R² is undefined."


class R2Gap(ModelGapMetric):
    """TRTR R² − TSTR R² on the real holdout (numerical targets).

    0.0 (or less) means the synthetic-trained model explains the holdout as well as the real one.
    The gap is unbounded (R² can be far below 0), so the score is 1 / (1 + gap).
    """

    key = "utility.r2"
    name = "R² gap"
    description = (
        "R² on real holdout rows of a regressor trained on real rows minus that of the same "
        "regressor trained on synthetic rows; 0.0 (or less) means no loss."
    )
    min_value = -math.inf
    max_value = math.inf
    task = REGRESSION

    def check(self, models: UtilityModels) -> str | None:
        """R² needs at least two distinct holdout values."""
        if len(set(models.y_holdout.tolist())) < 2:
            return MSG_ONE_HOLDOUT_VALUE.format(target=models.task.target)
        return None

    def figure(self, models: UtilityModels, fitted: FittedModel) -> float:
        """R² of one model on the holdout rows."""
        return float(r2_score(models.y_holdout, fitted.predictions))
