"""The vectorised per-group KS/TV complements equal fidelity/stats.py group by group."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from core.metrics.fairness._calc.grouped_stats import grouped_ks_complement, grouped_tv_complement
from core.metrics.fidelity._calc.stats import ks_complement, tv_complement


def one_by_one(stat, a, ga, b, gb, n_groups):
    return np.array([stat(a[ga == g], b[gb == g]) for g in range(n_groups)])


def test_docstring_examples() -> None:
    # Setup
    a, b = pd.Series([1.0, 2, 9]), pd.Series([1.0, 2, 5])
    groups = np.array([0, 0, 1])

    # Run
    ks = grouped_ks_complement(a, groups, b, groups, 2)
    tv = grouped_tv_complement(pd.Series(["x", "y"]), np.array([0, 0]),
                               pd.Series(["x", "x"]), np.array([0, 0]), 1)

    # Assert
    assert list(ks) == [1.0, 0.0]
    assert list(tv) == [0.5]


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_numbers_with_ties_and_missing_values_match_ks_complement(seed: int) -> None:
    # Setup: few distinct values (many ties), NaNs, rows outside every group (-1), and a group
    # with no row in b
    rng = np.random.default_rng(seed)
    a = pd.Series(rng.integers(0, 6, 80).astype(float))
    b = pd.Series(rng.integers(1, 7, 60).astype(float))
    a[rng.random(80) < 0.1] = np.nan
    ga, gb = rng.integers(-1, 4, 80), rng.integers(-1, 3, 60)

    # Run
    got = grouped_ks_complement(a, ga, b, gb, 4)

    # Assert
    expected = one_by_one(ks_complement, a, ga, b, gb, 4)
    np.testing.assert_allclose(got, expected, rtol=0, atol=1e-12)
    assert np.isnan(got[3])


def test_dates_match_ks_complement() -> None:
    # Setup
    rng = np.random.default_rng(0)
    a = pd.Series(pd.Timestamp("2020-01-01") + pd.to_timedelta(rng.integers(0, 30, 50), "D"))
    b = pd.Series(pd.Timestamp("2020-01-10") + pd.to_timedelta(rng.integers(0, 30, 40), "D"))
    ga, gb = rng.integers(0, 2, 50), rng.integers(0, 2, 40)

    # Run
    got = grouped_ks_complement(a, ga, b, gb, 2)

    # Assert
    np.testing.assert_allclose(got, one_by_one(ks_complement, a, ga, b, gb, 2), atol=1e-12)


@pytest.mark.parametrize("seed", [0, 1])
def test_categories_with_missing_values_match_tv_complement(seed: int) -> None:
    # Setup: a category only in b, NaNs, a group with no row in a
    rng = np.random.default_rng(seed)
    a = pd.Series(rng.choice(["p", "q", "r"], 70).astype(object))
    b = pd.Series(rng.choice(["p", "q", "s"], 50).astype(object))
    a[rng.random(70) < 0.1] = np.nan
    ga, gb = rng.integers(-1, 3, 70), rng.integers(-1, 4, 50)

    # Run
    got = grouped_tv_complement(a, ga, b, gb, 4)

    # Assert
    np.testing.assert_allclose(got, one_by_one(tv_complement, a, ga, b, gb, 4), atol=1e-12)
    assert np.isnan(got[3])
