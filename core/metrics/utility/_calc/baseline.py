"""The no-skill baseline beside TSTR and TRTR: the majority class, or the mean.

A model trained on synthetic rows can reach a high accuracy by predicting the majority class for
everyone (Adult: 0.76 by always saying '<=50K'). The baseline predicts, for every holdout row, the
real training rows' most frequent class (classification) or their mean (regression), so every
utility figure can be read against what needs no model at all.
"""

from __future__ import annotations

import numpy as np

from core.metrics.context import EvalContext
from core.metrics.utility._calc.models import FittedModel, UtilityModels
from core.metrics.utility._calc.task import CLASSIFICATION


def baseline_model(ctx: EvalContext, models: UtilityModels) -> FittedModel:
    """The majority-class (or mean) predictor of the real training rows, on the holdout rows.

    Example:
        training classes ['a', 'a', 'b'] -> predicts 'a' for every holdout row, probability 1.
    """

    def compute() -> FittedModel:
        y = ctx.real[models.task.target].dropna()
        n = len(models.y_holdout)
        if models.task.kind == CLASSIFICATION:
            counts = y.astype(str).value_counts().sort_index()
            majority = str(counts.sort_values(ascending=False, kind="stable").index[0])
            return FittedModel(None, len(y), np.full(n, majority, dtype=object),
                               np.ones((n, 1)), (majority,))
        return FittedModel(None, len(y), np.full(n, float(y.astype("float64").mean())), None, ())

    return ctx.cached("utility:baseline", compute)


def baseline_name(models: UtilityModels, base: FittedModel) -> str:
    """``"majority class '<=50K'"`` or ``"mean 38.6"``, for figures and details."""
    if models.task.kind == CLASSIFICATION:
        return f"majority class '{base.classes[0]}'"
    return f"mean {float(base.predictions[0]):.4g}" if len(base.predictions) else "mean"
