"""Correct Attribution Probability (CAP, Taub et al. 2018), as SDMetrics computes it, vectorised.

The attacker knows a target person's quasi-identifiers (the *key*) and looks them up in a table
they hold (the synthetic rows). Among the rows with that exact key, the share that carry the
target's true secret value is the probability that a guess drawn from those rows is right. The
CAP risk is that probability averaged over the targets whose key occurs in the table at all;
targets whose key does not occur are left out (SDMetrics ``CategoricalCAP``). ZeroCAP counts them
as a probability of 0 instead (SDMetrics ``CategoricalZeroCAP``).

SDMetrics reports *protection*, not risk: ``DisclosureProtection`` =
``min((1 - CAP) / (1 - 1/K), 1)``, where ``1 - CAP`` is its ``cap_protection`` and
``1 - 1/K`` its ``baseline_protection`` (K = distinct secret values in the real rows: a uniform
random guess). SDMetrics loops over rows in Python; this module gives the same numbers with
grouped counts (``tests/core/metrics/test_privacy_cap.py`` checks them against SDMetrics).

Example: synthetic keys/secrets ``(a, x), (a, x), (a, y), (b, y)``; a target ``(a, x)`` finds
three rows with key ``a``, two of them ``x``: probability 2/3. A target ``(c, x)`` finds none.
CAP = 2/3 (one target matched); ZeroCAP = 1/3.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from anonymeter.stats.confidence import residual_success, success_rate

CONFIDENCE = 0.95


@dataclass(frozen=True)
class Attribution:
    """How well one attacker table attributes the secret of one set of targets.

    Attributes:
        risk: The CAP risk: mean probability of the right value over matched targets; None
            when no target's key occurs in the attacker's table (SDMetrics returns NaN).
        zero_risk: ZeroCAP risk: the same mean with unmatched targets counted as 0.
        matched: Targets whose key occurs in the attacker's table.
        targets: All targets.
        success: Sum of the matched targets' probabilities (``risk * matched``).
    """

    risk: float | None
    zero_risk: float | None
    matched: int
    targets: int
    success: float


def attribution(
    target_keys: np.ndarray,
    target_secret: np.ndarray,
    table_keys: np.ndarray,
    table_secret: np.ndarray,
) -> Attribution:
    """CAP of targets (keys and true secret codes) against an attacker's table.

    Keys and secrets are integer codes numbered the same on both sides
    (:func:`core.metrics.privacy._calc.equivalence.class_codes` / ``secret_codes``).
    """
    n = len(target_keys)
    if n == 0:
        return Attribution(None, None, 0, 0, 0.0)
    width = int(max(target_secret.max(initial=0), table_secret.max(initial=0))) + 1
    size = int(max(target_keys.max(initial=0), table_keys.max(initial=0))) + 1
    rows_with_key = np.bincount(table_keys, minlength=size)[target_keys]
    pair_counts = pd.Series(table_keys * width + table_secret).value_counts()
    right = (pd.Series(target_keys * width + target_secret).map(pair_counts)
             .fillna(0).to_numpy(dtype="float64"))
    matched = rows_with_key > 0
    prob = np.where(matched, right / np.maximum(rows_with_key, 1), 0.0)
    m = int(matched.sum())
    success = float(prob[matched].sum())
    return Attribution(
        risk=success / m if m else None, zero_risk=success / n, matched=m, targets=n,
        success=success,
    )


def disclosure_protection(risk: float, distinct: int) -> float | None:
    """SDMetrics' ``DisclosureProtection`` score from a CAP risk and K distinct real values.

    None where SDMetrics returns NaN (one distinct value: a random guess is always right).
    Example: risk 0.6, K 2 -> min(0.4 / 0.5, 1) = 0.8.
    """
    baseline_protection = 1 - 1 / distinct
    if baseline_protection == 0:
        return None
    return min((1 - risk) / baseline_protection, 1.0)


@dataclass(frozen=True)
class ExcessRisk:
    """The CAP risk on training rows in excess of the same attack on holdout rows.

    Anonymeter's residual risk (Giomi et al. 2023, ``anonymeter.stats.confidence``):
    ``(train - control) / (1 - control)``, bounded to [0, 1], with its 95% interval from Wilson
    intervals on both rates. A CAP is a mean of probabilities, not of 0/1 successes; the
    Wilson interval treats it as the latter, which is conservative (a [0, 1] variable with
    mean p has variance at most p(1 - p)).

    Attributes:
        value: The bounded residual risk.
        ci_low: Lower end of its 95% interval.
        ci_high: Upper end.
        residual: The residual before bounding (negative: holdout rows are easier to attack).
    """

    value: float
    ci_low: float
    ci_high: float
    residual: float


def excess_risk(train: Attribution, control: Attribution) -> ExcessRisk:
    """The residual risk of ``train`` over ``control`` (both with matched targets).

    The Wilson rates lie strictly inside (0, 1), so a control attack that is right on every
    matched holdout row still leaves a finite residual, with an interval as wide as its few
    rows warrant.
    """
    attack = success_rate(n_total=train.matched, n_success=train.success,
                          confidence_level=CONFIDENCE)
    base = success_rate(n_total=control.matched, n_success=control.success,
                        confidence_level=CONFIDENCE)
    residual = residual_success(attack_rate=attack, control_rate=base)
    risk = residual.to_risk()
    return ExcessRisk(value=float(risk.value), ci_low=float(risk.ci[0]),
                      ci_high=float(risk.ci[1]), residual=float(residual.value))
