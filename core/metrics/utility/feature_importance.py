"""Feature-importance agreement: do the TSTR and TRTR models rely on the same columns?"""

from __future__ import annotations

import numpy as np
from scipy.stats import spearmanr
from threadpoolctl import threadpool_limits

from core.metrics.context import EvalContext
from core.metrics.metric import Metric
from core.metrics.permutation import fast_permutation_importance
from core.metrics.utility._calc.gap import as_float
from core.metrics.utility._calc.models import (
    THREADS,
    FittedModel,
    Unavailable,
    UtilityModels,
    fitted_models,
)
from core.metrics.value import MetricValue

# Holdout rows used to permute, and permutations per feature: enough to rank features, cheap on
# Adult (14 features x 3 repeats x 2,000 rows per model).
MAX_ROWS = 2_000
N_REPEATS = 3

MSG_ONE_FEATURE = (
    "There is only one feature besides the target, so there is no ranking of features to compare."
)
MSG_CONSTANT = (
    "Every feature has the same permutation importance for the {model} model, so the two "
    "rankings cannot be compared."
)


def _importances(
    ctx: EvalContext, models: UtilityModels, fitted: FittedModel
) -> tuple[np.ndarray, np.ndarray, int]:
    n = min(MAX_ROWS, len(models.y_holdout))
    rows = np.sort(np.random.default_rng(ctx.config.seed).permutation(len(models.y_holdout))[:n])
    with threadpool_limits(limits=THREADS, user_api="openmp"):
        result = fast_permutation_importance(
            fitted.model,
            models.X_holdout.iloc[rows],
            models.y_holdout[rows],
            n_repeats=N_REPEATS,
            random_state=ctx.config.seed,
        )
    return result.importances_mean, result.importances_std, n


class FeatureImportanceAgreement(Metric):
    """Spearman rank correlation of the permutation importances of the TSTR and TRTR models.

    Importances are the drop in the model's default score (accuracy or R²) when one feature is
    shuffled in a sample of at most 2,000 holdout rows. 1.0 means both models rank the features
    identically; 0.0 no relation; -1.0 opposite rankings.
    """

    key = "utility.feature_importance"
    name = "Feature-importance agreement"
    description = (
        "Spearman rank correlation between the feature importances of a model trained on "
        "synthetic rows and one trained on real rows; 1.0 means they rely on the same columns."
    )
    min_value = -1.0
    max_value = 1.0
    needs_holdout = True
    needs_target = True

    def compute(self, ctx: EvalContext) -> list[MetricValue]:
        """Rank correlation of the two importance lists (1.0 = same ranking)."""
        models = fitted_models(ctx)
        if isinstance(models, Unavailable):
            return [self.not_computed(models.reason)]
        if len(models.features) < 2:
            return [self.not_computed(MSG_ONE_FEATURE)]
        tstr, tstr_std, n = _importances(ctx, models, models.tstr)
        trtr, trtr_std, _ = _importances(ctx, models, models.trtr)
        details = {
            "features": list(models.features),
            "tstr": [as_float(v) for v in tstr],
            "trtr": [as_float(v) for v in trtr],
            "tstr_std": [as_float(v) for v in tstr_std],
            "trtr_std": [as_float(v) for v in trtr_std],
            "n_repeats": N_REPEATS,
        }
        for name, values in (("synthetic-trained", tstr), ("real-trained", trtr)):
            if np.ptp(values) == 0:
                return [self.not_computed(MSG_CONSTANT.format(model=name), n=n, details=details)]
        rho = float(spearmanr(tstr, trtr).statistic)
        return [self.value(rho, n=n, details=details)]
