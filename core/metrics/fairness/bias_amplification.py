"""Bias amplification: does the synthetic table widen a group's outcome gap?"""

from __future__ import annotations

from core.metrics.fairness._calc.gap_change import AMPLIFICATION, GapChangeMetric


class BiasAmplification(GapChangeMetric):
    """Largest widening of a protected group's outcome gap from the real to the synthetic rows.

    A group's gap is its positive-outcome rate minus everyone else's (one-vs-rest). Only gaps
    that keep their sign and grow count: women 0.11 vs others 0.31 (-0.20) becoming -0.30 gives
    0.10. Gaps that shrink or flip are :class:`DisparityAttenuation`'s finding instead. For a
    numerical target, gaps are in real standard deviations. Baselines use the holdout in place
    of the synthetic rows. 0.0 means no gap grew.
    """

    key = "fairness.bias_amplification"
    name = "Bias amplification"
    description = (
        "Largest growth of a protected group's outcome gap (its rate minus everyone else's) "
        "from the real to the synthetic rows; 0.0 means no gap grew."
    )
    part = AMPLIFICATION
