"""Nearest-neighbour distance ratio (NNDR): is a synthetic row anchored to ONE training row?

NNDR = distance to the nearest training row / distance to the second-nearest. A ratio near 0
means the row sits right next to one particular training record and far from all others (that
record is exposed); near 1 means it is about as close to several records (it looks like the
crowd). A row that equals two training rows has 0 / 0: it counts as 0, since it is a copy.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from core.metrics.context import EvalContext
from core.metrics.metric import Goal, Metric
from core.metrics.privacy._calc.distance import Neighbours
from core.metrics.privacy._calc.histograms import histograms
from core.metrics.privacy._calc.neighbours import frame, neighbours
from core.metrics.value import MetricValue

MSG_ONE_ROW = "the training table has a single row, so there is no second-nearest row"


def nndr(nb: Neighbours) -> np.ndarray:
    """Ratio of nearest to second-nearest distance per row (0 / 0 counts as 0).

    Example: distances 0.1 and 0.4 -> 0.25.
    """
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = nb.distance / nb.distance2
    return np.where(nb.distance2 > 0, ratio, 0.0)


class NearestNeighbourDistanceRatio(Metric):
    """Median NNDR of synthetic rows, with holdout rows as the baseline."""

    key = "privacy.nndr"
    name = "Nearest-neighbour distance ratio"
    description = (
        "Median ratio of the distance to the nearest and to the second-nearest training row, "
        "for synthetic rows next to the same for holdout rows; score = synthetic / holdout "
        "median, capped at 1: 1.0 means synthetic rows are no more tied to single training "
        "records than unseen real rows are."
    )
    goal = Goal.MAXIMIZE
    min_value = 0.0
    max_value = 1.0

    def compute(self, ctx: EvalContext) -> list[MetricValue]:
        """Median NNDR, holdout baseline and histograms on [0, 1]."""
        if len(frame(ctx, "real")) < 2:
            return [self.not_computed(MSG_ONE_ROW)]
        syn = nndr(neighbours(ctx, "synthetic", "real"))
        value = float(np.median(syn))
        samples = {"synthetic": syn}
        baseline = None
        if len(ctx.holdout):
            hold = nndr(neighbours(ctx, "holdout", "real"))
            samples["holdout"] = hold
            baseline = float(np.median(hold))
        details = {"histogram": histograms(samples, 20, upper=1.0), "median_holdout": baseline}
        row = self.value(value, baseline=baseline, n=len(syn), details=details)
        if baseline is not None:
            score = min(value / baseline, 1.0) if baseline > 0 else 1.0
            row = replace(row, score=float(score))
        return [row]
