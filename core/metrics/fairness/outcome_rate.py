"""Outcome rate per group: does each protected group keep its positive-outcome rate?"""

from __future__ import annotations

from core.metrics.context import EvalContext
from core.metrics.fairness._calc.group_sets import GroupSet, as_float, collect, set_row
from core.metrics.fairness._calc.outcomes import (
    TABLES,
    Outcome,
    disparities,
    group_rates,
    outcome,
    shown_rates,
)
from core.metrics.metric import Goal, Metric
from core.metrics.value import MetricValue

MSG_NO_SYNTH_ROWS = (
    "The synthetic data has no row with a value of '{target}' in group '{group}', so its outcome "
    "rate cannot be compared (see fairness.representation)."
)
MSG_NO_GROUP_ROWS = (
    "No group of '{attrs}' has synthetic rows with a value of '{target}', so no outcome rate "
    "can be compared."
)






class OutcomeRate(Metric):
    """Positive-outcome rate (or mean target) per protected group, real vs synthetic.

    Per group: |synthetic rate − real rate| (for a numerical target, the difference of group
    means in real standard deviations; 1 or more scores 0). Per attribute set and table level:
    the largest such difference. Baselines use the holdout in place of the synthetic rows.
    Details hold each group's rate in real, synthetic and holdout rows, and the between-group
    disparity (max − min, and min / max) in each. 0.0 means every group keeps its rate.
    """

    key = "fairness.outcome_rate"
    name = "Outcome rate per group"
    description = (
        "Largest difference between a protected group's positive-outcome rate in the real and "
        "in the synthetic rows; 0.0 means every group keeps its rate."
    )
    goal = Goal.MINIMIZE
    needs_protected = True
    needs_target = True
    baseline_is_noise_floor = True  # baseline: the holdout's value of the same quantity

    def _set_rows(self, ctx: EvalContext, gs: GroupSet, out: Outcome) -> list[MetricValue]:
        rates = group_rates(ctx, gs, out)
        rows = []
        for g, r in rates.iterrows():  # one iteration per group, not per data row
            if r["n_synthetic"] == 0:
                reason = MSG_NO_SYNTH_ROWS.format(target=out.target, group=g)
                rows.append(self.not_computed(reason, gs.attributes, group=str(g)))
                continue
            details = {f"{t}_rate": as_float(r[f"rate_{t}"]) for t in TABLES}
            details |= {f"n_{t}": int(r[f"n_{t}"]) for t in TABLES}
            rows.append(
                self.value(
                    abs(r["rate_synthetic"] - r["rate_real"]) / out.scale,
                    gs.attributes,
                    group=str(g),
                    baseline=as_float(abs(r["rate_holdout"] - r["rate_real"]) / out.scale),
                    details=details,
                )
            )
        details = {"unit": out.unit, "rates": shown_rates(ctx, gs, out), **disparities(rates)}
        empty = MSG_NO_GROUP_ROWS.format(attrs=gs.name, target=out.target)
        return [set_row(self, gs, rows, True, details, empty), *rows]

    def compute(self, ctx: EvalContext) -> list[MetricValue]:
        """Largest per-group rate difference, per attribute set and overall (0.0 = none)."""
        out = outcome(ctx)
        if isinstance(out, str):
            return [self.not_computed(out)]
        return collect(self, ctx, lambda gs: self._set_rows(ctx, gs, out), largest=True)
