"""The majority-class baseline: a synthetic-trained model that predicts one class fails utility."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from core.gate import FAIL, apply_gate, get_policy
from core.metrics.context import EvalContext
from core.metrics.utility.accuracy import AccuracyGap
from core.metrics.utility.beats_baseline import BeatsBaseline
from core.schema import ColumnSpec, Schema

SCHEMA = Schema(columns=(ColumnSpec("x", "numerical"), ColumnSpec("y", "categorical")),
                target="y")


def table(n: int, seed: int, positives_follow_x: bool) -> pd.DataFrame:
    """x uniform on [0, 1); y = "yes" for the top quarter of x, or for 3 random rows only."""
    rng = np.random.default_rng(seed)
    x = rng.uniform(0, 1, n)
    if positives_follow_x:
        y = np.where(x >= 0.75, "yes", "no")
    else:
        y = np.array(["no"] * n, dtype=object)
        y[rng.choice(n, 3, replace=False)] = "yes"
    return pd.DataFrame({"x": x, "y": y})


@pytest.fixture(scope="module")
def one_class_ctx() -> EvalContext:
    # Setup: real y follows x; the synthetic y is "no" but for 3 rows, so its model says "no"
    real, holdout = table(400, 0, True), table(400, 1, True)
    synthetic = table(400, 2, False)
    return EvalContext(real, holdout, synthetic, SCHEMA)


def test_a_model_that_predicts_one_class_is_no_better_than_the_majority(one_class_ctx):
    # Run
    lift = BeatsBaseline().run(one_class_ctx)[0]
    acc = AccuracyGap().run(one_class_ctx)[0]

    # Assert: TSTR accuracy is the majority share of the holdout, so it keeps none of the lift
    d = lift.details
    assert d["baseline_name"] == "majority class 'no'"
    assert d["tstr"] == pytest.approx(d["baseline"])
    assert d["trtr"] > 0.95
    assert lift.value == pytest.approx(0.0)
    assert d["tstr_predicted_shares"] == {"no": 1.0}
    assert acc.details["baseline"] == pytest.approx(d["baseline"])  # shown beside both models
    assert acc.details["baseline_name"] == "majority class 'no'"


def test_utility_fails_under_every_policy_with_the_baseline_reason(one_class_ctx):
    # Setup
    rows = tuple(BeatsBaseline().run(one_class_ctx))

    # Run / Assert
    for name in ("internal", "partner", "public"):
        check = next(c for c in apply_gate(rows, get_policy(name)).checks
                     if c.key == "utility.beats_baseline")
        assert check.status == FAIL, name
        assert check.meaning.startswith("Fails (needs ≥ 0.1): It beats always predicting the "
                                        "majority class (or the mean)")
