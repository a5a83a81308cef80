"""Clopper–Pearson bounds, advantage and the ε lower bound of a membership attack's guesses."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.stats import beta, binomtest

from core.metrics.privacy._calc.attack_bounds import (
    Confusion,
    auc,
    best_threshold,
    clopper_pearson,
    confusion,
    epsilon_lower,
)


@pytest.mark.parametrize(("k", "n"), [(3, 20), (1, 7), (19, 20), (50, 100)])
def test_clopper_pearson_is_scipys_exact_interval(k, n):
    # Run
    low, high = clopper_pearson(k, n)

    # Assert: the beta quantiles by definition, and scipy's own exact binomial interval
    assert low == pytest.approx(beta.ppf(0.025, k, n - k + 1), abs=1e-12)
    assert high == pytest.approx(beta.ppf(0.975, k + 1, n - k), abs=1e-12)
    ci = binomtest(k, n).proportion_ci(confidence_level=0.95, method="exact")
    assert (low, high) == pytest.approx((ci.low, ci.high), abs=1e-9)


def test_clopper_pearson_edges():
    # 0 of 30: the upper end solves (1 - p)^30 = 0.025; 30 of 30 mirrors it; no trials: [0, 1].
    assert clopper_pearson(0, 30) == pytest.approx((0.0, 1 - 0.025 ** (1 / 30)))
    assert clopper_pearson(30, 30) == pytest.approx((0.025 ** (1 / 30), 1.0))
    assert clopper_pearson(0, 0) == (0.0, 1.0)


def test_a_perfect_attack_on_30_and_30_trials_proves_epsilon_2_03():
    # Setup: every member flagged, no non-member flagged
    c = Confusion(tp=30, fn=0, fp=0, tn=30)

    # Run
    eps = epsilon_lower(c)

    # Assert: log((1 - FNR_hi) / FPR_hi) with FNR_hi = FPR_hi = 1 - 0.025^(1/30) = 0.1157
    hi = 1 - 0.025 ** (1 / 30)
    assert eps == pytest.approx(math.log((1 - hi) / hi))
    assert eps == pytest.approx(2.034, abs=1e-3)
    assert c.tpr == 1.0 and c.fpr == 0.0 and c.advantage == 1.0


def test_epsilon_lower_uses_the_clopper_pearson_upper_ends_of_both_error_rates():
    # Setup: 18 of 20 members flagged (2 false negatives), 4 of 20 non-members flagged
    c = Confusion(tp=18, fn=2, fp=4, tn=16)

    # Run
    eps = epsilon_lower(c)

    # Assert: the larger of the two DP inequalities, computed from scipy's beta quantiles
    fnr_hi, fpr_hi = beta.ppf(0.975, 3, 18), beta.ppf(0.975, 5, 16)
    expected = max(math.log((1 - fnr_hi) / fpr_hi), math.log((1 - fpr_hi) / fnr_hi), 0.0)
    assert eps == pytest.approx(expected)
    assert 0 < eps < math.log(0.9 / 0.2)  # below the point estimate: a bound, not an estimate
    assert c.advantage == pytest.approx(0.9 - 0.2)


def test_guessing_proves_nothing_and_delta_only_lowers_the_bound():
    # Setup
    coin = Confusion(tp=15, fn=15, fp=15, tn=15)
    strong = Confusion(tp=40, fn=0, fp=1, tn=39)

    # Assert
    assert epsilon_lower(coin) == 0.0 and coin.advantage == 0.0
    assert epsilon_lower(strong, delta=0.01) < epsilon_lower(strong)
    # Only the direction the attack claims counts (members flagged more often, as Jagielski et
    # al.'s two inequalities): an attack flagging exactly the non-members proves nothing here;
    # its threshold was chosen on training trials, where it would have been flipped.
    flipped = Confusion(tp=0, fn=30, fp=30, tn=0)
    assert epsilon_lower(flipped) == 0.0 and flipped.advantage == -1.0


def test_confusion_counts_and_pooling():
    # Setup
    scores = np.array([0.9, 0.8, 0.3, 0.7, 0.1])
    members = np.array([True, True, True, False, False])

    # Run
    c = confusion(scores, members, 0.75)

    # Assert
    assert (c.tp, c.fn, c.fp, c.tn) == (2, 1, 0, 2)
    assert c + c == Confusion(4, 2, 0, 4)
    assert math.isnan(Confusion(0, 0, 1, 1).tpr)


def test_best_threshold_separates_training_trials_midway_and_flags_none_without_signal():
    # Setup
    members = np.array([True, True, False, False])

    # Run / Assert: midway between the lowest member and the highest non-member
    assert best_threshold(np.array([0.9, 0.8, 0.2, 0.1]), members) == pytest.approx(0.5)
    # No threshold beats guessing: it lies above every score, so nobody is flagged
    flat = best_threshold(np.array([0.5, 0.5, 0.5, 0.5]), members)
    assert flat > 0.5 and confusion(np.full(4, 0.5), members, flat).tp == 0
    # One kind only: nothing to separate
    assert best_threshold(np.array([0.3, 0.6]), np.array([True, True])) > 0.6


def test_auc_is_half_for_ties_and_nan_for_one_kind():
    assert auc(np.full(4, 0.5), np.array([True, True, False, False])) == 0.5
    assert auc(np.array([0.9, 0.1]), np.array([True, False])) == 1.0
    assert math.isnan(auc(np.array([0.9, 0.1]), np.array([True, True])))
