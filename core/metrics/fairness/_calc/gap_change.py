"""How each group's outcome gap changed from the real to the synthetic rows, in both directions.

A group's gap is its positive-outcome rate minus everyone else's (one-vs-rest), e.g. women 0.11
vs others 0.31 -> -0.20. Two findings, each a metric, share this computation:

- **amplification** (the gap widened: same sign, larger): ``|synthetic gap| − |real gap|``;
  a gap that appears from 0 counts as widened;
- **attenuation** (a real disparity hidden: the gap shrank, or flipped sign):
  ``|real gap| − |synthetic gap|`` when it shrank, ``|real gap| + |synthetic gap|`` when it
  flipped (-0.20 -> +0.20 gives 0.40).

Each group counts in one direction only (the other is 0). The noise floor of both is the
holdout's change ``|holdout gap − real gap|``: how far a fresh real sample's gap moves by chance.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from core.metrics.context import EvalContext
from core.metrics.fairness._calc.group_sets import GroupSet, as_float, collect, floats, set_row
from core.metrics.fairness._calc.outcomes import Outcome, disparities, group_rates, outcome
from core.metrics.metric import Goal, Metric
from core.metrics.value import MetricValue

WIDENED, NARROWED, FLIPPED, KEPT = "widened", "narrowed", "flipped", "kept"
AMPLIFICATION, ATTENUATION = "amplification", "attenuation"

MSG_NO_GAP = (
    "Group '{group}' or everyone else has no synthetic row with a value of '{target}', so the "
    "group's outcome gap in the synthetic data is undefined."
)
MSG_NO_GROUP_GAPS = (
    "No group of '{attrs}' has an outcome gap in the synthetic data (no synthetic rows with a "
    "value of '{target}' on one side)."
)


def changes(real: pd.Series, synthetic: pd.Series) -> dict[str, pd.Series]:
    """Amplification, attenuation and direction of each group's gap (NaN gaps stay NaN).

    Example:
        real [-0.2, -0.2, 0.1], synthetic [-0.3, -0.05, -0.1] ->
        amplification [0.1, 0, 0], attenuation [0, 0.15, 0.2], direction
        [widened, narrowed, flipped].
    """
    r, s = real.abs(), synthetic.abs()
    flipped = (real * synthetic) < 0
    widened = ~flipped & (s > r)
    narrowed = ~flipped & (s < r)
    amp = (s - r).where(widened, 0.0).where(real.notna() & synthetic.notna())
    att = (r - s).where(narrowed, (r + s).where(flipped, 0.0))
    att = att.where(real.notna() & synthetic.notna())
    direction = pd.Series(KEPT, index=real.index, dtype=object)
    direction[widened], direction[narrowed], direction[flipped] = WIDENED, NARROWED, FLIPPED
    return {AMPLIFICATION: amp, ATTENUATION: att, "direction": direction}


class GapChangeMetric(Metric):
    """Base class: the largest change of a group's outcome gap in one direction (``part``).

    Per group, per attribute set (the worst group) and table level (the worst set). 0.0 means no
    gap changed in that direction; the baseline (noise floor) is the holdout's change.
    """

    part: str = AMPLIFICATION
    goal = Goal.MINIMIZE
    needs_protected = True
    needs_target = True
    baseline_is_noise_floor = True  # baseline: |holdout gap − real gap|, the same quantity
    gate_by_set = True  # judged per attribute set, each against its own floor

    def _set_rows(self, ctx: EvalContext, gs: GroupSet, out: Outcome) -> list[MetricValue]:
        rates = group_rates(ctx, gs, out)
        gaps = {t: (rates[f"rate_{t}"] - rates[f"rest_{t}"]) / out.scale for t in
                ("real", "synthetic", "holdout")}
        ch = changes(gaps["real"], gaps["synthetic"])
        floor = (gaps["holdout"] - gaps["real"]).abs()
        value = ch[self.part]
        rows = []
        for g in gs.scored:  # one iteration per group, not per data row
            if not np.isfinite(value[g]):
                reason = MSG_NO_GAP.format(group=g, target=out.target)
                rows.append(self.not_computed(reason, gs.attributes, group=g))
                continue
            details = {
                "real_gap": as_float(gaps["real"][g]),
                "synthetic_gap": as_float(gaps["synthetic"][g]),
                "holdout_gap": as_float(gaps["holdout"][g]),
                "change": as_float(gaps["synthetic"][g] - gaps["real"][g]),
                "direction": ch["direction"][g],
                "flipped": ch["direction"][g] == FLIPPED,
                self.part: as_float(value[g]),
            }
            rows.append(self.value(float(value[g]), gs.attributes, group=g,
                                   baseline=as_float(floor[g]), details=details))
        details = {
            "unit": out.unit,
            "groups": list(gs.scored),
            "real_rate": floats(rates["rate_real"]),
            "synthetic_rate": floats(rates["rate_synthetic"]),
            "real_gap": floats(gaps["real"]),
            "synthetic_gap": floats(gaps["synthetic"]),
            "holdout_gap": floats(gaps["holdout"]),
            AMPLIFICATION: floats(ch[AMPLIFICATION]),
            ATTENUATION: floats(ch[ATTENUATION]),
            "direction": [str(ch["direction"][g]) for g in gs.scored],
            "flipped": [str(g) for g in gs.scored if ch["direction"][g] == FLIPPED],
            **disparities(rates),
        }
        d_real, d_synth = details["disparity_real"], details["disparity_synthetic"]
        details["disparity_change"] = (
            d_synth - d_real if d_real is not None and d_synth is not None else None
        )
        empty = MSG_NO_GROUP_GAPS.format(attrs=gs.name, target=out.target)
        return [set_row(self, gs, rows, True, details, empty), *rows]

    def compute(self, ctx: EvalContext) -> list[MetricValue]:
        """Largest change in ``part``'s direction per attribute set and overall (0.0 = none)."""
        out = outcome(ctx)
        if isinstance(out, str):
            return [self.not_computed(out)]
        return collect(self, ctx, lambda gs: self._set_rows(ctx, gs, out), largest=True)
