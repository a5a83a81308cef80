"""Disparity attenuation: does the synthetic table hide a real outcome gap between groups?"""

from __future__ import annotations

from core.metrics.fairness._calc.gap_change import ATTENUATION, GapChangeMetric


class DisparityAttenuation(GapChangeMetric):
    """Largest shrinking (or flip) of a protected group's outcome gap from real to synthetic.

    Men vs women earning >50K, real 0.305 vs 0.110, synthetic 0.260 vs 0.197: women's gap
    shrinks from -0.195 to -0.063, so 0.132 of a real disparity is hidden. A flipped gap counts
    in full (-0.20 -> +0.20 gives 0.40). Data that hides a disparity misleads whoever studies
    fairness with it, just as amplified data does. 0.0 means no real gap was reduced.
    """

    key = "fairness.disparity_attenuation"
    name = "Disparity attenuation"
    description = (
        "Largest shrinking or flip of a protected group's outcome gap (its rate minus everyone "
        "else's) from the real to the synthetic rows; 0.0 means no real gap was hidden."
    )
    part = ATTENUATION
