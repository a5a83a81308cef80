"""Bias amplification: does the synthetic table widen, shrink or flip a group's outcome gap?"""

from __future__ import annotations

import numpy as np

from core.metrics.context import EvalContext
from core.metrics.fairness._calc.group_sets import GroupSet, as_float, collect, floats, set_row
from core.metrics.fairness._calc.outcomes import Outcome, disparities, group_rates, outcome
from core.metrics.metric import Goal, Metric
from core.metrics.value import MetricValue

MSG_NO_GAP = (
    "Group '{group}' or everyone else has no synthetic row with a value of '{target}', so the "
    "group's outcome gap in the synthetic data is undefined."
)
MSG_NO_GROUP_GAPS = (
    "No group of '{attrs}' has an outcome gap in the synthetic data (no synthetic rows with a "
    "value of '{target}' on one side)."
)


class BiasAmplification(Metric):
    """Change of each group's outcome gap between the real and the synthetic rows.

    A group's gap (its disparity) is its positive-outcome rate minus that of everyone else
    (one-vs-rest), e.g. women 0.11 vs others 0.31 -> -0.20. Amplification = synthetic gap − real
    gap; the value is its absolute size (a flipped group, -0.20 -> +0.20, gives 0.40; 1 or more
    scores 0). For a numerical target, gaps are in real standard deviations. Per attribute set
    and table level: the largest. Details keep the sign, whether the gap flipped, and the
    max − min disparity in each table. Baselines use the holdout in place of the synthetic rows.
    0.0 means every group keeps its gap.
    """

    key = "fairness.bias_amplification"
    name = "Bias amplification"
    description = (
        "Largest change of a protected group's outcome gap (its rate minus everyone else's) "
        "from the real to the synthetic rows, flips included; 0.0 means no gap changed."
    )
    goal = Goal.MINIMIZE
    needs_protected = True
    needs_target = True
    baseline_is_noise_floor = True  # baseline: the holdout's value of the same quantity
    gate_by_set = True  # judged per attribute set, each against its own floor

    def _set_rows(self, ctx: EvalContext, gs: GroupSet, out: Outcome) -> list[MetricValue]:
        rates = group_rates(ctx, gs, out)
        gaps = {t: (rates[f"rate_{t}"] - rates[f"rest_{t}"]) / out.scale for t in
                ("real", "synthetic", "holdout")}
        amp = gaps["synthetic"] - gaps["real"]
        floor = gaps["holdout"] - gaps["real"]
        flipped = (gaps["real"] * gaps["synthetic"]) < 0
        rows = []
        for g in gs.scored:  # one iteration per group, not per data row
            if not np.isfinite(amp[g]):
                reason = MSG_NO_GAP.format(group=g, target=out.target)
                rows.append(self.not_computed(reason, gs.attributes, group=g))
                continue
            details = {
                "real_gap": as_float(gaps["real"][g]),
                "synthetic_gap": as_float(gaps["synthetic"][g]),
                "holdout_gap": as_float(gaps["holdout"][g]),
                "amplification": as_float(amp[g]),
                "flipped": bool(flipped[g]),
            }
            rows.append(
                self.value(
                    abs(float(amp[g])),
                    gs.attributes,
                    group=g,
                    baseline=as_float(abs(floor[g])),
                    details=details,
                )
            )
        details = {
            "unit": out.unit,
            "groups": list(gs.scored),
            "real_rate": floats(rates["rate_real"]),
            "synthetic_rate": floats(rates["rate_synthetic"]),
            "real_gap": floats(gaps["real"]),
            "synthetic_gap": floats(gaps["synthetic"]),
            "amplification": floats(amp),
            "flipped": [str(g) for g in gs.scored if flipped[g]],
            **disparities(rates),
        }
        d_real, d_synth = details["disparity_real"], details["disparity_synthetic"]
        details["disparity_change"] = (
            d_synth - d_real if d_real is not None and d_synth is not None else None
        )
        empty = MSG_NO_GROUP_GAPS.format(attrs=gs.name, target=out.target)
        return [set_row(self, gs, rows, True, details, empty), *rows]

    def compute(self, ctx: EvalContext) -> list[MetricValue]:
        """Largest |synthetic gap − real gap| per attribute set and overall (0.0 = none)."""
        out = outcome(ctx)
        if isinstance(out, str):
            return [self.not_computed(out)]
        return collect(self, ctx, lambda gs: self._set_rows(ctx, gs, out), largest=True)
