"""Fairness metrics on protected groups: known answers, pooled small groups, not-computed cases."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from core.metrics.config import EvalConfig
from core.metrics.context import EvalContext
from core.metrics.fairness.bias_amplification import BiasAmplification
from core.metrics.fairness.demographic_parity import DemographicParity
from core.metrics.fairness.disparity_attenuation import DisparityAttenuation
from core.metrics.fairness.equalized_odds import EqualizedOdds
from core.metrics.fairness.group_fidelity import GroupFidelity
from core.metrics.fairness.outcome_rate import OutcomeRate
from core.metrics.fairness.representation import Representation
from core.metrics.value import NOT_COMPUTED, OK
from core.schema import ColumnSpec, Schema

SCHEMA = Schema(
    columns=(
        ColumnSpec("x", "numerical"),
        ColumnSpec("sex", "categorical"),
        ColumnSpec("y", "categorical"),
    ),
    target="y",
    protected=("sex",),
)
ALL = (
    Representation(),
    OutcomeRate(),
    BiasAmplification(),
    DisparityAttenuation(),
    DemographicParity(),
    EqualizedOdds(),
    GroupFidelity(),
)


def people(groups: dict[str, tuple[int, int]], column: str = "sex") -> pd.DataFrame:
    """Rows per group: ``{"F": (rows, positives)}`` -> x = 0..rows-1, y = "yes" for positives."""
    parts = [
        pd.DataFrame(
            {
                "x": np.arange(float(n)),
                column: g,
                "y": ["yes"] * k + ["no"] * (n - k),
            }
        )
        for g, (n, k) in groups.items()
    ]
    return pd.concat(parts, ignore_index=True)


def row(rows, columns=(), group=None):
    return next(r for r in rows if r.columns == tuple(columns) and r.group == group)


def test_representation_known_shares() -> None:
    # Setup: real F 50% M 50%; synthetic F 25% M 75%
    real = people({"F": (10, 2), "M": (10, 2)})
    synth = people({"F": (5, 1), "M": (15, 3)})
    ctx = EvalContext(real, real, synth, SCHEMA)

    # Run
    rows = Representation().run(ctx)

    # Assert
    assert rows[0].value == pytest.approx(0.75)  # 1 - (|.25-.5| + |.75-.5|) / 2
    assert rows[0].baseline == pytest.approx(1.0)  # holdout = real shares
    assert row(rows, ("sex",)).value == pytest.approx(0.75)
    assert row(rows, ("sex",), "sex=F").value == pytest.approx(0.5)  # 0.25 / 0.5
    assert row(rows, ("sex",), "sex=M").value == pytest.approx(0.5 / 0.75)
    assert row(rows, ("sex",)).details["synthetic_share"] == [0.25, 0.75]


def test_outcome_rate_known_rates_and_disparity() -> None:
    # Setup: real F 2/10, M 6/10; synthetic F 4/10, M 6/10
    real = people({"F": (10, 2), "M": (10, 6)})
    synth = people({"F": (10, 4), "M": (10, 6)})
    ctx = EvalContext(real, real, synth, SCHEMA)

    # Run
    rows = OutcomeRate().run(ctx)

    # Assert
    assert rows[0].value == pytest.approx(0.2)
    assert rows[0].details["group"] == "sex=F"
    assert row(rows, ("sex",), "sex=M").value == pytest.approx(0.0)
    details = row(rows, ("sex",)).details
    assert details["rates"]["real"] == pytest.approx([0.2, 0.6])
    assert details["disparity_real"] == pytest.approx(0.4)
    assert details["disparity_synthetic"] == pytest.approx(0.2)
    assert details["ratio_real"] == pytest.approx(1 / 3)
    assert details["unit"] == "share of 'y' = 'yes'"


def test_flipping_one_groups_rate_is_attenuation_not_amplification() -> None:
    # Setup: three races; the synthetic data flips A from 0.2 to 0.8 (others stay at 0.5)
    schema = Schema(SCHEMA.columns[:1] + (ColumnSpec("race", "categorical"),) + SCHEMA.columns[2:],
                    target="y", protected=("race",))
    real = people({"A": (10, 2), "B": (10, 5), "C": (10, 5)}, "race")
    synth = people({"A": (10, 8), "B": (10, 5), "C": (10, 5)}, "race")
    ctx = EvalContext(real, real, synth, schema)

    # Run
    att, amp = DisparityAttenuation().run(ctx), BiasAmplification().run(ctx)

    # Assert: A's gap to everyone else goes from 0.2-0.5 = -0.3 to 0.8-0.5 = +0.3: a flip hides
    # the real disparity (0.3 + 0.3), and no gap kept its sign and grew
    table = att[0]
    assert table.value == pytest.approx(0.6)
    assert table.details["group"] == "race=A"
    assert table.details["group_details"]["attenuation"] == pytest.approx(0.6)
    assert table.details["group_details"]["direction"] == "flipped"
    a = row(att, ("race",), "race=A")
    assert (a.details["real_gap"], a.details["synthetic_gap"]) == pytest.approx((-0.3, 0.3))
    assert row(att, ("race",), "race=B").value == pytest.approx(0.3)  # 0.15 -> -0.15
    # max - min disparity is 0.3 in both tables: it alone would miss the flip
    assert row(att, ("race",)).details["disparity_change"] == pytest.approx(0.0)
    assert table.baseline == pytest.approx(0.0)  # holdout = real
    assert amp[0].value == pytest.approx(0.0)


def test_two_group_flip_and_faithful_copy() -> None:
    # Setup
    real = people({"F": (10, 2), "M": (10, 6)})
    flipped = people({"F": (10, 6), "M": (10, 2)})
    ctx_flip = EvalContext(real, real, flipped, SCHEMA)
    ctx_copy = EvalContext(real, real, real.copy(), SCHEMA)

    # Run
    flip = DisparityAttenuation().run(ctx_flip)[0]
    copies = [m.run(ctx_copy)[0] for m in (BiasAmplification(), DisparityAttenuation())]

    # Assert: F's gap -0.4 -> +0.4
    assert flip.value == pytest.approx(0.8)
    assert flip.score == pytest.approx(0.2)
    assert BiasAmplification().run(ctx_flip)[0].value == pytest.approx(0.0)
    assert [(c.value, c.score) for c in copies] == [(0.0, 1.0), (0.0, 1.0)]


def test_a_gap_that_shrinks_is_attenuation_and_one_that_widens_is_amplification() -> None:
    # Setup: real F 0.2 vs M 0.6 (F's gap -0.4); one synthetic table narrows it, one widens it
    real = people({"F": (10, 2), "M": (10, 6)})
    narrower = people({"F": (10, 3), "M": (10, 5)})  # F: 0.3 - 0.5 = -0.2
    wider = people({"F": (10, 1), "M": (10, 7)})  # F: 0.1 - 0.7 = -0.6
    ctx_n = EvalContext(real, real, narrower, SCHEMA)
    ctx_w = EvalContext(real, real, wider, SCHEMA)

    # Run
    n_amp, n_att = BiasAmplification().run(ctx_n)[0], DisparityAttenuation().run(ctx_n)[0]
    w_amp, w_att = BiasAmplification().run(ctx_w)[0], DisparityAttenuation().run(ctx_w)[0]

    # Assert
    assert (n_amp.value, n_att.value) == pytest.approx((0.0, 0.2))
    assert n_att.details["group_details"]["direction"] == "narrowed"
    assert (w_amp.value, w_att.value) == pytest.approx((0.2, 0.0))
    assert w_amp.details["group_details"]["direction"] == "widened"


def test_numerical_target_uses_group_means_in_standard_deviations() -> None:
    # Setup: real y F [0, 2] M [4, 6] (std sqrt(5)); synthetic F [1, 3]; each value spread
    # symmetrically over 6 rows so the target has 24 distinct values (a regression target;
    # 2 to 20 distinct values would make it a classification one)
    schema = Schema((ColumnSpec("sex", "categorical"), ColumnSpec("y", "numerical")),
                    target="y", protected=("sex",))
    jitter = np.linspace(-0.1, 0.1, 6)
    sex = ["F"] * 12 + ["M"] * 12
    real = pd.DataFrame({"sex": sex, "y": np.concatenate([v + jitter for v in (0, 2, 4, 6)])})
    synth = pd.DataFrame({"sex": sex, "y": np.concatenate([v + jitter for v in (1, 3, 4, 6)])})
    ctx = EvalContext(real, real, synth, schema, EvalConfig(min_group_rows=2))

    # Run
    rows = OutcomeRate().run(ctx)

    # Assert: (2 - 1) / std, std = sqrt(5 + var(jitter))
    assert rows[0].value == pytest.approx(1 / np.sqrt(5 + jitter.var()))
    assert row(rows, ("sex",)).details["rates"]["synthetic"] == pytest.approx([2.0, 5.0])
    assert row(rows, ("sex",)).details["unit"] == "mean of 'y'"


def test_single_group_attribute_is_not_computed() -> None:
    # Setup
    real = people({"F": (10, 2)})
    ctx = EvalContext(real, real, real, SCHEMA)
    reason = "'sex' has a single group in the real data ('sex=F'), so there is nothing to compare."

    # Run
    results = {m.key: m.run(ctx) for m in (Representation(), OutcomeRate(), GroupFidelity())}

    # Assert
    for rows in results.values():
        assert row(rows, ("sex",)).status == NOT_COMPUTED
        assert row(rows, ("sex",)).reason == reason
        assert rows[0].status == NOT_COMPUTED
        assert rows[0].reason == f"No protected attribute could be compared: {reason}"


def test_small_groups_are_pooled_and_never_named() -> None:
    # Setup: "Zorblax" has 3 real rows, under min_group_rows=5
    real = people({"F": (20, 5), "M": (20, 10), "Zorblax": (3, 3)})
    synth = people({"F": (20, 6), "M": (20, 9), "Zorblax": (4, 0)})
    ctx = EvalContext(real, real, synth, SCHEMA)

    # Run
    results = {m.key: m.run(ctx) for m in ALL}

    # Assert
    for key, rows in results.items():
        text = json.dumps([r.to_dict() for r in rows])
        assert "Zorblax" not in text, key
        if key not in ("fairness.demographic_parity", "fairness.equalized_odds"):
            other = row(rows, ("sex",), "sex=(other)")
            assert other.status == NOT_COMPUTED
            assert other.reason == (
                "1 group(s) of 'sex' have fewer than 5 real rows each: too few to score "
                "separately. They are shown together as 'sex=(other)'."
            )
    shares = row(results["fairness.representation"], ("sex",)).details
    assert shares["groups"] == ["sex=F", "sex=M", "sex=(other)"]
    assert shares["real_share"] == pytest.approx([20 / 43, 20 / 43, 3 / 43], abs=1e-6)
    # A pooled group of fewer than min_group_rows real rows does not show its outcome rate
    rates = row(results["fairness.outcome_rate"], ("sex",)).details["rates"]
    assert rates["real"] == pytest.approx([0.25, 0.5, None])


def test_group_fidelity_shows_the_worse_synthesised_group() -> None:
    # Setup: women's x copied exactly; men's x shifted out of range
    real = people({"F": (20, 5), "M": (20, 5)})
    synth = real.copy()
    synth.loc[synth["sex"] == "M", "x"] += 100.0
    ctx = EvalContext(real, real, synth, SCHEMA)

    # Run
    rows = GroupFidelity().run(ctx)

    # Assert: M's x scores KS complement 0, its y 1 -> 0.5; F scores 1.0
    assert row(rows, ("sex",), "sex=F").value == pytest.approx(1.0)
    assert row(rows, ("sex",), "sex=M").value == pytest.approx(0.5)
    assert row(rows, ("sex",), "sex=M").details["scores"] == [0.0, 1.0]
    assert rows[0].value == pytest.approx(0.5)
    assert rows[0].details["worst_group"] == "sex=M"
    assert rows[0].details["gap"] == pytest.approx(0.5)
    assert row(rows, ("sex",)).details["columns"] == ["x", "y"]  # "sex" itself left out


def test_multiclass_target_without_positive_label_says_how_to_set_it() -> None:
    # Setup
    real = people({"F": (6, 2), "M": (6, 2)})
    real.loc[[0, 6], "y"] = "maybe"
    ctx = EvalContext(real, real, real, SCHEMA)

    # Run
    rows = OutcomeRate().run(ctx)
    chosen = OutcomeRate().run(EvalContext(real, real, real, SCHEMA,
                                           EvalConfig(positive_label="maybe")))

    # Assert
    assert [(r.status, r.reason) for r in rows] == [(
        NOT_COMPUTED,
        "'y' has 3 classes, so there is no single positive outcome. Set positive_label in the "
        "evaluation settings (one of 'maybe', 'no', 'yes').",
    )]
    assert chosen[0].status == OK and chosen[0].value == 0.0


def adultish(n: int, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    age = rng.integers(18, 80, n).astype(float)
    sex = rng.choice(["F", "M"], n, p=[0.3, 0.7])
    race = rng.choice(["A", "B", "C"], n, p=[0.8, 0.15, 0.05])
    y = (age / 80 + (sex == "M") * 0.3 + rng.normal(0, 0.2, n)) > 0.8
    return pd.DataFrame({"age": age, "sex": sex, "race": race,
                         "y": np.where(y, ">50K", "<=50K")})


ADULTISH = Schema(
    (ColumnSpec("age", "numerical"), ColumnSpec("sex", "categorical"),
     ColumnSpec("race", "categorical"), ColumnSpec("y", "categorical")),
    target="y",
    protected=("sex", "race", "age"),
)


@pytest.mark.parametrize("metric", ALL, ids=lambda m: m.key)
@pytest.mark.parametrize("size", [200, 6])
def test_every_fairness_metric_scores_in_range_or_says_why(metric, size: int) -> None:
    # Setup
    ctx = EvalContext(adultish(size, 0), adultish(size, 1), adultish(size, 2), ADULTISH)

    # Run
    rows = metric.run(ctx)

    # Assert
    assert rows[0].columns == () and rows[0].group is None
    for r in rows:
        assert r.key == metric.key and r.family == "fairness"
        if r.status == OK:
            assert 0.0 <= r.score <= 1.0
            assert r.reason is None
        else:
            assert r.reason
    assert len(json.dumps([r.to_dict() for r in rows])) < 50_000
    if size == 200:
        assert rows[0].status == OK
        assert {r.columns for r in rows} >= {("sex",), ("race",), ("age",), ("sex", "race")}


def test_results_are_deterministic() -> None:
    # Setup
    tables = adultish(200, 0), adultish(200, 1), adultish(200, 2)

    # Run
    first = [m.run(EvalContext(*tables, ADULTISH)) for m in ALL]
    second = [m.run(EvalContext(*tables, ADULTISH)) for m in ALL]

    # Assert
    assert first == second
