"""Oracle tests: demographic parity, equalized odds and per-group tables equal Fairlearn's.

Like fairlearn's ``test_fairness_metrics.py``: a tiny literal frame with known predictions, the
expected numbers written by hand, and the same numbers from Fairlearn itself.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from fairlearn.metrics import (
    MetricFrame,
    demographic_parity_difference,
    equalized_odds_difference,
    false_positive_rate,
    selection_rate,
    true_positive_rate,
)
from sklearn.metrics import accuracy_score

from core.metrics.config import EvalConfig
from core.metrics.context import EvalContext
from core.metrics.fairness.demographic_parity import DemographicParity
from core.metrics.fairness.equalized_odds import EqualizedOdds
from core.metrics.utility._calc.models import FittedModel, UtilityModels, fitted_models
from core.metrics.utility._calc.task import target_task
from core.metrics.value import NOT_COMPUTED, OK
from core.schema import ColumnSpec, Schema

SCHEMA = Schema(
    columns=(
        ColumnSpec("x", "numerical"),
        ColumnSpec("sex", "categorical"),
        ColumnSpec("race", "categorical"),
        ColumnSpec("y", "categorical"),
    ),
    target="y",
    protected=("sex",),
)
# Holdout: six women, six men.
SEX = ["F"] * 6 + ["M"] * 6
RACE = ["A", "B", "A", "B", "A", "B", "A", "B", "A", "B", "A", "B"]
Y_TRUE = [1, 1, 1, 0, 0, 0, 1, 1, 0, 0, 0, 0]
Y_TSTR = [1, 1, 0, 1, 0, 0, 1, 1, 1, 1, 0, 0]
Y_TRTR = Y_TRUE  # the real-trained model is perfect


def yes_no(bits: list[int]) -> np.ndarray:
    return np.array(["yes" if b else "no" for b in bits], dtype=object)


def context(schema: Schema = SCHEMA, **config) -> EvalContext:
    """Training rows (both groups, "yes" rarer) and the literal holdout, with known predictions."""
    holdout = pd.DataFrame({"x": np.arange(12.0), "sex": SEX, "race": RACE, "y": yes_no(Y_TRUE)})
    real = pd.DataFrame(
        {"x": np.arange(10.0), "sex": ["F", "M"] * 5, "race": ["A", "A", "B", "B"] * 2 + ["A"] * 2,
         "y": yes_no([1, 0, 0, 0, 1, 0, 0, 0, 1, 0])}
    )
    ctx = EvalContext(real, holdout, real, schema, EvalConfig(min_group_rows=2, **config))

    def known() -> UtilityModels:
        def model(bits: list[int]) -> FittedModel:
            return FittedModel(None, 10, yes_no(bits), None, ("no", "yes"))

        return UtilityModels(
            task=target_task(ctx),
            features=("x", "sex", "race"),
            X_holdout=ctx.holdout[["x", "sex", "race"]],
            y_holdout=ctx.holdout["y"].to_numpy(dtype=object),
            holdout_rows=np.arange(12),
            tstr=model(Y_TSTR),
            trtr=model(Y_TRTR),
        )

    ctx.cached("utility:models", known)
    return ctx


def set_row(rows, columns):
    return next(r for r in rows if r.columns == columns and r.group is None)


def test_demographic_parity_by_hand_and_by_fairlearn() -> None:
    # Setup
    ctx = context()

    # Run
    rows = DemographicParity().run(ctx)

    # Assert: selection rates F 3/6, M 4/6 (TSTR); F 3/6, M 2/6 (TRTR)
    table, sex = rows[0], set_row(rows, ("sex",))
    assert sex.value == pytest.approx(4 / 6 - 3 / 6)
    assert sex.baseline == pytest.approx(3 / 6 - 2 / 6)
    assert sex.value == pytest.approx(
        demographic_parity_difference(Y_TRUE, Y_TSTR, sensitive_features=SEX)
    )
    assert sex.baseline == pytest.approx(
        demographic_parity_difference(Y_TRUE, Y_TRTR, sensitive_features=SEX)
    )
    assert (table.value, table.details["attributes"]) == (sex.value, ["sex"])
    assert sex.score == pytest.approx(1 - 1 / 6)
    assert sex.n == 12


def test_equalized_odds_by_hand_and_by_fairlearn() -> None:
    # Setup
    ctx = context()

    # Run
    sex = set_row(EqualizedOdds().run(ctx), ("sex",))

    # Assert: TSTR TPR F 2/3, M 2/2; FPR F 1/3, M 2/4 -> max(1/3, 1/6); TRTR is perfect -> 0
    assert sex.value == pytest.approx(1 / 3)
    assert sex.baseline == pytest.approx(0.0)
    assert sex.value == pytest.approx(
        equalized_odds_difference(Y_TRUE, Y_TSTR, sensitive_features=SEX)
    )


def test_per_group_tables_equal_metricframe_by_group() -> None:
    # Setup
    ctx = context()
    expected = MetricFrame(
        metrics={
            "selection_rate": selection_rate,
            "true_positive_rate": true_positive_rate,
            "false_positive_rate": false_positive_rate,
            "accuracy": accuracy_score,
        },
        y_true=Y_TRUE,
        y_pred=Y_TSTR,
        sensitive_features=pd.Series(["sex=" + s for s in SEX]),
    ).by_group

    # Run
    details = set_row(DemographicParity().run(ctx), ("sex",)).details

    # Assert: by hand F (0.5, 2/3, 1/3, 4/6), M (4/6, 1, 0.5, 4/6)
    assert details["groups"] == ["sex=F", "sex=M"]
    assert details["tstr"]["selection_rate"] == pytest.approx([0.5, 4 / 6])
    assert details["tstr"]["true_positive_rate"] == pytest.approx([2 / 3, 1.0])
    assert details["tstr"]["false_positive_rate"] == pytest.approx([1 / 3, 0.5])
    assert details["tstr"]["accuracy"] == pytest.approx([4 / 6, 4 / 6])
    for metric in expected.columns:
        assert details["tstr"][metric] == pytest.approx(list(expected[metric]), abs=1e-6)
    assert details["trtr"]["true_positive_rate"] == [1.0, 1.0]
    assert (details["n"], details["positives"]) == ([6, 6], [3, 2])


def test_intersections_equal_fairlearn_with_two_sensitive_features() -> None:
    # Setup
    schema = Schema(SCHEMA.columns, target="y", protected=("sex", "race"))
    ctx = context(schema)
    both = pd.DataFrame({"sex": SEX, "race": RACE})

    # Run
    dp = set_row(DemographicParity().run(ctx), ("sex", "race"))
    eo = EqualizedOdds().run(ctx)

    # Assert: groups F&A, F&B, M&A, M&B with three rows each
    assert dp.value == pytest.approx(
        demographic_parity_difference(Y_TRUE, Y_TSTR, sensitive_features=both)
    )
    assert dp.value == pytest.approx(2 / 3 - 1 / 3)
    # Each intersection holds a single positive or a single negative: too few for TPR/FPR
    pair = set_row(eo, ("sex", "race"))
    assert pair.status == NOT_COMPUTED
    assert pair.reason == (
        "Fewer than two groups of 'sex & race' have at least 2 positive and 2 negative holdout "
        "rows, so true- and false-positive rates cannot be compared."
    )


def test_fitted_models_give_fairlearns_figures_on_their_predictions() -> None:
    # Setup: real models this time, on a learnable table
    rng = np.random.default_rng(0)

    def draw(n: int) -> pd.DataFrame:
        x = rng.uniform(0, 1, n)
        sex = rng.choice(["F", "M"], n)
        y = (x + np.where(sex == "M", 0.2, 0.0) + rng.normal(0, 0.1, n)) > 0.7
        return pd.DataFrame({"x": x, "sex": sex, "race": "A", "y": yes_no(list(y))})

    real, hold, synth = draw(300), draw(200), draw(300)
    ctx = EvalContext(real, hold, synth, SCHEMA)

    # Run
    dp = set_row(DemographicParity().run(ctx), ("sex",))
    eo = set_row(EqualizedOdds().run(ctx), ("sex",))

    # Assert
    models = fitted_models(ctx)
    y_true = (models.y_holdout == "yes").astype(int)
    sex = hold["sex"].to_numpy()[models.holdout_rows]
    for model, attr in ((models.tstr, "value"), (models.trtr, "baseline")):
        y_pred = (model.predictions == "yes").astype(int)
        assert getattr(dp, attr) == pytest.approx(
            demographic_parity_difference(y_true, y_pred, sensitive_features=sex)
        )
        assert getattr(eo, attr) == pytest.approx(
            equalized_odds_difference(y_true, y_pred, sensitive_features=sex)
        )
    assert dp.status == OK and dp.value > 0.1  # men are predicted positive more often


def test_regression_target_is_not_computed() -> None:
    # Setup
    schema = Schema(
        (ColumnSpec("x", "numerical"), ColumnSpec("sex", "categorical")),
        target="x",
        protected=("sex",),
    )
    # 40 distinct values: a regression target (2 to 20 would make it a classification one)
    df = pd.DataFrame({"x": np.arange(40.0), "sex": ["F", "M"] * 20})
    ctx = EvalContext(df, df, df, schema)

    # Run
    rows = DemographicParity().run(ctx) + EqualizedOdds().run(ctx)

    # Assert
    reason = (
        "'x' is numerical; demographic parity and equalized odds need a categorical or boolean "
        "target."
    )
    assert [(r.status, r.reason) for r in rows] == [(NOT_COMPUTED, reason)] * 2
