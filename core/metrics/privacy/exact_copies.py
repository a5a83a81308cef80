"""Exact copies: synthetic rows identical to a training row in every compared column.

Rows are compared by a 64-bit hash of all their values (missing equals missing), on the full
tables. The baseline is the share of holdout rows that equal a training row: populations have
natural twins (Adult has some), and a generator is not to blame for those.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from core.metrics.context import EvalContext
from core.metrics.metric import Goal, Metric
from core.metrics.privacy._calc.by_group import MSG_EMPTY_SIDE, labels_of, per_group
from core.metrics.privacy._calc.neighbours import row_hashes
from core.metrics.value import MetricValue

MAX_LISTED = 100


def copied(rows: pd.DataFrame, training: pd.DataFrame) -> np.ndarray:
    """Boolean mask: which of ``rows`` equal some row of ``training`` in every column.

    Example: rows ``[(1, 'a'), (2, 'b')]``, training ``[(1, 'a')]`` -> ``[True, False]``.
    """
    if len(rows) == 0:
        return np.zeros(0, dtype=bool)
    return np.isin(row_hashes(rows), row_hashes(training))


class ExactCopies(Metric):
    """Share of synthetic rows that are exact copies of training rows."""

    key = "privacy.exact_copies"
    name = "Exact copies of training rows"
    description = (
        "Share of synthetic rows identical to a training row in every column (the holdout "
        "rows' share is the natural-twin baseline); 0.0 is best, 1.0 means every synthetic "
        "row is a copied record."
    )
    goal = Goal.MINIMIZE
    min_value = 0.0
    max_value = 1.0
    baseline_is_noise_floor = True  # baseline: the holdout's value of the same quantity

    def compute(self, ctx: EvalContext) -> list[MetricValue]:
        """Share and count of copies, first copied row indices, and the share per group."""
        syn = ctx.synthetic
        if len(syn) == 0:
            return [self.not_computed("there are no synthetic rows")]
        mask = copied(syn, ctx.real)
        hold = copied(ctx.holdout, ctx.real) if len(ctx.holdout) else None
        details = {
            "count": int(mask.sum()),
            "synthetic_rows": [int(i) for i in syn.index[mask][:MAX_LISTED]],
            "holdout_count": int(hold.sum()) if hold is not None else None,
        }
        baseline = float(hold.mean()) if hold is not None else None
        rows = [self.value(float(mask.mean()), baseline=baseline, n=len(syn), details=details)]

        def group_row(labels: dict[str, pd.Series], group: str) -> MetricValue:
            inside = labels_of(labels, "synthetic", syn.index) == group
            k = int(inside.sum())
            if k == 0:
                return self.not_computed(MSG_EMPTY_SIDE.format(side="synthetic"), group=group)
            n_copies = int(mask[inside].sum())
            return self.value(n_copies / k, group=group, n=k, details={"count": n_copies})

        return rows + per_group(self, ctx, group_row)
