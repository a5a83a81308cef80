"""Distance to closest record (DCR): how near each synthetic row is to a training row.

For each synthetic row, the distance to its nearest training row (SDMetrics' mixed-type
distance, see :mod:`core.metrics.privacy._calc.distance`). The noise floor is the same distance for
holdout rows: real people the generator never saw. Synthetic rows much closer to the training
rows than holdout rows are suggest memorised records.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from core.metrics.context import EvalContext
from core.metrics.metric import Goal, Metric
from core.metrics.privacy._calc.histograms import histograms
from core.metrics.privacy._calc.neighbours import frame, neighbours
from core.metrics.value import MetricValue

TOP_RISKIEST = 50
HIST_BINS = 30




def sdmetrics_scores(ctx: EvalContext) -> dict[str, float | None]:
    """SDMetrics' DCRBaselineProtection and DCROverfittingProtection, on our search.

    Both follow SDMetrics' formulas without subsampling: baseline protection is
    ``min(median synthetic DCR / median random-row DCR, 1)``; overfitting protection is
    ``min(2 * (1 - share of synthetic rows strictly closer to training than to holdout), 1)``.
    1.0 is best for both. Overfitting protection is None without holdout rows.
    """
    syn_dcr = neighbours(ctx, "synthetic", "real").distance
    random_median = float(np.median(neighbours(ctx, "random", "real").distance))
    syn_median = float(np.median(syn_dcr))
    out: dict[str, float | None] = {
        "dcr_baseline_protection": (
            min(syn_median / random_median, 1.0) if random_median > 0 else None
        ),
        "median_dcr_synthetic": syn_median,
        "median_dcr_random": random_median,
        "dcr_overfitting_protection": None,
        "closer_to_training": None,
    }
    if len(ctx.holdout):
        to_holdout = neighbours(ctx, "synthetic", "holdout").distance
        closer = float(np.mean(syn_dcr < to_holdout))
        out["closer_to_training"] = closer
        out["dcr_overfitting_protection"] = min((1.0 - closer) * 2, 1.0)
    return out


class DistanceToClosestRecord(Metric):
    """Median distance from synthetic rows to their nearest training row."""

    key = "privacy.dcr"
    name = "Distance to closest record"
    description = (
        "Median distance (0-1, SDMetrics' mixed-type distance) from each synthetic row to its "
        "nearest training row, next to the same for holdout rows; score = synthetic median / "
        "holdout median, capped at 1: 1.0 means synthetic rows sit as far from the training "
        "rows as real rows the generator never saw."
    )
    goal = Goal.MAXIMIZE
    min_value = 0.0
    max_value = 1.0

    def compute(self, ctx: EvalContext) -> list[MetricValue]:
        """Median DCR, holdout baseline, histograms, SDMetrics scores, riskiest rows."""
        syn = neighbours(ctx, "synthetic", "real")
        median = float(np.median(syn.distance))
        samples = {"synthetic": syn.distance}
        baseline = None
        if len(ctx.holdout):
            hold = neighbours(ctx, "holdout", "real").distance
            samples["holdout"] = hold
            baseline = float(np.median(hold))
        sdm = sdmetrics_scores(ctx)
        if baseline is not None and baseline > 0:
            score, basis = min(median / baseline, 1.0), "median synthetic DCR / median holdout DCR"
        elif baseline is not None:
            # Holdout rows have exact twins in training; any synthetic distance is at least that.
            score, basis = 1.0, "the holdout median DCR is 0"
        elif sdm["dcr_baseline_protection"] is not None:
            score, basis = sdm["dcr_baseline_protection"], "SDMetrics DCRBaselineProtection"
        else:
            score, basis = None, "the raw median DCR (no holdout and no random baseline)"

        syn_rows, real_rows = frame(ctx, "synthetic").index, frame(ctx, "real").index
        order = np.argsort(syn.distance, kind="stable")[:TOP_RISKIEST]
        details = {
            "histogram": histograms(samples, HIST_BINS),
            "median_synthetic": median,
            "median_holdout": baseline,
            "n_training": len(real_rows),
            "n_holdout": len(frame(ctx, "holdout")) if len(ctx.holdout) else 0,
            "score_basis": basis,
            "sdmetrics": sdm,
            "riskiest": {
                "synthetic_row": [int(i) for i in syn_rows[order]],
                "training_row": [int(i) for i in real_rows[syn.index[order]]],
                "distance": [float(d) for d in syn.distance[order]],
            },
        }
        row = self.value(median, baseline=baseline, n=len(syn_rows), details=details)
        if score is not None:
            row = replace(row, score=float(score))
        return [row]
