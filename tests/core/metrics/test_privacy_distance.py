"""The DCR engine agrees with SDMetrics' dcr_utils row by row, and finds the two nearest rows."""

import numpy as np
import pandas as pd
import pytest
from sdmetrics.single_table import DCRBaselineProtection
from sdmetrics.single_table.privacy.dcr_utils import calculate_dcr

from core.metrics.privacy._calc.distance import nearest
from core.metrics.privacy._calc.neighbours import random_rows, row_hashes

META = {
    "columns": {
        "a": {"sdtype": "numerical"},
        "b": {"sdtype": "numerical"},
        "c": {"sdtype": "categorical"},
        "d": {"sdtype": "categorical"},
    }
}


def mixed(n: int, seed: int) -> pd.DataFrame:
    """n rows x 4 mixed columns with a few missing values and many near-ties."""
    rng = np.random.default_rng(seed)
    df = pd.DataFrame({
        "a": rng.normal(size=n).round(1),
        "b": rng.integers(0, 5, n).astype(float),
        "c": rng.choice(["x", "y", "z"], n).astype(object),
        "d": rng.choice(["p", "q"], n).astype(object),
    })
    df.loc[rng.random(n) < 0.1, "a"] = np.nan
    df.loc[rng.random(n) < 0.1, "c"] = np.nan
    return df


def test_nearest_distance_equals_sdmetrics_calculate_dcr():
    # Setup
    query, reference = mixed(60, 1), mixed(50, 2)

    # Run
    ours = nearest(query, reference, ["a", "b"])
    theirs = calculate_dcr(query, reference, META).to_numpy()

    # Assert
    np.testing.assert_allclose(ours.distance, theirs, atol=1e-6)


def test_nearest_handles_dates_constant_and_all_missing_columns_like_sdmetrics():
    # Setup
    query, reference = mixed(40, 3), mixed(30, 4)
    reference["b"] = 2.0  # range 0: any difference counts 1
    reference.loc[:3, "b"] = np.nan
    query.loc[:5, "b"] = np.nan
    reference["a"] = np.nan  # no range at all
    query["t"] = pd.to_datetime("2020-01-01") + pd.to_timedelta(np.arange(40) * 3.7, unit="D")
    reference["t"] = pd.to_datetime("2020-03-01") + pd.to_timedelta(np.arange(30) * 50, unit="h")
    query.loc[3, "t"] = pd.NaT
    meta = {"columns": {**META["columns"], "t": {"sdtype": "datetime"}}}

    # Run
    ours = nearest(query, reference, ["a", "b", "t"])
    theirs = calculate_dcr(query, reference, meta).to_numpy()

    # Assert
    np.testing.assert_allclose(ours.distance, theirs, atol=1e-6)


def test_nearest_finds_first_and_second_nearest_of_the_full_distance_matrix():
    # Setup: the full distance matrix by brute force with SDMetrics' formula (its nearest
    # distances are checked against calculate_dcr itself below)
    query, reference = mixed(25, 5), mixed(20, 6)
    reference[["a", "b"]] = reference[["a", "b"]].fillna(0.5)
    lo, hi = reference[["a", "b"]].min(), reference[["a", "b"]].max()
    qn = (query[["a", "b"]] - lo) / (hi - lo)
    rn = (reference[["a", "b"]] - lo) / (hi - lo)
    num = np.minimum(np.abs(qn.to_numpy()[:, None, :] - rn.to_numpy()[None, :, :]), 1.0)
    num = np.where(np.isnan(num), 1.0, num)
    qc, rc = query[["c", "d"]].fillna("NA").to_numpy(), reference[["c", "d"]].fillna("NA")
    cat = qc[:, None, :] != rc.to_numpy()[None, :, :]
    full = (num.sum(axis=2) + cat.sum(axis=2)) / 4

    # Run
    ours = nearest(query, reference, ["a", "b"])

    # Assert
    ordered = np.sort(full, axis=1)
    np.testing.assert_allclose(ours.distance, ordered[:, 0], atol=1e-6)
    np.testing.assert_allclose(ours.distance2, ordered[:, 1], atol=1e-6)
    rows = np.arange(len(query))
    np.testing.assert_allclose(full[rows, ours.index], ours.distance, atol=1e-6)
    np.testing.assert_allclose(full[rows, ours.index2], ours.distance2, atol=1e-6)
    assert (ours.index != ours.index2).all()
    np.testing.assert_allclose(
        ours.distance, calculate_dcr(query, reference, META).to_numpy(), atol=1e-6
    )


def test_nearest_refuses_empty_tables():
    # Setup
    empty = mixed(5, 7).iloc[:0]

    # Run / Assert
    with pytest.raises(ValueError, match="needs rows and columns"):
        nearest(empty, mixed(5, 8), ["a", "b"])


def test_random_rows_are_the_rows_sdmetrics_draws_for_its_baseline(monkeypatch):
    # Setup
    real = mixed(30, 9)
    monkeypatch.setattr(DCRBaselineProtection, "_seed", 7)
    np.random.seed(7)

    # Run
    theirs = DCRBaselineProtection._generate_random_data(real, 45)
    ours = random_rows(real, 45, 7)

    # Assert
    pd.testing.assert_frame_equal(ours, theirs, check_dtype=False)


def test_row_hashes_treat_missing_and_signed_zero_as_equal():
    # Setup
    left = pd.DataFrame({"a": [0.0, np.nan, 1.0], "c": ["x", np.nan, "y"]})
    right = pd.DataFrame({"a": [-0.0, np.nan, 2.0], "c": ["x", np.nan, "y"]})

    # Run
    same = row_hashes(left) == row_hashes(right)

    # Assert
    assert same.tolist() == [True, True, False]


def brute_force(query: pd.DataFrame, reference: pd.DataFrame) -> np.ndarray:
    """Full distance matrix with SDMetrics' formula for the columns of ``mixed`` tables."""
    total = np.zeros((len(query), len(reference)))
    for col in ("a", "b"):
        q, r = query[col].to_numpy(), reference[col].to_numpy()
        span = np.nanmax(r) - np.nanmin(r)
        diff = np.minimum(np.abs(q[:, None] - r[None, :]) / span, 1.0)
        q_nan, r_nan = np.isnan(q)[:, None], np.isnan(r)[None, :]
        total += np.where(q_nan & r_nan, 0.0, np.where(q_nan | r_nan, 1.0, diff))
    for col in ("c", "d"):
        q, r = query[col].fillna("<NA>").to_numpy(), reference[col].fillna("<NA>").to_numpy()
        total += q[:, None] != r[None, :]
    return total / 4


def test_best_first_search_over_many_blocks_stays_exact():
    # Setup: 1,500 reference rows (6 blocks), queries with categories the reference lacks
    query, reference = mixed(300, 10), mixed(1500, 11)
    query.loc[::7, "c"] = "only-in-query"
    query.loc[::5, "a"] = query["a"] * 3  # some numbers outside the reference range
    full = brute_force(query, reference)

    # Run
    ours = nearest(query, reference, ["a", "b"])

    # Assert
    ordered = np.sort(full, axis=1)
    np.testing.assert_allclose(ours.distance, ordered[:, 0], atol=1e-6)
    np.testing.assert_allclose(ours.distance2, ordered[:, 1], atol=1e-6)
    rows = np.arange(len(query))
    np.testing.assert_allclose(full[rows, ours.index], ours.distance, atol=1e-6)
    np.testing.assert_allclose(full[rows, ours.index2], ours.distance2, atol=1e-6)
