"""A numerical target with 2 to 20 distinct values is a classification target (a 0/1 outcome).

Real files hold such outcomes as integers, SDV gives them back as floats: ``1`` and ``1.0`` must
be one class, and the rarer class is the positive outcome.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from core.metrics.config import EvalConfig
from core.metrics.context import EvalContext
from core.metrics.fairness.outcome_rate import OutcomeRate
from core.metrics.utility._calc.task import CLASSIFICATION, REGRESSION, target_task
from core.metrics.utility.accuracy import AccuracyGap
from core.metrics.utility.r2 import R2Gap
from core.schema import ColumnSpec, Schema

SCHEMA = Schema(
    columns=(ColumnSpec("x", "numerical"), ColumnSpec("sex", "categorical"),
             ColumnSpec("y", "numerical")),
    target="y", protected=("sex",),
)


def outcomes(groups: dict[str, tuple[int, int]], dtype: str = "int64") -> pd.DataFrame:
    """``{"F": (rows, ones)}`` -> rows with y = 1 for the first ``ones`` rows, else 0."""
    parts = [pd.DataFrame({"x": np.arange(float(n)), "sex": g,
                           "y": np.array([1] * k + [0] * (n - k), dtype=dtype)})
             for g, (n, k) in groups.items()]
    return pd.concat(parts, ignore_index=True)


def test_a_zero_one_integer_target_is_classification_with_the_rarer_class_positive():
    # Setup: 8 of 20 rows are 1
    real = outcomes({"F": (10, 2), "M": (10, 6)})
    ctx = EvalContext(real, real, real, SCHEMA)
    # Run
    task = target_task(ctx)
    # Assert
    assert task.kind == CLASSIFICATION
    assert task.classes == ("0", "1") and task.positive == "1"
    assert task.kind_text == "numerical with 2 distinct values"


def test_a_numerical_target_with_many_values_stays_regression():
    real = pd.DataFrame({"x": np.arange(30.0), "sex": ["F", "M"] * 15, "y": np.arange(30.0)})
    assert target_task(EvalContext(real, real, real, SCHEMA)).kind == REGRESSION


def test_accuracy_is_computed_for_a_zero_one_target_and_r2_is_not():
    # Setup: y = 1 exactly when x > 60 (the rarer class), learnable from x
    rng = np.random.default_rng(0)
    x = rng.uniform(0, 100, 400)
    df = pd.DataFrame({"x": x, "sex": rng.choice(["F", "M"], 400), "y": (x > 60).astype(int)})
    train, hold = df.iloc[:300], df.iloc[300:]
    synthetic = train.assign(y=train["y"].astype("float64"))  # floats, as SDV gives them back
    ctx = EvalContext(train, hold, synthetic, SCHEMA)
    # Run
    acc = AccuracyGap().run(ctx)[0]
    r2 = R2Gap().run(ctx)[0]
    # Assert
    assert acc.status == "ok" and acc.value == pytest.approx(0.0, abs=0.02)
    assert acc.details["positive_label"] == "1"
    assert acc.details["tstr"] > 0.95
    assert r2.status == "not_computed"
    assert r2.reason == ("'y' is numerical with 2 distinct values, so the utility task is "
                         "classification; R² gap applies only to regression.")


def test_outcome_rates_of_a_zero_one_target_count_ones_also_when_synthetic_is_float():
    # Setup (oracle): real F 2/10, M 6/10 ones; synthetic (floats) F 4/10, M 6/10
    real = outcomes({"F": (10, 2), "M": (10, 6)})
    synth = outcomes({"F": (10, 4), "M": (10, 6)}, dtype="float64")
    ctx = EvalContext(real, real, synth, SCHEMA)
    # Run
    rows = OutcomeRate().run(ctx)
    # Assert
    assert rows[0].value == pytest.approx(0.2)
    per_set = next(r for r in rows if r.columns == ("sex",) and r.group is None)
    assert per_set.details["rates"]["real"] == pytest.approx([0.2, 0.6])
    assert per_set.details["rates"]["synthetic"] == pytest.approx([0.4, 0.6])
    assert per_set.details["unit"] == "share of 'y' = '1'"


@pytest.mark.parametrize("label", ["0", "0.0", "0.00"])
def test_a_configured_positive_label_may_be_written_as_a_float(label):
    real = outcomes({"F": (10, 2), "M": (10, 6)})
    ctx = EvalContext(real, real, real, SCHEMA, EvalConfig(positive_label=label))
    assert target_task(ctx).positive == "0"
