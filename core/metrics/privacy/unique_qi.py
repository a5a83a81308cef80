"""Unique quasi-identifier matches: synthetic rows that point at one real person.

An attacker who knows a person's quasi-identifiers (age, sex, ZIP...) looks them up in the
synthetic table. A synthetic row is a risk when its quasi-identifier combination is unique in the
synthetic table AND matches exactly one training record: the attacker then "finds" that person
and reads the row's other values as theirs. Missing values match missing values. The baseline
does the same lookup with the holdout rows in place of the synthetic rows.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from core.metrics.context import EvalContext
from core.metrics.metric import Goal, Metric
from core.metrics.privacy._calc.neighbours import row_hashes
from core.metrics.value import MetricValue

MSG_NO_QI = "no quasi-identifiers are set (choose them on the Data page)"


def unique_matches(rows: pd.DataFrame, training: pd.DataFrame) -> np.ndarray:
    """Which of ``rows`` are unique among ``rows`` and match a record unique in ``training``.

    Both frames hold only the quasi-identifier columns.

    Example: rows ``[1, 1, 2, 3]``, training ``[2, 3, 3]`` -> ``[False, False, True, False]``.
    """
    if len(rows) == 0:
        return np.zeros(0, dtype=bool)
    h_rows, h_train = row_hashes(rows), row_hashes(training)
    rows_count = pd.Series(h_rows).map(pd.Series(h_rows).value_counts()).to_numpy()
    train_count = pd.Series(h_rows).map(pd.Series(h_train).value_counts()).fillna(0).to_numpy()
    return (rows_count == 1) & (train_count == 1)


class UniqueQuasiIdentifierMatches(Metric):
    """Share of synthetic rows whose unique QI combination matches a unique training record."""

    key = "privacy.unique_qi_matches"
    name = "Unique quasi-identifier matches"
    description = (
        "Share of synthetic rows whose quasi-identifier combination is unique in the synthetic "
        "data and matches exactly one training record (holdout rows give the chance level); "
        "0.0 is best, 1.0 means every synthetic row singles out a real person."
    )
    goal = Goal.MINIMIZE
    min_value = 0.0
    max_value = 1.0
    baseline_is_noise_floor = True  # baseline: the holdout's value of the same quantity

    def compute(self, ctx: EvalContext) -> list[MetricValue]:
        """Share and count of matches, and the holdout baseline."""
        qis = [q for q in ctx.schema.quasi_identifiers if q in ctx.columns]
        if not qis:
            return [self.not_computed(MSG_NO_QI)]
        if len(ctx.synthetic) == 0:
            return [self.not_computed("there are no synthetic rows")]
        training = ctx.real[qis]
        mask = unique_matches(ctx.synthetic[qis], training)
        details: dict = {"count": int(mask.sum()), "quasi_identifiers": qis}
        baseline = None
        if len(ctx.holdout):
            hold = unique_matches(ctx.holdout[qis], training)
            baseline = float(hold.mean())
            details.update(holdout_count=int(hold.sum()), holdout_rows=len(hold))
        return [self.value(float(mask.mean()), baseline=baseline, n=len(mask), details=details)]
