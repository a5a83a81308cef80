"""K-way marginals (NIST SDNist k-marginal): joint distributions of random column combinations."""

from __future__ import annotations

import itertools
import math

import numpy as np
from scipy import stats

from core.metrics.context import EvalContext
from core.metrics.fidelity._calc.encoding import codes, tv_similarity
from core.metrics.fidelity._calc.rows import has_holdout, jsonable, mean_of, value_or_reason
from core.metrics.metric import Metric
from core.metrics.value import MetricValue

MAX_ENUMERATED = 100_000  # enumerate all combinations below this count, else draw at random


def choose_combinations(n_columns: int, k: int, wanted: int, seed: int) -> list[tuple[int, ...]]:
    """``wanted`` distinct k-column combinations (all of them if there are fewer), seeded.

    Returned sorted, each combination in column order, so the choice is reproducible.
    """
    total = math.comb(n_columns, k)
    rng = np.random.default_rng(seed)
    if total <= wanted:
        return list(itertools.combinations(range(n_columns), k))
    if total <= MAX_ENUMERATED:
        every = list(itertools.combinations(range(n_columns), k))
        pick = rng.choice(total, size=wanted, replace=False)
        return sorted(every[i] for i in pick)
    chosen: set[tuple[int, ...]] = set()
    while len(chosen) < wanted:
        chosen.add(tuple(sorted(rng.choice(n_columns, size=k, replace=False).tolist())))
    return sorted(chosen)


class KWayMarginals(Metric):
    """Mean of 1 - TVD of the k-way joint distributions over random column combinations.

    Numerical columns are in ``config.bins`` quantile bins of the real data. The confidence
    interval is a 95% t-interval of the mean over the sampled combinations.
    """

    key = "fidelity.kway_marginals"
    name = "K-way marginals"
    description = (
        "How closely the synthetic joint distribution of random groups of k columns matches the "
        "real one (NIST k-marginal); 1.0 means identical for every group."
    )
    baseline_is_noise_floor = True  # baseline: the holdout's value of the same quantity

    def compute(self, ctx: EvalContext) -> list[MetricValue]:
        """Per-combination similarities and their mean with a 95% interval."""
        cfg = ctx.config
        k = cfg.kway_k
        if k < 1 or len(ctx.columns) < k:
            return [self.not_computed(f"k-way marginals need at least {k} columns")]
        if cfg.kway_combinations < 1:
            return [self.not_computed("kway_combinations is below 1")]
        enc = codes(ctx)
        combos = choose_combinations(len(enc.columns), k, cfg.kway_combinations, cfg.seed)
        holdout = has_holdout(ctx)
        rows = []
        for combo in combos:
            idx = list(combo)
            card = enc.cardinality[idx]
            sim = tv_similarity(enc.real[:, idx], enc.synthetic[:, idx], card)
            base = tv_similarity(enc.real[:, idx], enc.holdout[:, idx], card) if holdout else None
            rows.append(
                value_or_reason(
                    self,
                    sim,
                    tuple(enc.columns[i] for i in idx),
                    "the real or the synthetic table has no rows",
                    baseline=base,
                )
            )
        values = np.array([r.value for r in rows if r.value is not None], dtype="float64")
        exhaustive = len(combos) == math.comb(len(enc.columns), k)
        details = {
            "k": k,
            "combinations": len(combos),
            "exhaustive": exhaustive,
            "bins": cfg.bins,
            "scores": [jsonable(v, 4) for v in values],
        }
        if len(values) == 0:
            return [self.not_computed("the real or the synthetic table has no rows")] + rows
        mean = float(values.mean())
        lo = hi = mean
        if len(values) > 1 and not exhaustive:
            half = stats.t.ppf(0.975, len(values) - 1) * values.std(ddof=1) / np.sqrt(len(values))
            lo, hi = max(mean - half, 0.0), min(mean + half, 1.0)
        table = self.value(
            mean,
            baseline=mean_of(r.baseline for r in rows),
            n=len(values),
            ci_low=lo,
            ci_high=hi,
            details=details,
        )
        return [table] + rows
