"""Distance-based membership inference: can an attacker tell training rows from holdout rows?

The attacker holds the synthetic table and a real record, and guesses "it was in the training
data" when the record has a very close synthetic row. Scored on equal-size samples of training
rows (members) and holdout rows (non-members) by the ROC AUC of minus the distance to the
nearest synthetic row. 0.5 means the synthetic data tell members from non-members no better
than a coin; 1.0 means every member is closer to a synthetic row than every non-member.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from sklearn.metrics import roc_auc_score, roc_curve

from core.metrics.context import EvalContext
from core.metrics.metric import Goal, Metric
from core.metrics.privacy._calc.by_group import labels_of, per_group
from core.metrics.privacy._calc.intervals import Z95
from core.metrics.privacy._calc.neighbours import frame, neighbours
from core.metrics.value import MetricValue

MSG_FEW_ROWS = (
    "only {members} training and {others} holdout rows are in the attack sample, "
    "fewer than {min_rows} each"
)
ROC_POINTS = 51


def auc_interval(auc: float, n_pos: int, n_neg: int) -> tuple[float, float]:
    """95% interval of an ROC AUC (Hanley & McNeil 1982 standard error), clipped to [0, 1]."""
    q1, q2 = auc / (2 - auc), 2 * auc * auc / (1 + auc)
    var = (auc * (1 - auc) + (n_pos - 1) * (q1 - auc**2) + (n_neg - 1) * (q2 - auc**2)) / (
        n_pos * n_neg
    )
    half = Z95 * math.sqrt(max(var, 0.0))
    return max(auc - half, 0.0), min(auc + half, 1.0)


def attack_auc(member_dist: np.ndarray, other_dist: np.ndarray) -> float:
    """AUC of guessing "member" for the rows nearest to the synthetic data (ties count half).

    Example: members at distance ``[0.0]``, non-members at ``[0.3]`` -> 1.0.
    """
    y = np.r_[np.ones(len(member_dist)), np.zeros(len(other_dist))]
    return float(roc_auc_score(y, -np.r_[member_dist, other_dist]))


class DistanceMembershipInference(Metric):
    """ROC AUC of a distance-to-synthetic membership attack (0.5 = no leak)."""

    key = "privacy.membership_inference_auc"
    name = "Membership inference (distance attack)"
    description = (
        "ROC AUC of telling training rows from holdout rows (equal-size samples) by their "
        "distance to the nearest synthetic row; 0.5 means no membership leak, 1.0 means "
        "membership is revealed for every row."
    )
    goal = Goal.MINIMIZE
    min_value = 0.5
    max_value = 1.0
    needs_holdout = True

    def compute(self, ctx: EvalContext) -> list[MetricValue]:
        """AUC with its interval and ROC curve, and the AUC within each protected group."""
        members = neighbours(ctx, "real_eq", "synthetic").distance
        others = neighbours(ctx, "holdout_eq", "synthetic").distance
        min_rows = ctx.config.min_group_rows
        if min(len(members), len(others)) < 2:
            reason = MSG_FEW_ROWS.format(members=len(members), others=len(others), min_rows=2)
            return [self.not_computed(reason)]
        auc = attack_auc(members, others)
        low, high = auc_interval(auc, len(members), len(others))
        y = np.r_[np.ones(len(members)), np.zeros(len(others))]
        fpr, tpr, _ = roc_curve(y, -np.r_[members, others])
        grid = np.linspace(0, 1, ROC_POINTS)
        details = {
            "rows_per_side": len(members),
            "advantage": 2 * auc - 1,
            "roc": {
                "fpr": [round(float(x), 4) for x in grid],
                "tpr": [round(float(x), 4) for x in np.interp(grid, fpr, tpr)],
            },
        }
        rows = [self.value(auc, n=len(y), ci_low=low, ci_high=high, details=details)]
        member_index = frame(ctx, "real_eq").index
        other_index = frame(ctx, "holdout_eq").index

        def group_row(labels: dict[str, pd.Series], group: str) -> MetricValue:
            m_in = labels_of(labels, "real", member_index) == group
            o_in = labels_of(labels, "holdout", other_index) == group
            k_m, k_o = int(m_in.sum()), int(o_in.sum())
            if min(k_m, k_o) < min_rows:
                reason = MSG_FEW_ROWS.format(members=k_m, others=k_o, min_rows=min_rows)
                return self.not_computed(reason, group=group)
            g_auc = attack_auc(members[m_in], others[o_in])
            g_low, g_high = auc_interval(g_auc, k_m, k_o)
            return self.value(g_auc, group=group, n=k_m + k_o, ci_low=g_low, ci_high=g_high)

        return rows + per_group(self, ctx, group_row)
