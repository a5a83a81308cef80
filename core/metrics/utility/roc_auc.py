"""ROC AUC gap: does the synthetic-trained model rank holdout rows as well as the real one?"""

from __future__ import annotations

import numpy as np
from sklearn.metrics import roc_auc_score

from core.metrics.utility._calc.gap import ModelGapMetric
from core.metrics.utility._calc.models import FittedModel, UtilityModels

MSG_ONE_HOLDOUT_CLASS = (
    "The holdout has only one value of '{target}' ('{value}'), so ROC AUC is undefined."
)


class RocAucGap(ModelGapMetric):
    """TRTR ROC AUC − TSTR ROC AUC on the real holdout (classification targets).

    Binary targets use the probability of the positive class; multiclass targets the macro
    average of one-vs-rest AUCs over the classes present in the holdout (as scikit-learn's
    ``roc_auc_score(multi_class="ovr", average="macro")``). 0.0 (or less) means no loss.
    """

    key = "utility.roc_auc"
    name = "ROC AUC gap"
    description = (
        "ROC AUC on real holdout rows of a model trained on real rows minus that of the same "
        "model trained on synthetic rows; 0.0 (or less) means it ranks rows just as well."
    )

    def check(self, models: UtilityModels) -> str | None:
        """ROC AUC needs two classes in the holdout."""
        values = np.unique(models.y_holdout.astype(str))
        if len(values) < 2:
            return MSG_ONE_HOLDOUT_CLASS.format(target=models.task.target, value=values[0])
        return None

    def figure(self, models: UtilityModels, fitted: FittedModel) -> float:
        """ROC AUC of one model on the holdout rows."""
        y = models.y_holdout.astype(str)
        task = models.task
        if task.is_binary and task.positive is not None:
            return float(roc_auc_score(y == task.positive, fitted.proba_of(task.positive)))
        # One-vs-rest per holdout class, then the unweighted mean (sklearn's "ovr" + "macro").
        aucs = [roc_auc_score(y == c, fitted.proba_of(c)) for c in np.unique(y)]
        return float(np.mean(aucs))
