"""Distinct l-diversity of each protected attribute and the target (Machanavajjhala et al. 2007).

Within an equivalence class (rows sharing their quasi-identifier values) an attacker who finds a
person's class learns their secret when the class holds one secret value only. Distinct
l-diversity is the smallest number of distinct secret values in any class. One row per secret
(each protected attribute and the target): the value is the synthetic table's l, the baseline
the training table's l; the table-level row is the worst secret (lowest score, then lowest l).

The classes of a secret are formed over the *other* quasi-identifiers: a protected attribute
that is also a quasi-identifier (Adult's sex, race, age) would otherwise fix its own class and
give l = 1 trivially. Grouping is by exact values; numerical and date secrets are cut into
``config.bins`` equal-width bins (:mod:`core.metrics.privacy._calc.equivalence`). Since a class
of one row has one value, l ≤ k: wherever some row is unique on its quasi-identifiers, l = 1.
The details therefore also give the share of rows in classes with fewer than 2 and 3 distinct
values, and, among rows in classes of two or more, the share in a class where everyone has the
same secret (the homogeneity attack).

The score is the synthetic l over the training l, capped at 1, as for k-anonymity.

Synthcity's ``lDiversityDistinct`` clusters all non-sensitive columns with k-means and counts
distinct tuples of all sensitive columns together per cluster; we use exact classes over the
declared quasi-identifiers and one secret at a time, as the definition does.
"""

from __future__ import annotations

import math
from dataclasses import replace

from core.metrics.context import EvalContext
from core.metrics.metric import Goal, Metric
from core.metrics.privacy._calc.equivalence import (
    MSG_NO_QI,
    MSG_NO_SECRETS,
    MSG_SECRET_ONLY_QI,
    SCORE_BASIS,
    Diversity,
    class_codes,
    diversity,
    known_for,
    numeric_distinct,
    quasi_identifiers,
    relative_score,
    sampled,
    sampling_details,
    secret_codes,
    secrets,
)
from core.metrics.value import MetricValue


def _summary(d: Diversity) -> dict[str, object]:
    return {"l": d.l, "classes": d.classes,
            "share_below": {str(t): v for t, v in d.below.items()},
            "homogeneous_share_of_shared_classes": d.homogeneous_shared}


class LDiversity(Metric):
    """Distinct l-diversity per secret in the synthetic table, with the training table's l."""

    key = "privacy.l_diversity"
    name = "l-diversity"
    description = (
        "Smallest number of distinct values of a protected attribute or the target among "
        "synthetic rows sharing their other quasi-identifiers (table row: the worst secret; "
        "the training table's l is the baseline, and the score is the ratio of the two, capped "
        "at 1); higher is better, 1 means some class gives its secret away."
    )
    goal = Goal.MAXIMIZE
    min_value = 1.0
    max_value = math.inf  # the score is relative to the training l (relative_score)

    def compute(self, ctx: EvalContext) -> list[MetricValue]:
        """One row per secret (columns=(secret,)) and a table row for the worst secret."""
        qis, names = quasi_identifiers(ctx), secrets(ctx)
        if not qis:
            return [self.not_computed(MSG_NO_QI)]
        if not names:
            return [self.not_computed(MSG_NO_SECRETS)]
        if len(ctx.synthetic) == 0 or len(ctx.real) == 0:
            return [self.not_computed("there are no synthetic or no training rows")]
        frames = {"real": sampled(ctx, "real"), "synthetic": sampled(ctx, "synthetic")}
        sides = list(frames.values())
        rows = []
        for secret in names:
            known = known_for(qis, secret)
            if not known:
                rows.append(self.not_computed(MSG_SECRET_ONLY_QI.format(secret=secret),
                                              (secret,)))
                continue
            real_cls, syn_cls = class_codes(sides, known)
            real_sec, syn_sec = secret_codes(sides, secret, secret in ctx.numerical,
                                             ctx.config.bins)
            syn, real = diversity(syn_cls, syn_sec), diversity(real_cls, real_sec)
            details = {
                "secret": secret, "quasi_identifiers": known,
                "secret_binned": secret in ctx.numerical, "bins": ctx.config.bins,
                "numeric_distinct_values": numeric_distinct(ctx, known),
                "synthetic": _summary(syn), "real": _summary(real),
            }
            row = self.value(float(syn.l), (secret,), baseline=float(real.l), n=len(syn_cls),
                             details=details)
            rows.append(replace(row, score=relative_score(syn.l, real.l)))
        done = [r for r in rows if r.value is not None]
        if not done:
            return [self.not_computed("no secret could be checked (see the per-column rows)"),
                    *rows]
        # The worst secret by score (relative to training), then by l.
        worst = min(done, key=lambda r: (r.score, r.value))
        table = self.value(
            worst.value, baseline=worst.baseline, n=worst.n,
            details={"worst_secret": worst.columns[0], "score_basis": SCORE_BASIS.format(m="l"),
                     "l": {r.columns[0]: r.value for r in done},
                     "real_l": {r.columns[0]: r.baseline for r in done},
                     "grouping": "exact values; missing is a value of its own; numerical "
                                 f"secrets in {ctx.config.bins} equal-width bins",
                     **sampling_details(frames, ctx)},
        )
        return [replace(table, score=worst.score), *rows]
