"""Fidelity metrics give known answers on tables whose answer is known."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from core.metrics.config import EvalConfig
from core.metrics.context import EvalContext
from core.metrics.fidelity.category_coverage import CategoryCoverage
from core.metrics.fidelity.column_shapes import ColumnShapes
from core.metrics.fidelity.contingency import ContingencySimilarity
from core.metrics.fidelity.correlation import CorrelationPearson, CorrelationSpearman
from core.metrics.fidelity.detection import Detection
from core.metrics.fidelity.invalid_values import InvalidValues
from core.metrics.fidelity.kway_marginals import KWayMarginals, choose_combinations
from core.metrics.fidelity.missing_values import MissingValues
from core.metrics.fidelity.pair_trends import PairTrends
from core.metrics.fidelity.range_coverage import RangeCoverage
from core.metrics.value import NOT_COMPUTED, OK
from core.schema import ColumnSpec, Schema

SCHEMA = Schema(
    columns=(
        ColumnSpec("x", "numerical"),
        ColumnSpec("y", "numerical"),
        ColumnSpec("g", "categorical"),
        ColumnSpec("h", "categorical"),
    )
)


def correlated(n: int = 300, seed: int = 0) -> pd.DataFrame:
    """Strongly related columns: y follows x, g and h follow x's sign and size."""
    rng = np.random.default_rng(seed)
    x = rng.normal(size=n)
    return pd.DataFrame(
        {
            "x": x,
            "y": 3 * x + rng.normal(scale=0.2, size=n),
            "g": np.where(x > 0, "pos", "neg"),
            "h": np.where(np.abs(x) > 1, "far", "near"),
        }
    )


def shuffled(df: pd.DataFrame, seed: int = 1) -> pd.DataFrame:
    """Each column permuted independently: same marginals, no relationships."""
    rng = np.random.default_rng(seed)
    return pd.DataFrame({c: rng.permutation(df[c].to_numpy()) for c in df.columns})


def table_row(metric, ctx: EvalContext):
    rows = metric.run(ctx)
    assert rows[0].columns == () and rows[0].group is None
    return rows[0]


def test_identical_copy_scores_perfectly() -> None:
    # Setup
    real = correlated()
    ctx = EvalContext(real, real.iloc[:0], real.copy(), SCHEMA)

    # Run
    values = {
        m.key: table_row(m, ctx).value
        for m in (
            ColumnShapes(),
            MissingValues(),
            RangeCoverage(),
            CategoryCoverage(),
            CorrelationPearson(),
            CorrelationSpearman(),
            ContingencySimilarity(),
            PairTrends(),
            KWayMarginals(),
            InvalidValues(),
            Detection(),
        )
    }

    # Assert
    for key in (
        "fidelity.column_shapes",
        "fidelity.missing_values",
        "fidelity.range_coverage",
        "fidelity.category_coverage",
        "fidelity.correlation_pearson",
        "fidelity.correlation_spearman",
        "fidelity.contingency_similarity",
        "fidelity.pair_trends",
        "fidelity.kway_marginals",
    ):
        assert values[key] == pytest.approx(1.0, abs=1e-12), key
    assert values["fidelity.invalid_values"] == 0.0
    assert values["fidelity.detection"] == pytest.approx(0.5, abs=0.1)


def test_shuffle_keeps_column_shapes_and_loses_pair_trends() -> None:
    # Setup
    real = correlated()
    same = EvalContext(real, real.iloc[:0], real.copy(), SCHEMA)
    shuf = EvalContext(real, real.iloc[:0], shuffled(real), SCHEMA)

    # Run
    shapes = table_row(ColumnShapes(), shuf).value
    trends_same = table_row(PairTrends(), same).value
    trends_shuf = table_row(PairTrends(), shuf)

    # Assert
    assert shapes == pytest.approx(1.0, abs=1e-12)
    assert trends_shuf.value < trends_same - 0.2
    assert trends_shuf.details["matrix"][0][1] < 0.6  # x-y: r 0.998 real, ~0 synthetic


def test_synthetic_only_category_is_an_invalid_value() -> None:
    # Setup
    real = pd.DataFrame(
        {
            "x": [1.0, 2.0, 3.0, 4.0],
            "y": [1.0, 2.0, 3.0, 4.0],
            "g": ["a", "b", "a", "b"],
            "h": ["u", "v", "u", "v"],
        }
    )
    synth = pd.DataFrame(
        {
            "x": [1.0, 2.0, 3.0, 4.0],
            "y": [0.0, 2.0, 3.0, 9.0],
            "g": ["a", "b", "c", "b"],
            "h": ["u", "v", "u", None],
        }
    )
    ctx = EvalContext(real, real.iloc[:0], synth, SCHEMA)

    # Run
    rows = {r.columns: r for r in InvalidValues().run(ctx)}

    # Assert
    assert rows[("g",)].value == pytest.approx(0.25)
    assert rows[("g",)].details["invalid_categories"] == ["c"]
    assert rows[("h",)].value == 0.0  # missing is not invalid
    assert rows[("x",)].value == 0.0
    assert rows[("y",)].value == pytest.approx(0.5)
    assert rows[("y",)].details["below_min_share"] == pytest.approx(0.25)
    assert rows[("y",)].details["above_max_share"] == pytest.approx(0.25)
    assert rows[()].value == pytest.approx(3 / 15)  # 3 invalid of 15 non-missing cells
    assert rows[()].details["rows_with_invalid_share"] == pytest.approx(0.75)
    assert rows[()].score == pytest.approx(1 - 3 / 15)


def test_missing_values_range_and_category_coverage_known_answers() -> None:
    # Setup
    real = pd.DataFrame(
        {
            "x": [0.0, 10.0, np.nan, 5.0],
            "y": [1.0, 2.0, 3.0, 4.0],
            "g": ["a", "b", "c", "c"],
            "h": ["u", "u", "u", "u"],
        }
    )
    synth = pd.DataFrame(
        {
            "x": [2.0, 9.0, 4.0, 5.0],
            "y": [1.0, 2.0, 3.0, 4.0],
            "g": ["a", "c", "c", "d"],
            "h": ["u", "u", "u", "u"],
        }
    )
    ctx = EvalContext(real, real.iloc[:0], synth, SCHEMA)

    # Run
    missing = {r.columns: r for r in MissingValues().run(ctx)}
    ranges = {r.columns: r for r in RangeCoverage().run(ctx)}
    cats = {
        r.columns: r
        for r in CategoryCoverage().run(
            ctx,
        )
    }

    # Assert
    assert missing[("x",)].value == pytest.approx(0.75)
    assert missing[()].value == pytest.approx((0.75 + 3) / 4)
    assert ranges[("x",)].value == pytest.approx(0.7)
    assert ranges[("x",)].details == {"uncovered_below": 0.2, "uncovered_above": 0.1}
    assert cats[("g",)].value == pytest.approx(2 / 3)
    # "b" has 1 real row (< min_group_rows): counted, never named.
    assert cats[("g",)].details["missing_categories"] == []
    assert cats[("g",)].details["missing_rare_categories"] == 1


def test_baseline_compares_training_with_holdout() -> None:
    # Setup
    real = correlated(200)
    with_holdout = EvalContext(real, real.copy(), shuffled(real), SCHEMA)
    without = EvalContext(real, real.iloc[:0], shuffled(real), SCHEMA)

    # Run
    shapes = table_row(ColumnShapes(), with_holdout)
    trends = table_row(PairTrends(), with_holdout)
    no_base = table_row(ColumnShapes(), without)

    # Assert
    assert shapes.baseline == pytest.approx(1.0)
    assert trends.baseline == pytest.approx(1.0)
    assert trends.value < 0.9
    assert no_base.baseline is None


def test_column_shape_plot_data_is_top_coded_and_groups_rare_categories() -> None:
    # Setup
    rng = np.random.default_rng(0)
    real = pd.DataFrame(
        {
            "x": np.r_[rng.normal(size=98), 1e6, -1e6],
            "y": rng.normal(size=100),
            "g": ["a"] * 60 + ["b"] * 37 + ["rare1", "rare2", "rare3"],
            "h": ["u"] * 100,
        }
    )
    synth = real.copy()
    synth.loc[0, "g"] = "synthetic-only"
    synth.loc[1, "x"] = np.nan
    ctx = EvalContext(real, real.iloc[:0], synth, SCHEMA)

    # Run
    rows = {r.columns: r for r in ColumnShapes().run(ctx)}

    # Assert
    x = rows[("x",)].details["plot"]
    assert x["top_coded"] is True
    assert len(x["edges"]) == 31 and max(x["edges"]) < 1e6  # 1st-99th percentile range
    assert sum(x["real"]) == pytest.approx(1.0) and sum(x["synthetic"]) == pytest.approx(1.0)
    assert x["real_missing"] == 0.0 and x["synthetic_missing"] == pytest.approx(0.01)
    g = rows[("g",)].details["plot"]
    assert g["categories"] == ["a", "b", "other"]
    assert g["real"] == pytest.approx([0.6, 0.37, 0.03])
    assert g["synthetic"] == pytest.approx([0.59, 0.37, 0.04])


def test_kway_marginals_interval_and_combinations() -> None:
    # Setup
    real = correlated()
    cfg = EvalConfig(kway_k=2, kway_combinations=4, seed=7)
    ctx = EvalContext(real, real.iloc[:0], shuffled(real), SCHEMA, cfg)

    # Run
    rows = KWayMarginals().run(ctx)
    again = KWayMarginals().run(EvalContext(real, real.iloc[:0], shuffled(real), SCHEMA, cfg))

    # Assert
    table = rows[0]
    assert table.n == 4 and len(rows) == 5
    assert all(len(r.columns) == 2 for r in rows[1:])
    assert table.ci_low <= table.value <= table.ci_high
    assert table.ci_low < table.ci_high
    assert table.value == pytest.approx(np.mean([r.value for r in rows[1:]]))
    assert [r.to_dict() for r in rows] == [r.to_dict() for r in again]
    assert choose_combinations(10, 3, 5, 0) == choose_combinations(10, 3, 5, 0)
    assert len(set(choose_combinations(10, 3, 50, 1))) == 50


def test_detection_spots_an_altered_column() -> None:
    # Setup
    real = correlated(400)
    synth = real.copy()
    synth["h"] = np.where(np.arange(len(real)) % 2 == 0, "far", "near")  # no longer follows x
    synth["y"] = synth["y"] + 2.0
    ctx = EvalContext(real, real.copy(), synth, SCHEMA)

    # Run
    row = table_row(Detection(), ctx)

    # Assert
    assert row.value > 0.9
    assert row.baseline == pytest.approx(0.5, abs=0.1)
    assert row.details["top_features"][0]["column"] == "y"
    assert len(row.details["pca"]["real"]) == len(row.details["pca"]["synthetic"]) == 400
    assert row.n == 800


def test_correlation_of_a_constant_column_is_not_computed() -> None:
    # Setup
    real = pd.DataFrame(
        {"x": [1.0, 2.0, 3.0], "y": [5.0, 5.0, 5.0], "g": ["a", "b", "a"], "h": ["u", "v", "u"]}
    )
    ctx = EvalContext(real, real.iloc[:0], real.copy(), SCHEMA)

    # Run
    rows = CorrelationPearson().run(ctx)

    # Assert
    assert rows[0].status == NOT_COMPUTED and "constant" in rows[0].reason
    assert rows[1].columns == ("x", "y") and rows[1].status == NOT_COMPUTED
    assert rows[0].details["real_matrix"][0][1] is None
    pair = {r.columns: r for r in PairTrends().run(ctx)}
    assert pair[("x", "y")].status == NOT_COMPUTED
    assert pair[()].status == OK  # the other pairs still count
