"""Fidelity metrics agree with SDMetrics 0.32 where both compute the same quantity."""

from __future__ import annotations

import itertools
import warnings

import numpy as np
import pandas as pd
import pytest
from scipy.stats.contingency import association
from sdmetrics.column_pairs import ContingencySimilarity as SDContingency
from sdmetrics.column_pairs import CorrelationSimilarity as SDCorrelation
from sdmetrics.reports import QualityReport
from sdmetrics.single_column import CategoryCoverage as SDCategoryCoverage
from sdmetrics.single_column import KSComplement, TVComplement
from sdmetrics.single_column import RangeCoverage as SDRangeCoverage

from core.metrics.context import EvalContext
from core.metrics.fidelity._calc.encoding import codes
from core.metrics.fidelity._calc.sdmetrics_compat import cramers_v
from core.metrics.fidelity._calc.sdmetrics_compat import (
    sdmetrics_pair_trends as sdmetrics_pair_trends_of,
)
from core.metrics.fidelity.category_coverage import CategoryCoverage
from core.metrics.fidelity.column_shapes import ColumnShapes
from core.metrics.fidelity.contingency import ContingencySimilarity
from core.metrics.fidelity.correlation import CorrelationPearson, CorrelationSpearman
from core.metrics.fidelity.pair_trends import PairTrends
from core.metrics.fidelity.range_coverage import RangeCoverage
from core.schema import ColumnSpec, Schema

TOL = 1e-6


def make_tables(seed: int = 1, n: int = 120) -> tuple[pd.DataFrame, pd.DataFrame, Schema]:
    """A small mixed table (numbers, a date, categories, a boolean, missing values) and a
    distorted synthetic copy."""
    rng = np.random.default_rng(seed)
    x = rng.normal(size=n)
    real = pd.DataFrame(
        {
            "x": x,
            "y": 2 * x + rng.normal(scale=0.4, size=n),
            "z": rng.exponential(size=n),
            "d": pd.Timestamp("2020-01-01") + pd.to_timedelta(x * 30 + 100, unit="D"),
            "g": np.where(x + rng.normal(scale=0.3, size=n) > 0, "hi", "lo"),
            "h": rng.choice(["a", "b", "c"], size=n),
            "b": rng.choice(["True", "False"], size=n),
        }
    )
    real.loc[::11, "y"] = np.nan
    real.loc[::7, "h"] = np.nan
    synth = real.sample(frac=1.0, replace=True, random_state=seed).reset_index(drop=True)
    synth["y"] = rng.permutation(synth["y"].to_numpy()) * 0.9
    synth["g"] = rng.permutation(synth["g"].to_numpy())
    synth.loc[::5, "z"] = synth["z"] * 3
    synth.loc[::9, "h"] = "d"
    schema = Schema(
        columns=(
            ColumnSpec("x", "numerical"),
            ColumnSpec("y", "numerical"),
            ColumnSpec("z", "numerical"),
            ColumnSpec("d", "datetime"),
            ColumnSpec("g", "categorical"),
            ColumnSpec("h", "categorical"),
            ColumnSpec("b", "boolean"),
        )
    )
    return real, synth, schema


def make_ctx(real: pd.DataFrame, synth: pd.DataFrame, schema: Schema) -> EvalContext:
    return EvalContext(real, real.iloc[:0], synth, schema)


def by_columns(rows: list) -> dict:
    return {r.columns: r for r in rows}


def quality_report(real: pd.DataFrame, synth: pd.DataFrame, schema: Schema) -> QualityReport:
    """SDMetrics' QualityReport generated on one table."""
    kinds = {c.name: c.sdtype for c in schema.columns}
    meta = {"tables": {"t": {"columns": {c: {"sdtype": k} for c, k in kinds.items()}}}}
    report = QualityReport()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        report.generate({"t": real}, {"t": synth}, meta, verbose=False)
    return report


def sdmetrics_pair_trends(real: pd.DataFrame, synth: pd.DataFrame, schema: Schema) -> float:
    """SDMetrics' QualityReport 'Column Pair Trends' property score."""
    props = quality_report(real, synth, schema).get_properties().set_index("Property")["Score"]
    return float(props["Column Pair Trends"])


def test_column_shapes_match_ks_and_tv_complement() -> None:
    # Setup
    real, synth, schema = make_tables()
    ctx = make_ctx(real, synth, schema)

    # Run
    rows = by_columns(ColumnShapes().run(ctx))

    # Assert
    for col in ("x", "y", "z", "d"):
        expected = KSComplement.compute(ctx.real[col], ctx.synthetic[col])
        assert rows[(col,)].details["statistic"] == "KS"
        assert rows[(col,)].value == pytest.approx(expected, abs=TOL)
    for col in ("g", "h", "b"):
        expected = TVComplement.compute(ctx.real[col], ctx.synthetic[col])
        assert rows[(col,)].details["statistic"] == "TV"
        assert rows[(col,)].value == pytest.approx(expected, abs=TOL)


@pytest.mark.parametrize(
    ("metric", "coefficient"),
    [(CorrelationPearson(), "Pearson"), (CorrelationSpearman(), "Spearman")],
)
def test_correlation_matches_correlation_similarity(metric, coefficient: str) -> None:
    # Setup
    real, synth, schema = make_tables()
    ctx = make_ctx(real, synth, schema)

    # Run
    rows = by_columns(metric.run(ctx))

    # Assert
    pairs = list(itertools.combinations(["x", "y", "z", "d"], 2))
    assert set(pairs) <= set(rows)
    for a, b in pairs:
        expected = SDCorrelation.compute(
            ctx.real[[a, b]], ctx.synthetic[[a, b]], coefficient=coefficient
        )
        assert rows[(a, b)].value == pytest.approx(expected, abs=TOL), (a, b)
    assert rows[()].value == pytest.approx(np.mean([rows[p].value for p in pairs]), abs=1e-12)


def test_contingency_matches_contingency_similarity() -> None:
    # Setup
    real, synth, schema = make_tables()
    ctx = make_ctx(real, synth, schema)
    enc = codes(ctx)
    # The numerical column as our quantile-bin codes, handed to SDMetrics as a category.
    z_real = pd.Series(enc.real[:, enc.index("z")].astype(str), name="z")
    z_synth = pd.Series(enc.synthetic[:, enc.index("z")].astype(str), name="z")

    # Run
    rows = by_columns(ContingencySimilarity().run(ctx))

    # Assert
    cat_cat = SDContingency.compute(ctx.real[["g", "h"]], ctx.synthetic[["g", "h"]])
    mixed = SDContingency.compute(
        pd.concat([z_real, ctx.real["h"]], axis=1), pd.concat([z_synth, ctx.synthetic["h"]], axis=1)
    )
    assert rows[("g", "h")].value == pytest.approx(cat_cat, abs=TOL)
    assert rows[("z", "h")].value == pytest.approx(mixed, abs=TOL)
    assert ("x", "y") not in rows  # numerical pairs belong to the correlation metrics


def test_range_and_category_coverage_match_sdmetrics() -> None:
    # Setup
    real, synth, schema = make_tables()
    synth.loc[:, "x"] = synth["x"].clip(-1.0, 0.5)
    synth.loc[synth["h"] == "a", "h"] = "b"
    ctx = make_ctx(real, synth, schema)

    # Run
    ranges = by_columns(RangeCoverage().run(ctx))
    cats = by_columns(CategoryCoverage().run(ctx))

    # Assert
    for col in ("x", "y", "z", "d"):
        expected = SDRangeCoverage.compute(ctx.real[col], ctx.synthetic[col])
        assert ranges[(col,)].value == pytest.approx(expected, abs=TOL), col
    assert ranges[("x",)].value < 0.9
    for col in ("g", "h", "b"):
        expected = SDCategoryCoverage.compute(ctx.real[col], ctx.synthetic[col])
        assert cats[(col,)].value == pytest.approx(expected, abs=TOL), col
    assert cats[("h",)].value == pytest.approx(2 / 3)


@pytest.mark.parametrize("seed", [1, 2, 5])
def test_pair_trends_sdmetrics_figure_equals_quality_report(seed: int) -> None:
    # Setup
    real, synth, schema = make_tables(seed)
    ctx = make_ctx(real, synth, schema)
    expected = sdmetrics_pair_trends(ctx.real, ctx.synthetic, schema)

    # Run
    table = PairTrends().run(ctx)[0]

    # Assert
    assert not np.isnan(expected)
    assert table.details["sdmetrics_compatible"] == pytest.approx(expected, abs=TOL)


def test_sdmetrics_pairs_match_column_pair_trends_details() -> None:
    # Setup
    real, synth, schema = make_tables(2)
    ctx = make_ctx(real, synth, schema)
    details = quality_report(ctx.real, ctx.synthetic, schema).get_details(
        "Column Pair Trends", table_name="t"
    )

    # Run
    ours = {p.columns: p for p in sdmetrics_pair_trends_of(ctx)}

    # Assert
    assert len(ours) == len(details) == 21
    for _, row in details.iterrows():
        pair = ours[(row["Column 1"], row["Column 2"])]
        assert pair.metric == row["Metric"]
        assert pair.counts == bool(row["Meets Threshold?"])
        if pair.counts:
            assert pair.score == pytest.approx(row["Score"], abs=TOL)


def test_correlation_sdmetrics_figure_equals_quality_report_on_numbers() -> None:
    # Setup: only numerical columns, so Column Pair Trends is all correlation pairs.
    real, synth, _ = make_tables()
    schema = Schema(
        columns=(
            ColumnSpec("x", "numerical"),
            ColumnSpec("y", "numerical"),
            ColumnSpec("z", "numerical"),
        )
    )
    ctx = make_ctx(real[["x", "y", "z"]], synth[["x", "y", "z"]], schema)
    expected = sdmetrics_pair_trends(ctx.real, ctx.synthetic, schema)

    # Run
    table = CorrelationPearson().run(ctx)[0]

    # Assert
    assert table.details["sdmetrics_compatible"] == pytest.approx(expected, abs=TOL)
    assert table.value != pytest.approx(expected)  # ours averages every pair, theirs only |r|>0.5


def test_contingency_sdmetrics_figure_equals_quality_report_on_categories() -> None:
    # Setup: only categorical columns, so Column Pair Trends is all contingency pairs.
    real, synth, _ = make_tables()
    real["g2"] = real["g"].where(np.arange(len(real)) % 4 > 0, "mid")
    synth["g2"] = synth["g"]
    cols = ["g", "g2", "h", "b"]
    schema = Schema(columns=tuple(ColumnSpec(c, "categorical") for c in cols))
    ctx = make_ctx(real[cols], synth[cols], schema)
    expected = sdmetrics_pair_trends(ctx.real, ctx.synthetic, schema)

    # Run
    table = ContingencySimilarity().run(ctx)[0]

    # Assert
    assert not np.isnan(expected)
    assert table.details["sdmetrics_compatible"] == pytest.approx(expected, abs=TOL)


def test_sdmetrics_figure_is_none_where_sdmetrics_gives_nan() -> None:
    # Setup: independent columns, so no real |r| > 0.5 and no Cramér's V > 0.3.
    rng = np.random.default_rng(3)
    n = 2000
    real = pd.DataFrame(
        {"x": rng.normal(size=n), "y": rng.normal(size=n), "g": rng.choice(["a", "b"], size=n)}
    )
    schema = Schema(
        columns=(
            ColumnSpec("x", "numerical"),
            ColumnSpec("y", "numerical"),
            ColumnSpec("g", "categorical"),
        )
    )
    ctx = make_ctx(real, real, schema)
    expected = sdmetrics_pair_trends(ctx.real, ctx.synthetic, schema)

    # Run
    pair = PairTrends().run(ctx)[0]
    corr = CorrelationPearson().run(ctx)[0]

    # Assert
    assert np.isnan(expected)
    assert pair.details["sdmetrics_compatible"] is None
    assert corr.details["sdmetrics_compatible"] is None
    assert pair.value == pytest.approx(1.0)  # our own figure still scores every pair


def test_spearman_sdmetrics_figure_applies_the_threshold_rule() -> None:
    # Setup
    real, synth, schema = make_tables()
    ctx = make_ctx(real, synth, schema)
    scores = [
        SDCorrelation.compute(
            ctx.real[[a, b]],
            ctx.synthetic[[a, b]],
            coefficient="Spearman",
            real_correlation_threshold=0.5,
        )
        for a, b in itertools.combinations(["x", "y", "z", "d"], 2)
    ]

    # Run
    table = CorrelationSpearman().run(ctx)[0]

    # Assert
    assert table.details["sdmetrics_compatible"] == pytest.approx(np.nanmean(scores), abs=TOL)


def test_cramers_v_matches_scipy_association() -> None:
    # Setup
    a = np.array([0, 0, 1, 1, 2, 2, 2, 0, 1, 2])
    b = np.array([5, 5, 5, 7, 7, 7, 9, 9, 5, 7])
    table = pd.crosstab(a, b).to_numpy()

    # Run
    v = cramers_v(a, b)

    # Assert
    assert v == pytest.approx(association(table, method="cramer"), abs=1e-12)
