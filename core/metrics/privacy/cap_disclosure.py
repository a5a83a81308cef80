"""CAP disclosure: guessing a person's secret from their quasi-identifiers in the synthetic data.

The attacker knows a training person's other quasi-identifiers, finds the synthetic rows with
exactly those values, and guesses the person's protected attribute or target from them. The
Correct Attribution Probability (CAP, Taub et al. 2018) is the chance such a guess is right,
averaged over the people whose values occur in the synthetic data; it is computed as SDMetrics'
``DisclosureProtection`` (method ``cap``) computes it, and its details carry SDMetrics' figures:
``cap_risk`` = 1 − ``cap_protection``, ``disclosure_protection`` = its score
``min(cap_protection / (1 − 1/K), 1)`` with K the distinct secret values of the training rows.

A high CAP is not by itself a leak: when the population's quasi-identifiers predict a secret
(most people born in one country share one race), any good synthetic copy lets the attacker
guess it, and so would a fresh sample of real people. So, as Anonymeter does for its attacks,
the same attack is run against holdout rows, real people the generator never saw (the
*control*), and the value is the residual risk ``(CAP_train − CAP_control) / (1 − CAP_control)``,
bounded to [0, 1], with a 95% interval (:mod:`core.metrics.privacy._calc.cap`). 0 means the
synthetic data tell the attacker no more about the people they were learnt from than about
anyone else. The table-level row is the secret with the largest residual risk.

Grouping is by exact quasi-identifier values (missing a value of its own); numerical and date
secrets are cut into ``config.bins`` equal-width bins, as SDMetrics cuts continuous columns
(:mod:`core.metrics.privacy._calc.equivalence`); a secret that is also a quasi-identifier is
guessed from the others. Sampling: SDMetrics' ``DisclosureProtection`` uses every row (it warns
above 10,000 and offers ``DisclosureProtectionEstimate``, which averages 10 runs on 1,000-row
subsamples and so finds fewer matches); here every row is used up to ``max_rows`` per table, and
a seeded sample above it, stated in the details.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from core.metrics.context import EvalContext
from core.metrics.metric import Goal, Metric
from core.metrics.privacy._calc.cap import (
    Attribution,
    attribution,
    disclosure_protection,
    excess_risk,
)
from core.metrics.privacy._calc.equivalence import (
    MSG_NO_QI,
    MSG_NO_SECRETS,
    MSG_SECRET_ONLY_QI,
    class_codes,
    known_for,
    numeric_distinct,
    quasi_identifiers,
    sampled,
    sampling_details,
    secret_codes,
    secrets,
)
from core.metrics.value import MetricValue

MSG_NO_MATCH = (
    "none of the {n} {side} rows has a combination of {known} that occurs in the synthetic "
    "data, so the attacker finds no synthetic row to read (SDMetrics' CAP is undefined)"
)


def _figures(a: Attribution) -> dict[str, object]:
    return {"cap_risk": a.risk, "zero_cap_risk": a.zero_risk, "matched": a.matched,
            "targets": a.targets, "matched_share": a.matched / a.targets if a.targets else None}


class CAPDisclosure(Metric):
    """Residual CAP risk per secret: training rows against holdout rows, both via synthetic."""

    key = "privacy.cap_disclosure"
    name = "CAP disclosure"
    description = (
        "Correct attribution probability of a protected attribute or the target from the other "
        "quasi-identifiers via the synthetic rows, on training rows in excess of holdout rows "
        "(table row: the worst secret; SDMetrics' figures in the details); 0.0 is no risk, "
        "1.0 every guess succeeds."
    )
    goal = Goal.MINIMIZE
    min_value = 0.0
    max_value = 1.0
    needs_holdout = True

    def compute(self, ctx: EvalContext) -> list[MetricValue]:
        """One row per secret (columns=(secret,)) and a table row with the largest risk."""
        qis, names = quasi_identifiers(ctx), secrets(ctx)
        if not qis:
            return [self.not_computed(MSG_NO_QI)]
        if not names:
            return [self.not_computed(MSG_NO_SECRETS)]
        if len(ctx.synthetic) == 0 or len(ctx.real) == 0:
            return [self.not_computed("there are no synthetic or no training rows")]
        frames = {side: sampled(ctx, side) for side in ("real", "holdout", "synthetic")}
        rows = [self._secret_row(ctx, list(frames.values()), qis, s) for s in names]
        done = [r for r in rows if r.value is not None]
        if not done:
            return [self.not_computed("no secret could be attacked (see the per-column rows)"),
                    *rows]
        # The largest risk; among equal risks the widest interval (the least known secret).
        worst = max(done, key=lambda r: (r.value, r.ci_high))
        table = self.value(
            worst.value, n=worst.n, ci_low=worst.ci_low, ci_high=worst.ci_high,
            details={"worst_secret": worst.columns[0],
                     "risks": {r.columns[0]: r.value for r in done},
                     "cap_risk": {r.columns[0]: r.details["train"]["cap_risk"] for r in done},
                     "control_cap_risk": {r.columns[0]: r.details["control"]["cap_risk"]
                                          for r in done},
                     "disclosure_protection": {r.columns[0]: r.details["disclosure_protection"]
                                               for r in done},
                     **sampling_details(frames, ctx)},
        )
        return [table, *rows]

    def _secret_row(self, ctx: EvalContext, sides: list[pd.DataFrame], qis: list[str],
                    secret: str) -> MetricValue:
        known = known_for(qis, secret)
        cols = (secret,)
        if not known:
            return self.not_computed(MSG_SECRET_ONLY_QI.format(secret=secret), cols)
        train_k, hold_k, syn_k = class_codes(sides, known)
        train_s, hold_s, syn_s = secret_codes(sides, secret, secret in ctx.numerical,
                                              ctx.config.bins)
        train = attribution(train_k, train_s, syn_k, syn_s)
        control = attribution(hold_k, hold_s, syn_k, syn_s)
        names = ", ".join(known)
        if train.risk is None:
            return self.not_computed(MSG_NO_MATCH.format(n=train.targets, side="training",
                                                         known=names), cols)
        if control.risk is None:
            return self.not_computed(MSG_NO_MATCH.format(n=control.targets, side="holdout",
                                                         known=names), cols)
        excess = excess_risk(train, control)
        distinct = len(np.unique(train_s))
        details = {
            "secret": secret, "quasi_identifiers": known,
            "secret_binned": secret in ctx.numerical, "bins": ctx.config.bins,
            "numeric_distinct_values": numeric_distinct(ctx, known),
            "train": _figures(train), "control": _figures(control),
            "residual": excess.residual, "distinct_real_values": distinct,
            "random_guess_risk": 1 / distinct,
            "disclosure_protection": disclosure_protection(train.risk, distinct),
            "baseline_protection": 1 - 1 / distinct,
        }
        return self.value(excess.value, cols, n=train.matched, ci_low=excess.ci_low,
                          ci_high=excess.ci_high, details=details)
