"""Demographic parity of the model trained on synthetic rows, vs the one trained on real rows."""

from __future__ import annotations

from core.metrics.context import EvalContext
from core.metrics.fairness._calc.group_sets import GroupSet, collect
from core.metrics.fairness._calc.model_groups import model_groups, models_reason
from core.metrics.metric import Goal, Metric
from core.metrics.value import MetricValue


class DemographicParity(Metric):
    """Fairlearn's demographic parity difference of the TSTR model on the real holdout.

    Per attribute set: the largest minus the smallest selection rate (share predicted positive)
    across groups, for the model trained on synthetic rows; the baseline is the same figure for
    the model trained on real rows. Table level: the largest across attribute sets. Details hold
    Fairlearn's ``MetricFrame.by_group`` table (selection rate, TPR, FPR, accuracy) of both
    models. 0.0 means every group is predicted positive equally often.
    """

    key = "fairness.demographic_parity"
    name = "Demographic parity difference"
    description = (
        "Largest difference in selection rate between protected groups for a model trained on "
        "synthetic rows (baseline: trained on real rows); 0.0 means equal selection rates."
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
        return [
            self.value(
                mg.demographic_parity["tstr"],
                gs.attributes,
                baseline=mg.demographic_parity["trtr"],
                n=mg.n,
                details=mg.details,
            )
        ]

    def compute(self, ctx: EvalContext) -> list[MetricValue]:
        """Selection-rate difference of the TSTR model (0.0 = parity), TRTR's as baseline."""
        reason = models_reason(ctx)
        if reason:
            return [self.not_computed(reason)]
        return collect(self, ctx, lambda gs: self._set_rows(ctx, gs), largest=True)
