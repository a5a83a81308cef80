"""DCR-based privacy metrics: agreement with SDMetrics and known answers."""

import warnings

import numpy as np
import pandas as pd
import pytest
from sdmetrics.single_table import DCRBaselineProtection, DCROverfittingProtection
from sdmetrics.single_table.privacy.dcr_utils import calculate_dcr

from core.metrics.config import EvalConfig
from core.metrics.context import EvalContext
from core.metrics.privacy._calc.by_group import MSG_SMALL_GROUP
from core.metrics.privacy._calc.neighbours import frame, neighbours
from core.metrics.privacy.dcr import DistanceToClosestRecord
from core.metrics.privacy.dcr_share import DCRCloserToTraining, share_closer
from core.metrics.privacy.exact_copies import ExactCopies
from core.metrics.privacy.membership import DistanceMembershipInference, attack_auc
from core.metrics.privacy.nndr import NearestNeighbourDistanceRatio
from core.metrics.privacy.unique_qi import UniqueQuasiIdentifierMatches, unique_matches
from core.schema import ColumnSpec, Schema

SCHEMA = Schema(
    columns=(ColumnSpec("a", "numerical"), ColumnSpec("b", "numerical"),
             ColumnSpec("c", "categorical"), ColumnSpec("d", "categorical")),
    target="c", protected=("d",), quasi_identifiers=("b", "d"),
)
META = {"columns": {"a": {"sdtype": "numerical"}, "b": {"sdtype": "numerical"},
                    "c": {"sdtype": "categorical"}, "d": {"sdtype": "categorical"}}}


def table(n: int, seed: int) -> pd.DataFrame:
    """n rows x 4 mixed columns, a few missing values; group d='r' is tiny."""
    rng = np.random.default_rng(seed)
    df = pd.DataFrame({
        "a": rng.normal(size=n).round(2),
        "b": rng.integers(0, 5, n).astype(float),
        "c": rng.choice(["x", "y", "z"], n).astype(object),
        "d": rng.choice(["p", "q"], n).astype(object),
    })
    df.loc[rng.random(n) < 0.1, "a"] = np.nan
    df.loc[rng.random(n) < 0.1, "c"] = np.nan
    df.loc[0, "d"] = "r"
    return df


def context(synthetic: pd.DataFrame | None = None, seed: int = 0) -> EvalContext:
    real, holdout = table(60, 1), table(40, 2)
    syn = table(60, 3) if synthetic is None else synthetic
    return EvalContext(real, holdout, syn, SCHEMA, EvalConfig(seed=seed))


def test_dcr_values_equal_sdmetrics_rows_and_scores(monkeypatch):
    # Setup
    ctx = context(seed=5)
    monkeypatch.setattr(DCRBaselineProtection, "_seed", 5)
    np.random.seed(5)  # SDMetrics draws the random rows' missing masks from the global state
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        baseline = DCRBaselineProtection.compute_breakdown(ctx.real, ctx.synthetic, META, None)
        overfit = DCROverfittingProtection.compute_breakdown(
            ctx.real, ctx.synthetic, ctx.holdout, META, None
        )
    per_row = calculate_dcr(ctx.synthetic, ctx.real, META).to_numpy()
    holdout_rows = calculate_dcr(ctx.holdout, ctx.real, META).to_numpy()

    # Run
    row = DistanceToClosestRecord().run(ctx)[0]

    # Assert
    ours = row.details["sdmetrics"]
    np.testing.assert_allclose(neighbours(ctx, "synthetic", "real").distance, per_row, atol=1e-6)
    assert row.value == pytest.approx(np.median(per_row), abs=1e-6)
    assert row.baseline == pytest.approx(np.median(holdout_rows), abs=1e-6)
    assert ours["dcr_baseline_protection"] == pytest.approx(baseline["score"], abs=1e-6)
    assert ours["median_dcr_random"] == pytest.approx(
        baseline["median_DCR_to_real_data"]["random_data_baseline"], abs=1e-6)
    assert ours["dcr_overfitting_protection"] == pytest.approx(overfit["score"], abs=1e-6)
    assert ours["closer_to_training"] == pytest.approx(
        overfit["synthetic_data_percentages"]["closer_to_training"], abs=1e-6)
    assert row.score == pytest.approx(min(row.value / row.baseline, 1.0))


def test_dcr_lists_the_riskiest_rows_by_index_only():
    # Setup
    ctx = context()

    # Run
    risky = DistanceToClosestRecord().run(ctx)[0].details["riskiest"]

    # Assert
    per_row = calculate_dcr(ctx.synthetic, ctx.real, META).to_numpy()
    assert len(risky["synthetic_row"]) == 50
    np.testing.assert_allclose(risky["distance"], np.sort(per_row)[:50], atol=1e-6)
    nb = neighbours(ctx, "synthetic", "real")  # tables are small: positions are row indices
    assert risky["training_row"] == nb.index[risky["synthetic_row"]].tolist()
    np.testing.assert_allclose(per_row[risky["synthetic_row"]], risky["distance"], atol=1e-6)
    assert set(risky) == {"synthetic_row", "training_row", "distance"}


def test_dcr_share_equals_sdmetrics_overfitting_protection_on_the_same_samples():
    # Setup
    ctx = context()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs = DCROverfittingProtection.compute_breakdown(
            frame(ctx, "real_eq"), ctx.synthetic, frame(ctx, "holdout_eq"), META, None
        )

    # Run
    row = DCRCloserToTraining().run(ctx)[0]

    # Assert
    assert row.details["sample_rows_per_side"] == 40
    assert row.details["closer_to_training_strict"] == pytest.approx(
        theirs["synthetic_data_percentages"]["closer_to_training"], abs=1e-6)
    assert row.ci_low <= row.value <= row.ci_high


def test_share_closer_counts_ties_half():
    # Setup
    to_training, to_holdout = np.array([0.0, 1.0, 0.5, 0.2]), np.array([1.0, 0.0, 0.5, 0.3])

    # Run
    share = share_closer(to_training, to_holdout)

    # Assert
    assert share == pytest.approx((1 + 0 + 0.5 + 1) / 4)


def test_identical_copy_of_training_fails_every_distance_metric():
    # Setup: equal training and holdout sizes, so the training sample is all training rows
    real, holdout = table(50, 11), table(50, 12)
    ctx = EvalContext(real, holdout, real.copy(), SCHEMA, EvalConfig())

    # Run
    copies = ExactCopies().run(ctx)[0]
    share = DCRCloserToTraining().run(ctx)[0]
    mia = DistanceMembershipInference().run(ctx)[0]
    dcr = DistanceToClosestRecord().run(ctx)[0]
    nndr = NearestNeighbourDistanceRatio().run(ctx)[0]

    # Assert
    assert copies.value == 1.0 and copies.score == 0.0
    assert copies.details["count"] == 50
    assert copies.details["synthetic_rows"] == list(range(50))
    assert share.value > 0.9 and share.score < 0.2
    assert mia.value > 0.9 and mia.score < 0.2
    assert dcr.value == 0.0 and dcr.score == 0.0
    assert nndr.value == 0.0


def test_independent_noise_has_no_copies_and_no_membership_signal():
    # Setup
    rng = np.random.default_rng(0)
    real, holdout = table(200, 21), table(200, 22)
    noise = pd.DataFrame({
        "a": rng.uniform(-3, 3, 200), "b": rng.uniform(0, 4, 200),
        "c": rng.choice(["x", "y", "z"], 200), "d": rng.choice(["p", "q"], 200),
    })
    ctx = EvalContext(real, holdout, noise, SCHEMA, EvalConfig())

    # Run
    copies = ExactCopies().run(ctx)[0]
    share = DCRCloserToTraining().run(ctx)[0]
    mia = DistanceMembershipInference().run(ctx)[0]

    # Assert
    assert copies.value == 0.0
    assert 0.4 < share.value < 0.6
    assert mia.ci_low < 0.5 < mia.ci_high or abs(mia.value - 0.5) < 0.08


def test_group_rows_skip_groups_with_too_few_training_rows():
    # Setup
    ctx = context()

    # Run
    rows = DCRCloserToTraining().run(ctx)

    # Assert
    by_group = {r.group: r for r in rows if r.group}
    assert set(by_group) == {"d=p", "d=q", "d=r"}
    assert by_group["d=r"].status == "not_computed"
    assert by_group["d=r"].reason == MSG_SMALL_GROUP.format(n=1, min_rows=5)
    assert by_group["d=p"].status == "ok" and 0 <= by_group["d=p"].score <= 1
    expected = share_closer(
        neighbours(ctx, "synthetic", "real_eq").distance[ctx.synthetic["d"] == "p"],
        neighbours(ctx, "synthetic", "holdout_eq").distance[ctx.synthetic["d"] == "p"],
    )
    assert by_group["d=p"].value == pytest.approx(expected)


def test_exact_copies_and_attack_per_group():
    # Setup: synthetic rows copy the training rows of group q only
    real, holdout = table(60, 31), table(60, 32)
    syn = table(60, 33)
    q_rows = real[real["d"] == "q"]
    syn.iloc[: len(q_rows)] = q_rows.to_numpy()
    ctx = EvalContext(real, holdout, syn, SCHEMA, EvalConfig())

    # Run
    copies = {r.group: r for r in ExactCopies().run(ctx)}
    mia = {r.group: r for r in DistanceMembershipInference().run(ctx)}

    # Assert
    assert copies["d=q"].value == pytest.approx(len(q_rows) / (syn["d"] == "q").sum())
    assert copies["d=p"].value == 0.0
    assert mia["d=q"].value > mia["d=p"].value
    assert attack_auc(np.array([0.0]), np.array([0.3])) == 1.0


def test_unique_qi_matches_known_answer():
    # Setup
    rows = pd.DataFrame({"q": [1.0, 1.0, 2.0, 3.0, np.nan]})
    training = pd.DataFrame({"q": [2.0, 3.0, 3.0, np.nan]})

    # Run
    mask = unique_matches(rows, training)

    # Assert
    assert mask.tolist() == [False, False, True, False, True]


def test_unique_qi_metric_needs_quasi_identifiers():
    # Setup
    schema = Schema(columns=SCHEMA.columns, target="c", protected=("d",))
    ctx = EvalContext(table(20, 1), table(20, 2), table(20, 3), schema, EvalConfig())

    # Run
    row = UniqueQuasiIdentifierMatches().run(ctx)[0]

    # Assert
    assert row.status == "not_computed"
    assert "no quasi-identifiers" in row.reason
