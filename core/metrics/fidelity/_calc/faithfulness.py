"""The shared computation behind α-precision, β-recall and authenticity: once per evaluation.

Steps (``ctx.cached``, so the three metrics share one embedding and one set of neighbour
searches):

1. Equal-size samples of the real (training) rows and the synthetic rows, at most
   ``ROWS_PER_SIDE`` each (synthcity's ``AlphaPrecision`` needs equal sizes); the holdout, when
   there is one, against an equal-size sample of those real rows for the noise floor.
2. Rows encoded on a common scale (:func:`.encoding.unit_features`: numbers min-max scaled to the
   real rows' range, categories one-hot).
3. The one-class network (:mod:`.one_class`) trained on at most ``TRAIN_ROWS`` of the sampled
   real rows for ``EPOCHS`` full-batch epochs (synthcity: 1000 epochs on every real row).
4. :func:`.alpha_precision.sample_level_scores` for the synthetic rows, and again for the
   holdout rows in their place: the baseline, what a fresh real sample reaches. A fresh sample
   scores about 1 on α-precision but only about 0.5 on β-recall and authenticity (its nearest
   neighbours are as often real as not), so the baseline, not 1.0, says what is achievable.

On Adult the whole computation takes about 2.5 s of CPU (training 1.2 s, neighbour searches
1.3 s for the synthetic and the holdout rows).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from core.metrics.context import EvalContext
from core.metrics.fidelity._calc.alpha_precision import (
    ALPHAS,
    SampleLevelScores,
    sample_level_scores,
)
from core.metrics.fidelity._calc.encoding import unit_features
from core.metrics.fidelity._calc.one_class import HIDDEN, LAYERS, fit_one_class
from core.metrics.metric import Metric
from core.metrics.value import MetricValue

ROWS_PER_SIDE = 5_000  # neighbour searches grow with the square of the rows
# 2,000 rows gave the same scores on Adult, within their spread from seed to seed, at twice the
# cost (about 2.3 s of CPU instead of 1.2 s).
TRAIN_ROWS = 1_000
EPOCHS = 1_000
MIN_ROWS = 20  # a quantile curve over 30 levels needs more rows than levels to mean anything

MSG_NO_COLUMNS = "there are no columns to compare"
MSG_TOO_FEW = (
    "too few rows: the sample-level scores need at least {need} real and {need} synthetic rows "
    "(there are {real} and {synthetic})"
)
MSG_CONSTANT = "every compared column has a single value, so no row differs from another"


@dataclass(frozen=True)
class Faithfulness:
    """The three scores for the synthetic rows and for the holdout rows (the noise floor).

    Attributes:
        synthetic: Scores of the synthetic rows; None when not computed (see ``reason``).
        holdout: Scores of the holdout rows in their place; None without a holdout.
        rows_per_side: Real and synthetic rows compared (equal sizes).
        holdout_rows_per_side: Real and holdout rows compared for the baseline.
        details: JSON-ready description of the samples and the embedding.
        reason: Why nothing was computed, or None.
    """

    synthetic: SampleLevelScores | None
    holdout: SampleLevelScores | None
    rows_per_side: int
    holdout_rows_per_side: int
    details: dict[str, Any]
    reason: str | None = None


def faithfulness(ctx: EvalContext) -> Faithfulness:
    """The shared α-precision / β-recall / authenticity computation of this evaluation."""
    return ctx.cached("fidelity:faithfulness", lambda: _compute(ctx))


def _compute(ctx: EvalContext) -> Faithfulness:
    if not ctx.columns:
        return Faithfulness(None, None, 0, 0, {}, MSG_NO_COLUMNS)
    n = min(len(ctx.real), len(ctx.synthetic), ROWS_PER_SIDE, ctx.config.max_rows)
    if n < MIN_ROWS:
        reason = MSG_TOO_FEW.format(need=MIN_ROWS, real=len(ctx.real), synthetic=len(ctx.synthetic))
        return Faithfulness(None, None, 0, 0, {}, reason)
    real = ctx.sample(ctx.real, n, salt=21, table="training")
    synth = ctx.sample(ctx.synthetic, n, salt=22, table="synthetic")
    n_hold = min(n, len(ctx.holdout))
    hold = ctx.sample(ctx.holdout, n_hold, salt=23, table="holdout") if n_hold >= MIN_ROWS else None
    rng = np.random.default_rng(ctx.config.seed + 24)
    frames = [real, synth] + ([hold] if hold is not None else [])
    x_real, x_synth, *x_hold = unit_features(ctx, frames)
    if x_real.shape[1] == 0:
        return Faithfulness(None, None, 0, 0, {}, MSG_CONSTANT)

    train = np.sort(rng.choice(n, size=min(n, TRAIN_ROWS), replace=False))
    model = fit_one_class(x_real[train], EPOCHS, ctx.config.seed)
    e_real = model.transform(x_real)
    scores = sample_level_scores(e_real, model.transform(x_synth), model.centre)
    base = None
    if hold is not None:
        sub = np.arange(n) if n_hold == n else np.sort(rng.choice(n, size=n_hold, replace=False))
        base = sample_level_scores(e_real[sub], model.transform(x_hold[0]), model.centre)
    details = {
        "rows_per_side": n,
        "holdout_rows_per_side": n_hold if hold is not None else 0,
        "alphas": [round(float(a), 4) for a in ALPHAS],
        "embedding": {
            "method": "Deep SVDD one-class network as synthcity's OneClassLayer (numpy)",
            "layers": f"{x_real.shape[1]} -> " + " -> ".join([str(HIDDEN)] * LAYERS)
            + f" -> {x_real.shape[1]}, ReLU, no biases, centre 10",
            "training_rows": len(train),
            "epochs": EPOCHS,
            "first_loss": round(model.first_loss, 4),
            "last_loss": round(model.last_loss, 4),
            "features": int(x_real.shape[1]),
        },
    }
    return Faithfulness(scores, base, n, n_hold if hold is not None else 0, details)


def score_row(metric: Metric, ctx: EvalContext, score: str, curve: str | None) -> MetricValue:
    """The table-level row of one of the three metrics.

    Args:
        metric: The metric producing the row.
        ctx: The evaluation.
        score: The :class:`SampleLevelScores` field that is the value, e.g. ``"beta_recall"``.
        curve: The field holding its curve over ``ALPHAS``, or None (authenticity has none).

    Returns:
        The value with the holdout's value as its baseline, ``n`` = rows of both sides, and
        the curves of both in the details; or not computed with the reason.
    """
    f = faithfulness(ctx)
    if f.synthetic is None:
        return metric.not_computed(f.reason or "the sample-level scores were not computed")
    details = dict(f.details)
    baseline = None
    if curve is not None:
        details["curve"] = [round(float(v), 4) for v in getattr(f.synthetic, curve)]
    if f.holdout is not None:
        baseline = float(getattr(f.holdout, score))
        if curve is not None:
            details["holdout_curve"] = [round(float(v), 4) for v in getattr(f.holdout, curve)]
    return metric.value(
        float(getattr(f.synthetic, score)), baseline=baseline, n=2 * f.rows_per_side,
        details=details,
    )
