"""pMSE: hand-computed saturated models, the null expectation's known answers, published tables.

Known answers (Snoke et al. 2018; synthpop's ``utility.gen``): an identical copy gives pMSE 0;
rows resampled from the real ones (a synthesis by the correct model, the empirical
distribution) give a ratio near 1; a fresh sample of the same population near 1 / (1 - c) = 2;
a copy whose columns were shuffled independently far more. Tolerance of "near": the ratio times
``k - 1`` is approximately chi-squared with ``k - 1`` degrees of freedom, so its standard
deviation is ``sqrt(2 / (k - 1))`` (0.15 for ``k - 1`` near 90); the tests allow 4 of them.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from core.io import load_table
from core.metrics.context import EvalContext
from core.metrics.fidelity import pmse as pmse_module
from core.metrics.fidelity._calc.propensity import (
    choose_pairs,
    design,
    design_rank,
    level_codes,
    propensity_mse,
)
from core.metrics.fidelity.pmse import PropensityMSE
from core.metrics.value import NOT_COMPUTED, OK
from core.schema import ColumnSpec, Schema
from core.schema.detect import detect_schema
from tests.published import census_csv, records_csv

SCHEMA = Schema((ColumnSpec("x", "numerical"), ColumnSpec("y", "numerical"),
                 ColumnSpec("a", "categorical"), ColumnSpec("b", "categorical"),
                 ColumnSpec("d", "categorical"), ColumnSpec("e", "categorical")))


def related(n: int, seed: int) -> pd.DataFrame:
    """Two numbers and four categories that depend on them and on each other."""
    rng = np.random.default_rng(seed)
    x = rng.normal(size=n)
    y = x + rng.normal(scale=0.7, size=n)
    a = np.where(x + rng.normal(scale=0.5, size=n) > 0, "p", "q")
    b = np.where(a == "p", rng.choice(["u", "v", "w"], n, p=[.7, .2, .1]),
                 rng.choice(["u", "v", "w"], n, p=[.1, .2, .7]))
    d = np.where(rng.random(n) < 0.8, b, rng.choice(["u", "v", "w"], n))
    e = np.where(y > 0.5, rng.choice(list("klmno"), n), rng.choice(list("klm"), n))
    return pd.DataFrame({"x": x, "y": y, "a": a, "b": b, "d": d, "e": e})


def ratio_of(real: pd.DataFrame, synth: pd.DataFrame, holdout: pd.DataFrame | None = None):
    hold = holdout if holdout is not None else real.iloc[:0]
    rows = PropensityMSE().run(EvalContext(real, hold, synth, SCHEMA))
    assert len(rows) == 1 and rows[0].status == OK, rows
    return rows[0]


def _fit(first: pd.DataFrame, second: pd.DataFrame):
    cols = [("category", first[c], second[c]) for c in first.columns]
    codes = level_codes(cols)
    x = design(codes, len(first), choose_pairs(codes.shape[1], 0))
    return propensity_mse(x, np.r_[np.zeros(len(first)), np.ones(len(second))], 0)


def test_one_column_saturated_model_gives_the_cell_shares():
    # Setup: real a x30, b x10; synthetic a x20, b x20. The model's propensity in a cell is the
    # synthetic share there: 20/50 for a, 20/30 for b; c = 0.5, N = 80, k - 1 = 1.
    real = pd.DataFrame({"g": ["a"] * 30 + ["b"] * 10})
    synth = pd.DataFrame({"g": ["a"] * 20 + ["b"] * 20})
    pmse = (50 * (20 / 50 - 0.5) ** 2 + 30 * (20 / 30 - 0.5) ** 2) / 80
    null = 1 * 0.5**2 * 0.5 / 80
    # Run
    p = _fit(real, synth)
    # Assert
    assert p.parameters == 1 and p.rows == 80 and p.share == 0.5
    assert p.pmse == pytest.approx(pmse, rel=1e-3)
    assert p.null_pmse == pytest.approx(null)
    assert p.ratio == pytest.approx(pmse / null, rel=1e-3)  # 10.67
    assert p.z == pytest.approx((p.ratio - 1) * np.sqrt(0.5))


def test_two_columns_with_their_interaction_are_saturated():
    # Setup: counts per cell (g, h) real / synthetic: (a,x) 10/30, (a,y) 30/10, (b,x) 20/20,
    # (b,y) 20/20. Main effects alone would see no difference in either margin; the
    # interaction is what separates. Propensity per cell = synthetic share.
    cells = {("a", "x"): (10, 30), ("a", "y"): (30, 10), ("b", "x"): (20, 20),
             ("b", "y"): (20, 20)}
    real = pd.DataFrame([k for k, (r, _) in cells.items() for _ in range(r)], columns=["g", "h"])
    synth = pd.DataFrame([k for k, (_, s) in cells.items() for _ in range(s)], columns=["g", "h"])
    pmse = sum((r + s) * (s / (r + s) - 0.5) ** 2 for r, s in cells.values()) / 160
    # Run
    p = _fit(real, synth)
    # Assert: intercept + g + h + g:h = 4 parameters, k - 1 = 3
    assert p.parameters == 3
    assert p.pmse == pytest.approx(pmse, rel=1e-3)
    assert p.ratio == pytest.approx(pmse / (3 * 0.125 / 160), rel=1e-3)


def test_aliased_columns_count_once():
    # Setup: h is g under other names, so its dummies and the interactions repeat g's
    rng = np.random.default_rng(0)
    g = rng.choice(["a", "b", "c"], 200)
    df = pd.DataFrame({"g": g, "h": pd.Series(g).map({"a": "x", "b": "y", "c": "z"})})
    cols = [("category", df[c], df[c]) for c in df.columns]
    codes = level_codes(cols)
    # Run
    x = design(codes, 200, choose_pairs(2, 0))
    # Assert: g alone has 2 parameters besides the intercept; h and g:h add none
    assert x.shape[1] > 2 and design_rank(x) == 2


def test_identical_copy_has_pmse_zero():
    real = related(500, 0)
    row = ratio_of(real, real.copy())
    assert row.details["pmse"] == pytest.approx(0.0, abs=1e-12) and row.value < 1e-9
    assert row.score == 1.0


def test_null_expectation_resample_near_one_fresh_sample_near_two():
    # Setup
    real = related(2000, 0)
    resampled = real.sample(2000, replace=True, random_state=1).reset_index(drop=True)
    # Run
    boot = ratio_of(real, resampled, holdout=related(2000, 2))
    fresh = ratio_of(real, related(2000, 3))
    # Assert
    sd = np.sqrt(2 / boot.details["parameters"])
    assert 60 < boot.details["parameters"] < 200
    assert boot.value == pytest.approx(1.0, abs=4 * sd)
    assert fresh.value == pytest.approx(2.0, abs=4 * 2 * sd)
    assert boot.baseline == pytest.approx(2.0, abs=4 * 2 * sd)  # the holdout: a fresh sample
    assert boot.details["fresh_sample_ratio"] == 2.0 and boot.details["converged"]


def test_independent_columns_are_told_apart():
    # Setup: every column shuffled on its own: the same marginals, no relationships
    real = related(2000, 0)
    rng = np.random.default_rng(4)
    shuffled = pd.DataFrame({c: rng.permutation(real[c].to_numpy()) for c in real.columns})
    # Run
    fresh, indep = ratio_of(real, related(2000, 3)), ratio_of(real, shuffled)
    # Assert
    assert indep.value > 5 * fresh.value and indep.score < fresh.score / 3
    assert sum(indep.details["histogram"]["synthetic"]) == 2000


def test_unequal_sizes_are_sampled_to_equal_sides_and_the_cap_is_stated(monkeypatch):
    # Setup
    monkeypatch.setattr(pmse_module, "ROWS_PER_SIDE", 250)
    ctx = EvalContext(related(600, 0), related(100, 1), related(300, 2), SCHEMA)
    # Run
    row = PropensityMSE().run(ctx)[0]
    # Assert
    assert row.n == 500 and row.details["rows_per_side"] == 250
    assert row.details["share_synthetic"] == 0.5
    assert row.details["holdout"]["rows_per_side"] == 100
    assert ("fidelity.pmse", 250, 600, "training") in ctx.sampling
    assert ("fidelity.pmse", 250, 300, "synthetic") in ctx.sampling


def test_too_few_rows_is_not_computed_with_the_reason():
    ctx = EvalContext(related(15, 0), related(5, 1), related(40, 2), SCHEMA)
    row = PropensityMSE().run(ctx)[0]
    assert row.status == NOT_COMPUTED
    assert row.reason == pmse_module.MSG_TOO_FEW.format(need=20, real=15, synthetic=40)


@pytest.mark.parametrize("data, name", [(census_csv(600), "census.csv"),
                                        (records_csv(600), "records.csv")])
def test_published_tables_with_blank_ids_sentinels_and_codes_are_scored(data, name):
    # Setup: as loaded ('N' markers missing, identifiers left out), against a GaussianCopula copy
    from core.generators.registry import get_generator

    df, _ = load_table(data, name)
    schema = detect_schema(df)
    train, hold = df.iloc[:450].reset_index(drop=True), df.iloc[450:].reset_index(drop=True)
    synth = get_generator("gaussian_copula").fit_sample(train, schema, 450, seed=0).synthetic
    # Run
    row = PropensityMSE().run(EvalContext(train, hold, synth, schema))[0]
    # Assert
    assert row.status == OK, row.reason
    assert row.value > row.baseline > 0 and row.n == 900
    assert row.details["holdout"]["rows_per_side"] == 150
