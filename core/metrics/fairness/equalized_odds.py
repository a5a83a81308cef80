"""Equalized odds of the model trained on synthetic rows, vs the one trained on real rows."""

from __future__ import annotations

from core.metrics.context import EvalContext
from core.metrics.fairness._calc.group_sets import GroupSet, collect
from core.metrics.fairness._calc.model_groups import (
    MSG_FEW_EO_GROUPS,
    model_groups,
    models_reason,
)
from core.metrics.metric import Goal, Metric
from core.metrics.value import MetricValue


class EqualizedOdds(Metric):
    """Fairlearn's equalized odds difference of the TSTR model on the real holdout.

    Per attribute set: the larger of the true-positive-rate and false-positive-rate differences
    (max − min across groups) for the model trained on synthetic rows; the baseline is the same
    figure for the model trained on real rows. Only groups with at least ``min_group_rows``
    positive and as many negative holdout rows are compared (a TPR from one positive row is 0
    or 1). Table level: the largest across attribute sets. 0.0 means every group has the same
    error rates.
    """

    key = "fairness.equalized_odds"
    name = "Equalized odds difference"
    description = (
        "Largest difference in true- or false-positive rate between protected groups for a model "
        "trained on synthetic rows (baseline: trained on real rows); 0.0 means equal error rates."
    )
    goal = Goal.MINIMIZE
    needs_protected = True
    needs_target = True
    needs_holdout = True
    shared_inputs = "utility"  # the fitted TSTR/TRTR models (utility/_calc/models.py)

    def _set_rows(self, ctx: EvalContext, gs: GroupSet) -> list[MetricValue]:
        mg = model_groups(ctx, gs)
        if isinstance(mg, str):
            return [self.not_computed(mg, gs.attributes)]
        value = mg.equalized_odds["tstr"]
        if value is None:
            reason = MSG_FEW_EO_GROUPS.format(attrs=gs.name, min_rows=ctx.config.min_group_rows)
            return [self.not_computed(reason, gs.attributes, n=mg.n, details=mg.details)]
        return [
            self.value(
                value,
                gs.attributes,
                baseline=mg.equalized_odds["trtr"],
                n=mg.n,
                details=mg.details,
            )
        ]

    def compute(self, ctx: EvalContext) -> list[MetricValue]:
        """TPR/FPR difference of the TSTR model (0.0 = equal odds), TRTR's as baseline."""
        reason = models_reason(ctx)
        if reason:
            return [self.not_computed(reason)]
        return collect(self, ctx, lambda gs: self._set_rows(ctx, gs), largest=True)
