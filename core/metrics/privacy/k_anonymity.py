"""k-anonymity over the quasi-identifiers, synthetic beside real (Sweeney 2002).

A table is k-anonymous when every combination of quasi-identifier values is shared by at least
k rows. The value is the synthetic table's k (its smallest equivalence class); the baseline is
the training table's k, so a reader sees whether the synthetic copy is more or less k-anonymous
than the rows it was learnt from. The details give, for both tables, the share of rows in
classes smaller than the common k of 2, 5 and 10, and the number of classes.

Grouping: exact values, missing a value of its own, nothing generalised
(:mod:`core.metrics.privacy._calc.equivalence`). Synthcity's ``kAnonymization`` measures
something else: it clusters *all* non-sensitive columns with k-means (2, 5, 10 and 15 clusters)
and reports the smallest cluster, so its k is in the hundreds on Adult and depends on the
clustering; we follow the definition over the declared quasi-identifiers, which is what an
attacker who knows those values faces, and is reproducible without a random clustering.

A synthetic row is not a person, so a small class in the synthetic table is not by itself a
disclosure; which synthetic rows single out real people is :mod:`unique_qi` and the attacks.
The score is the synthetic k over the training k, capped at 1 (as DCR's and NNDR's scores are
relative to their holdout figure): most real tables have k = 1 on a few exact quasi-identifiers,
and a copy as anonymous as its training rows should not pull the privacy family score down.
Above ``max_rows`` rows per table a seeded sample is used (k of a sample is at most the k of
the whole table), and the details say so.
"""

from __future__ import annotations

import math
from dataclasses import replace

from core.metrics.context import EvalContext
from core.metrics.metric import Goal, Metric
from core.metrics.privacy._calc.equivalence import (
    MSG_NO_QI,
    SCORE_BASIS,
    anonymity,
    class_codes,
    numeric_distinct,
    quasi_identifiers,
    relative_score,
    sampled,
    sampling_details,
)
from core.metrics.value import MetricValue


class KAnonymity(Metric):
    """The synthetic table's k over the quasi-identifiers, with the training table's k."""

    key = "privacy.k_anonymity"
    name = "k-anonymity"
    description = (
        "Smallest number of synthetic rows sharing one combination of quasi-identifier values "
        "(exact values; the training table's k is the baseline, and the score is the ratio of "
        "the two, capped at 1); higher is more anonymous, 1 means some synthetic row is unique "
        "on its quasi-identifiers."
    )
    goal = Goal.MAXIMIZE
    min_value = 1.0
    max_value = math.inf  # the score is relative to the training k (relative_score)

    def compute(self, ctx: EvalContext) -> list[MetricValue]:
        """One table-level row: synthetic k, training k as baseline, shares below 2, 5, 10."""
        qis = quasi_identifiers(ctx)
        if not qis:
            return [self.not_computed(MSG_NO_QI)]
        if len(ctx.synthetic) == 0 or len(ctx.real) == 0:
            return [self.not_computed("there are no synthetic or no training rows")]
        frames = {"real": sampled(ctx, "real"), "synthetic": sampled(ctx, "synthetic")}
        real_codes, syn_codes = class_codes(list(frames.values()), qis)
        syn, real = anonymity(syn_codes), anonymity(real_codes)
        details = {
            "quasi_identifiers": qis,
            "grouping": "exact values; missing is a value of its own",
            "numeric_distinct_values": numeric_distinct(ctx, qis),
            "score_basis": SCORE_BASIS.format(m="k"),
            "synthetic": {"k": syn.k, "classes": syn.classes, "rows": syn.rows,
                          "share_below": {str(t): v for t, v in syn.below.items()}},
            "real": {"k": real.k, "classes": real.classes, "rows": real.rows,
                     "share_below": {str(t): v for t, v in real.below.items()}},
            **sampling_details(frames, ctx),
        }
        row = self.value(float(syn.k), baseline=float(real.k), n=syn.rows, details=details)
        return [replace(row, score=relative_score(syn.k, real.k))]
