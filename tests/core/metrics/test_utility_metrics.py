"""Utility metrics: TSTR vs TRTR gaps agree with scikit-learn and give known answers."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from sklearn.ensemble import HistGradientBoostingClassifier, HistGradientBoostingRegressor
from sklearn.inspection import permutation_importance
from sklearn.metrics import (
    accuracy_score,
    f1_score,
    mean_absolute_error,
    r2_score,
    roc_auc_score,
)
from threadpoolctl import threadpool_limits

from core.metrics.config import EvalConfig
from core.metrics.context import EvalContext
from core.metrics.utility._calc.models import Unavailable, fitted_models
from core.metrics.utility._calc.task import target_task
from core.metrics.utility.accuracy import AccuracyGap
from core.metrics.utility.feature_importance import FeatureImportanceAgreement
from core.metrics.utility.macro_f1 import MacroF1Gap
from core.metrics.utility.mae import MSG_ZERO_MAE, MaeGap
from core.metrics.utility.r2 import R2Gap
from core.metrics.utility.roc_auc import RocAucGap
from core.metrics.value import NOT_COMPUTED, OK
from core.schema import ColumnSpec, Schema

CLASS_SCHEMA = Schema(
    columns=(
        ColumnSpec("x", "numerical"),
        ColumnSpec("noise", "numerical"),
        ColumnSpec("colour", "categorical"),
        ColumnSpec("y", "categorical"),
    ),
    target="y",
)
REG_SCHEMA = Schema(
    columns=(
        ColumnSpec("x", "numerical"),
        ColumnSpec("colour", "categorical"),
        ColumnSpec("y", "numerical"),
    ),
    target="y",
)
ALL = (AccuracyGap(), MacroF1Gap(), RocAucGap(), R2Gap(), MaeGap(), FeatureImportanceAgreement())


def learnable(n: int, seed: int, classes: int = 2) -> pd.DataFrame:
    """y is decided by x (and colour shifts it); noise is irrelevant."""
    rng = np.random.default_rng(seed)
    x = rng.uniform(0, 1, n)
    colour = rng.choice(["red", "blue"], n)
    edges = np.linspace(0, 1, classes + 1)[1:-1]
    y = np.searchsorted(edges, x + np.where(colour == "red", 0.05, -0.05))
    return pd.DataFrame(
        {
            "x": x,
            "noise": rng.normal(size=n),
            "colour": colour,
            "y": np.array([f"c{k}" for k in range(classes)])[y],
        }
    )


def regression(n: int, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    x = rng.uniform(0, 10, n)
    colour = rng.choice(["red", "blue"], n)
    return pd.DataFrame(
        {"x": x, "colour": colour, "y": 2 * x + (colour == "red") * 3 + rng.normal(size=n)}
    )


def only(metric, ctx):
    rows = metric.run(ctx)
    assert len(rows) == 1 and rows[0].columns == () and rows[0].group is None
    return rows[0]


def test_gaps_match_sklearn_on_the_same_models() -> None:
    # Setup: two independent draws of a binary task; models fitted here the same way
    real, synth, hold = learnable(300, 0), learnable(300, 1), learnable(200, 2)
    ctx = EvalContext(real, hold, synth, CLASS_SCHEMA)

    def fit(df: pd.DataFrame) -> HistGradientBoostingClassifier:
        X = df[["x", "noise", "colour"]].astype({"colour": "category"})
        model = HistGradientBoostingClassifier(categorical_features="from_dtype", random_state=0)
        with threadpool_limits(1, "openmp"):  # as core does; many threads crawl on a busy box
            return model.fit(X, df["y"])

    X_hold = hold[["x", "noise", "colour"]].astype({"colour": "category"})
    tstr, trtr = fit(synth), fit(real)
    pos = real["y"].value_counts().sort_values().index[0]  # the rarer training class

    # Run
    acc, f1, auc = only(AccuracyGap(), ctx), only(MacroF1Gap(), ctx), only(RocAucGap(), ctx)

    # Assert: tolerance 1e-9 (same data, same seed -> same models)
    exp_acc = {k: accuracy_score(hold["y"], m.predict(X_hold)) for k, m in
               (("tstr", tstr), ("trtr", trtr))}
    exp_f1 = {k: f1_score(hold["y"], m.predict(X_hold), average="macro") for k, m in
              (("tstr", tstr), ("trtr", trtr))}
    col = list(tstr.classes_).index(pos)
    exp_auc = {k: roc_auc_score(hold["y"] == pos, m.predict_proba(X_hold)[:, col]) for k, m in
               (("tstr", tstr), ("trtr", trtr))}
    for row, exp in ((acc, exp_acc), (f1, exp_f1), (auc, exp_auc)):
        assert row.status == OK
        assert row.details["tstr"] == pytest.approx(exp["tstr"], abs=1e-9)
        assert row.details["trtr"] == pytest.approx(exp["trtr"], abs=1e-9)
        assert row.value == pytest.approx(exp["trtr"] - exp["tstr"], abs=1e-9)
        assert row.n == 200


def test_multiclass_roc_auc_is_sklearns_ovr_macro() -> None:
    # Setup
    real, synth, hold = learnable(300, 3, 3), learnable(300, 4, 3), learnable(200, 5, 3)
    ctx = EvalContext(real, hold, synth, CLASS_SCHEMA)
    models = fitted_models(ctx)
    assert not isinstance(models, Unavailable)

    # Run
    row = only(RocAucGap(), ctx)

    # Assert
    expected = roc_auc_score(
        models.y_holdout, models.tstr.proba, multi_class="ovr", average="macro",
        labels=list(models.tstr.classes),
    )
    assert row.details["tstr"] == pytest.approx(expected, abs=1e-9)


def test_regression_gaps_match_sklearn() -> None:
    # Setup
    real, synth, hold = regression(300, 0), regression(300, 1), regression(200, 2)
    ctx = EvalContext(real, hold, synth, REG_SCHEMA)

    def predict(df: pd.DataFrame) -> np.ndarray:
        X = df[["x", "colour"]].astype({"colour": "category"})
        model = HistGradientBoostingRegressor(categorical_features="from_dtype", random_state=0)
        X_hold = hold[["x", "colour"]].astype({"colour": "category"})
        with threadpool_limits(1, "openmp"):
            return model.fit(X, df["y"]).predict(X_hold)

    p_tstr, p_trtr = predict(synth), predict(real)

    # Run
    r2, mae = only(R2Gap(), ctx), only(MaeGap(), ctx)

    # Assert
    exp_r2 = r2_score(hold["y"], p_trtr) - r2_score(hold["y"], p_tstr)
    mae_s, mae_r = mean_absolute_error(hold["y"], p_tstr), mean_absolute_error(hold["y"], p_trtr)
    assert r2.value == pytest.approx(exp_r2, abs=1e-9)
    assert mae.value == pytest.approx((mae_s - mae_r) / mae_r, abs=1e-9)
    assert mae.details["tstr"] == pytest.approx(mae_s, abs=1e-9)
    assert mae.details["trtr"] == pytest.approx(mae_r, abs=1e-9)


def test_synthetic_copy_has_no_gap_and_a_fresh_draw_a_small_one() -> None:
    # Setup
    real, hold = learnable(400, 0), learnable(300, 2)
    copy_ctx = EvalContext(real, hold, real.copy(), CLASS_SCHEMA)
    draw_ctx = EvalContext(real, hold, learnable(400, 1), CLASS_SCHEMA)

    # Run
    copy_rows = [only(m, copy_ctx) for m in (AccuracyGap(), MacroF1Gap(), RocAucGap())]
    draw_rows = [only(m, draw_ctx) for m in (AccuracyGap(), MacroF1Gap(), RocAucGap())]

    # Assert: the same rows and seed give the same model; a fresh draw is close
    assert [r.value for r in copy_rows] == [0.0, 0.0, 0.0]
    assert [r.score for r in copy_rows] == [1.0, 1.0, 1.0]
    assert all(abs(r.value) < 0.05 for r in draw_rows), [r.value for r in draw_rows]
    assert draw_rows[0].details["trtr"] > 0.85  # the task is learnable


def test_useless_synthetic_data_shows_a_large_gap() -> None:
    # Setup: y shuffled in the synthetic rows, so x says nothing about it
    real, hold = learnable(400, 0), learnable(300, 2)
    synth = learnable(400, 1)
    synth["y"] = np.random.default_rng(0).permutation(synth["y"].to_numpy())
    ctx = EvalContext(real, hold, synth, CLASS_SCHEMA)

    # Run
    acc = only(AccuracyGap(), ctx)

    # Assert
    assert acc.value > 0.3
    assert acc.score == pytest.approx(1 - acc.value)


def test_one_class_target_is_not_computed_with_the_exact_reason() -> None:
    # Setup
    real, hold = learnable(100, 0), learnable(50, 2)
    synth = real.assign(y="c0")

    # Run
    rows = [only(m, EvalContext(real, hold, synth, CLASS_SCHEMA)) for m in ALL]
    train_row = only(AccuracyGap(), EvalContext(real.assign(y="c1"), hold, real, CLASS_SCHEMA))

    # Assert
    expected = (
        "The synthetic data has only one value of 'y' ('c0'), so no classifier can be trained "
        "on it."
    )
    assert [(r.status, r.reason) for r in rows] == [(NOT_COMPUTED, expected)] * len(ALL)
    assert train_row.reason == (
        "The training data has only one value of 'y' ('c1'), so no classifier can be trained "
        "on it."
    )


def test_figures_of_the_other_task_are_not_computed() -> None:
    # Setup
    cls_ctx = EvalContext(learnable(80, 0), learnable(40, 1), learnable(80, 2), CLASS_SCHEMA)
    reg_ctx = EvalContext(regression(80, 0), regression(40, 1), regression(80, 2), REG_SCHEMA)

    # Run
    r2 = only(R2Gap(), cls_ctx)
    acc = only(AccuracyGap(), reg_ctx)

    # Assert
    assert r2.status == NOT_COMPUTED
    assert r2.reason == (
        "'y' is categorical, so the utility task is classification; R² gap applies only to "
        "regression."
    )
    assert acc.reason == (
        "'y' is numerical, so the utility task is regression; Accuracy gap applies only to "
        "classification."
    )


def test_constant_numerical_target_is_not_computed_with_the_reasons() -> None:
    # Setup: y is 5.0 everywhere, so both regressors predict it exactly
    df = regression(60, 0).assign(y=5.0)
    ctx = EvalContext(df, df.iloc[:20], df, REG_SCHEMA)

    # Run
    mae, r2 = only(MaeGap(), ctx), only(R2Gap(), ctx)

    # Assert
    assert (mae.status, mae.reason) == (NOT_COMPUTED, MSG_ZERO_MAE)
    assert mae.details["trtr"] == 0.0
    assert r2.reason == "The holdout has a single value of 'y', so R² is undefined."


def test_positive_label_is_the_rarer_class_or_the_configured_one() -> None:
    # Setup
    real = pd.DataFrame({"x": [1.0, 2, 3, 4], "y": ["no", "no", "no", "yes"]})
    schema = Schema((ColumnSpec("x", "numerical"), ColumnSpec("y", "categorical")), target="y")

    # Run
    default = target_task(EvalContext(real, real, real, schema))
    chosen = target_task(EvalContext(real, real, real, schema, EvalConfig(positive_label="no")))
    wrong = target_task(EvalContext(real, real, real, schema, EvalConfig(positive_label="maybe")))

    # Assert
    assert default.positive == "yes" and default.is_binary
    assert chosen.positive == "no"
    assert wrong.positive is None
    assert wrong.positive_reason == (
        "The positive label 'maybe' is not a value of 'y' in the training data. "
        "Valid values: 'no', 'yes'. Change positive_label in the evaluation settings."
    )


def test_dates_and_many_categories_are_usable_features() -> None:
    # Setup: 300 distinct categories (> 255 HistGradientBoosting allows) and a date column
    rng = np.random.default_rng(0)
    n = 400
    x = rng.uniform(0, 1, n)
    df = pd.DataFrame(
        {
            "when": pd.Timestamp("2020-01-01") + pd.to_timedelta(x * 100, unit="D"),
            "code": [f"k{i % 300}" for i in range(n)],
            "y": np.where(x > 0.5, "a", "b"),
        }
    )
    schema = Schema(
        (ColumnSpec("when", "datetime"), ColumnSpec("code", "categorical"),
         ColumnSpec("y", "categorical")),
        target="y",
    )
    ctx = EvalContext(df.iloc[:300], df.iloc[300:], df.iloc[:300], schema)

    # Run
    row = only(AccuracyGap(), ctx)

    # Assert: the date carries the signal
    assert row.status == OK
    assert row.details["trtr"] > 0.9


def test_feature_importance_agrees_with_sklearn_and_ranks_the_signal_first() -> None:
    # Setup
    real, synth, hold = learnable(400, 0), learnable(400, 1), learnable(300, 2)
    ctx = EvalContext(real, hold, synth, CLASS_SCHEMA)

    # Run
    row = only(FeatureImportanceAgreement(), ctx)

    # Assert
    models = fitted_models(ctx)
    expected = permutation_importance(
        models.trtr.model, models.X_holdout, models.y_holdout, n_repeats=3, random_state=0
    ).importances_mean
    assert row.details["features"] == ["x", "noise", "colour"]
    assert row.details["trtr"] == pytest.approx(list(expected), abs=1e-12)
    assert row.details["trtr"][0] == max(row.details["trtr"])
    assert row.value == pytest.approx(1.0)  # same ranking: x > colour > noise
    assert row.n == 300


def test_models_are_fitted_once_and_shared() -> None:
    # Setup
    ctx = EvalContext(learnable(100, 0), learnable(60, 2), learnable(100, 1), CLASS_SCHEMA)

    # Run
    AccuracyGap().run(ctx)
    first = fitted_models(ctx)
    MacroF1Gap().run(ctx)

    # Assert
    assert fitted_models(ctx) is first
    assert len(first.holdout_rows) == 60


@pytest.mark.parametrize("metric", ALL, ids=lambda m: m.key)
@pytest.mark.parametrize("kind", ["classification", "regression", "tiny"])
def test_every_utility_metric_scores_in_range_or_says_why(metric, kind: str) -> None:
    # Setup
    if kind == "classification":
        ctx = EvalContext(learnable(60, 0, 3), learnable(30, 2, 3), learnable(60, 1, 3),
                          CLASS_SCHEMA)
    elif kind == "regression":
        ctx = EvalContext(regression(60, 0), regression(30, 2), regression(60, 1), REG_SCHEMA)
    else:
        ctx = EvalContext(learnable(3, 0), learnable(1, 2), learnable(2, 1), CLASS_SCHEMA)

    # Run
    rows = metric.run(ctx)

    # Assert
    assert rows
    for r in rows:
        assert r.key == metric.key and r.family == "utility"
        if r.status == OK:
            assert 0.0 <= r.score <= 1.0
            assert r.reason is None
        else:
            assert r.reason
        json.dumps(r.to_dict())
