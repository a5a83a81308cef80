"""Share of synthetic rows closer to the training rows than to the holdout rows.

Each synthetic row's nearest training row and nearest holdout row are compared, with as many
training rows as holdout rows (an equal-size random sample, as MOSTLY AI and SDMetrics'
``DCROverfittingProtection`` with subsampling do). A generator that learned only the population
puts half of its rows on each side; a generator that memorised training rows puts more on the
training side. Ties count half (a copy of a row present in both tables favours neither).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from core.metrics.context import EvalContext
from core.metrics.metric import Goal, Metric
from core.metrics.privacy._calc.by_group import MSG_EMPTY_SIDE, labels_of, per_group
from core.metrics.privacy._calc.intervals import binomial_ci
from core.metrics.privacy._calc.neighbours import equal_size, frame, neighbours
from core.metrics.value import MetricValue


def share_closer(to_training: np.ndarray, to_holdout: np.ndarray) -> float:
    """Share of rows nearer the training rows; ties count half.

    Example: ``share_closer(np.array([0., 1., .5]), np.array([1., 0., .5]))`` -> 0.5
    """
    wins = (to_training < to_holdout).astype(float) + 0.5 * (to_training == to_holdout)
    return float(wins.mean())




class DCRCloserToTraining(Metric):
    """Share of synthetic rows closer to training than to holdout rows (ideal 50%)."""

    key = "privacy.dcr_closer_to_training"
    name = "Closer to training than holdout"
    description = (
        "Share of synthetic rows whose nearest training row (an equal-size sample) is closer "
        "than their nearest holdout row; 0.5 is ideal (no sign of memorisation), 1.0 means "
        "every synthetic row hugs a training row."
    )
    goal = Goal.IDEAL
    ideal = 0.5
    min_value = 0.0
    max_value = 1.0
    needs_holdout = True

    def compute(self, ctx: EvalContext) -> list[MetricValue]:
        """Overall share, its interval, and the share within each protected group."""
        to_training = neighbours(ctx, "synthetic", "real_eq").distance
        to_holdout = neighbours(ctx, "synthetic", "holdout_eq").distance
        share = share_closer(to_training, to_holdout)
        n = len(to_training)
        low, high = binomial_ci(share, n)
        details = {
            "sample_rows_per_side": equal_size(ctx),
            "ties": float(np.mean(to_training == to_holdout)),
            "closer_to_training_strict": float(np.mean(to_training < to_holdout)),
        }
        rows = [self.value(share, n=n, ci_low=low, ci_high=high, details=details)]
        syn_index = frame(ctx, "synthetic").index

        def group_row(labels: dict[str, pd.Series], group: str) -> MetricValue:
            inside = labels_of(labels, "synthetic", syn_index) == group
            k = int(inside.sum())
            if k == 0:
                return self.not_computed(MSG_EMPTY_SIDE.format(side="synthetic"), group=group)
            g_share = share_closer(to_training[inside], to_holdout[inside])
            g_low, g_high = binomial_ci(g_share, k)
            return self.value(g_share, group=group, n=k, ci_low=g_low, ci_high=g_high)

        return rows + per_group(self, ctx, group_row)
