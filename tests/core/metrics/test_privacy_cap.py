"""CAP disclosure: SDMetrics' DisclosureProtection on the same frames, known answers, the control.

SDMetrics is the reference: its ``DisclosureProtection.compute_breakdown`` (methods ``cap`` and
``zero_cap``) is run on the very frames the metric reads, with the numerical secret passed as a
continuous column, and every figure must agree to rounding.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from sdmetrics.single_table import DisclosureProtection

from core.metrics.config import EvalConfig
from core.metrics.context import EvalContext
from core.metrics.privacy._calc.cap import attribution, disclosure_protection
from core.metrics.privacy._calc.equivalence import MSG_NO_QI
from core.metrics.privacy.cap_disclosure import MSG_NO_MATCH, CAPDisclosure
from core.schema import ColumnSpec, Schema

COLUMNS = (ColumnSpec("age", "numerical"), ColumnSpec("sex", "categorical"),
           ColumnSpec("edu", "categorical"), ColumnSpec("hours", "numerical"),
           ColumnSpec("y", "categorical"))
SCHEMA = Schema(COLUMNS, target="y", protected=("sex", "hours"),
                quasi_identifiers=("age", "sex", "edu"))


def frame(n: int, seed: int, ages: int = 6) -> pd.DataFrame:
    """Integer ages, sex, education with missing values, hours tied to sex, outcome tied to edu."""
    rng = np.random.default_rng(seed)
    sex = rng.choice(["F", "M"], n)
    edu = rng.choice(["hs", "ba", "ms", None], n, p=[0.4, 0.3, 0.2, 0.1])
    hours = np.where(sex == "M", rng.normal(44, 6, n), rng.normal(36, 6, n)).round(1)
    y = np.where((edu == "ms") & (rng.random(n) < 0.7), "yes",
                 rng.choice(["no", "yes", None], n, p=[0.7, 0.25, 0.05]))
    return pd.DataFrame({"age": rng.integers(30, 30 + ages, n), "sex": sex, "edu": edu,
                         "hours": hours, "y": y})


def run(real, holdout, synthetic, schema=SCHEMA, **config):
    ctx = EvalContext(real, holdout, synthetic, schema, EvalConfig(**config))
    rows = CAPDisclosure().run(ctx)
    return rows[0], {r.columns[0]: r for r in rows[1:]}, ctx


def sdmetrics(real, synthetic, known, secret, method="cap", continuous=None):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return DisclosureProtection.compute_breakdown(
            real, synthetic, known_column_names=known, sensitive_column_names=[secret],
            computation_method=method, continuous_column_names=continuous, num_discrete_bins=10)


def test_cap_agrees_with_sdmetrics_disclosure_protection_on_the_same_frames():
    # Setup: 300 training rows, 300 synthetic rows; a numerical secret (hours), a categorical
    # secret that is also a quasi-identifier (sex), a target with missing values (y)
    real, holdout, syn = frame(300, 1), frame(120, 2), frame(300, 3)
    # Run
    _, per, _ = run(real, holdout, syn)
    # Assert: SDMetrics on the raw frames, the numerical secret cut as a continuous column
    assert list(per) == ["sex", "hours", "y"]
    for secret, row in per.items():
        known = [q for q in ("age", "sex", "edu") if q != secret]
        continuous = ["hours"] if secret == "hours" else None
        ref = sdmetrics(real, syn, known, secret, continuous=continuous)
        zero = sdmetrics(real, syn, known, secret, "zero_cap", continuous)
        ours = row.details
        assert ours["train"]["cap_risk"] == pytest.approx(1 - ref["cap_protection"], abs=1e-12)
        assert ours["train"]["zero_cap_risk"] == pytest.approx(1 - zero["cap_protection"],
                                                               abs=1e-12)
        assert ours["baseline_protection"] == pytest.approx(ref["baseline_protection"])
        assert ours["disclosure_protection"] == pytest.approx(ref["score"], abs=1e-12)
        # the control is the same attack on the holdout rows
        control = sdmetrics(holdout, syn, known, secret, continuous=continuous)
        if secret != "hours":  # SDMetrics cuts the holdout on its own range; we cut on training
            assert ours["control"]["cap_risk"] == pytest.approx(1 - control["cap_protection"],
                                                                abs=1e-12)


def test_known_answer_cap_and_zero_cap():
    # Setup: synthetic keys/secrets (a,x) (a,x) (a,y) (b,y); targets (a,x) and (c,x)
    table_keys, table_secret = np.array([0, 0, 0, 1]), np.array([0, 0, 1, 1])
    # Run
    a = attribution(np.array([0, 2]), np.array([0, 0]), table_keys, table_secret)
    # Assert
    assert (a.risk, a.zero_risk, a.matched, a.targets) == (pytest.approx(2 / 3),
                                                           pytest.approx(1 / 3), 1, 2)
    assert disclosure_protection(0.6, 2) == pytest.approx(0.8)
    assert disclosure_protection(0.6, 1) is None  # SDMetrics: NaN


def test_a_copy_of_the_training_rows_is_a_disclosure_and_a_fresh_sample_is_not():
    # Setup: synthetic = the training rows themselves, or other real people of the population;
    # 60 ages make small classes (about 3 rows), where a copy gives individuals away
    real, holdout = frame(1500, 11, ages=60), frame(1500, 12, ages=60)
    # Run
    copy, copy_per, _ = run(real, holdout, real.copy())
    fresh, fresh_per, _ = run(real, holdout, frame(1500, 13, ages=60))
    # Assert: the copy tells the attacker more about training rows than about holdout rows
    assert copy.status == "ok" and copy.value > 0.2 and copy.ci_low > 0.1
    assert copy.details["worst_secret"] in copy_per
    for row in copy_per.values():
        assert row.details["train"]["cap_risk"] > row.details["control"]["cap_risk"]
        assert row.details["train"]["matched_share"] == 1.0  # every key is in the copy
    # a fresh sample: the same population correlations, no excess (interval reaches 0)
    assert fresh.value < 0.1 and fresh.ci_low == 0.0
    # the raw CAP of the fresh sample is far from 0: population correlations alone
    assert fresh_per["hours"].details["train"]["cap_risk"] > 0.2


def test_value_is_the_residual_over_the_control():
    # Setup: training rows always take the synthetic value; holdout rows half the time
    n = 2000
    syn = pd.DataFrame({"age": [30] * n, "sex": ["F"] * n, "edu": ["hs"] * n,
                        "hours": [40.0] * n, "y": ["no"] * n})
    real = syn.copy()
    holdout = syn.assign(y=["no", "yes"] * (n // 2))
    schema = Schema(COLUMNS, target="y", quasi_identifiers=("age", "sex", "edu"))
    # Run
    top, per, _ = run(real, holdout, syn, schema)
    # Assert: (1 - 0.5) / (1 - 0.5) = 1, bounded to [0, 1]
    y = per["y"]
    assert y.details["train"]["cap_risk"] == 1.0 and y.details["control"]["cap_risk"] == 0.5
    assert y.value == pytest.approx(1.0, abs=0.01) and top.value == y.value
    assert y.n == n


def test_no_matching_key_is_not_computed_and_a_certain_control_leaves_no_excess():
    # Setup: synthetic ages never occur in the real rows
    real, holdout = frame(100, 1), frame(50, 2)
    syn = frame(100, 3).assign(age=99)
    # Run
    top, per, _ = run(real, holdout, syn)
    # Assert
    assert per["y"].status == "not_computed"
    assert per["y"].reason == MSG_NO_MATCH.format(n=100, side="training", known="age, sex, edu")
    assert top.status == "not_computed"
    # Setup: every row the same, so every guess is right, on training and holdout rows alike
    same = pd.DataFrame({"age": [30] * 10, "sex": ["F"] * 10, "edu": ["hs"] * 10,
                         "hours": [40.0] * 10, "y": ["no"] * 10})
    # Run
    _, per, _ = run(same, same, same)
    # Assert: no excess, and an interval as wide as ten rows warrant
    y = per["y"]
    assert y.details["train"]["cap_risk"] == y.details["control"]["cap_risk"] == 1.0
    assert (y.value, y.ci_low) == (0.0, 0.0) and y.ci_high > 0.1


def test_needs_a_holdout_and_quasi_identifiers():
    # Run
    top, _, _ = run(frame(50, 1), frame(50, 2).iloc[:0], frame(50, 3))
    no_qi, _, _ = run(frame(50, 1), frame(50, 2), frame(50, 3),
                      Schema(COLUMNS, target="y", protected=("sex",)))
    # Assert
    assert (top.status, top.reason) == ("not_computed", "there are no holdout rows")
    assert (no_qi.status, no_qi.reason) == ("not_computed", MSG_NO_QI)


def test_samples_above_max_rows_and_says_so():
    # Run
    top, _, ctx = run(frame(300, 1), frame(200, 2), frame(300, 3), max_rows=150)
    # Assert
    assert top.details["rows"] == {"real": 150, "holdout": 150, "synthetic": 150}
    assert top.details["sampled"] is True
    assert ("privacy.cap_disclosure", 150, 300, "training") in ctx.sampling
