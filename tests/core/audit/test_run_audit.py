"""The shadow-model audit on generators whose privacy is known, and every number it reports."""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

from core.audit.result import AuditResult
from core.audit.run import (
    FITTED,
    MIN_SHADOWS,
    MSG_BUDGET,
    MSG_NO_GENERATOR,
    MSG_SHADOWS,
    MSG_SMALL_REFERENCE,
    MSG_TARGETS,
    NOTE_EPOCHS,
    NOTE_REFERENCE,
    NOTE_SMALL_SHADOWS,
    check_request,
    choose_shadows,
    fit_time,
    run_audit,
    shadow_params,
)
from core.audit.targets import RANDOM, VULNERABLE
from core.datasets import add_upload, load_dataset
from core.errors import UserInputError
from core.generators.registry import get_generator
from core.metrics.privacy._calc.attack_bounds import Confusion, clopper_pearson, epsilon_lower
from tests.core.audit.generators import Ignoring, Memorising
from tests.published import census_csv, records_csv


def assert_consistent(result: AuditResult, inputs) -> None:  # noqa: ANN001 - AuditInputs
    """Every number the audit reports: ranges, counts and their relations."""
    d = result.design
    k = d["shadows_per_target"]
    assert k % 2 == 0 and MIN_SHADOWS <= k
    assert d["training_pairs"] + d["test_pairs"] == k // 2 and d["test_pairs"] >= 2
    assert d["targets"] == len(result.targets) == min(inputs.targets, len(inputs.train))
    assert d["controls"] == sum(t.kind == RANDOM for t in result.targets)
    assert d["shadow_rows"] == min(inputs.shadow_rows, len(inputs.train),
                                   len(inputs.reference) // 2)
    assert d["reference_rows"] == len(inputs.reference)
    assert len(d["features"]) == 6 + len(inputs.schema.synth_columns)
    indices = [t.index for t in result.targets]
    assert len(set(indices)) == len(indices) and all(0 <= i < len(inputs.train) for i in indices)
    vulnerable = [t.isolation for t in result.targets if t.kind == VULNERABLE]
    controls = [t.isolation for t in result.targets if t.kind == RANDOM]
    assert vulnerable == sorted(vulnerable, reverse=True)
    assert all(0 <= c <= min(vulnerable) for c in controls)
    pooled = Confusion(0, 0, 0, 0)
    for t in result.targets:
        f = t.figures
        assert f.test_shadows == 2 * d["test_pairs"] == f.tp + f.fn + f.fp + f.tn
        assert f.tp + f.fn == f.fp + f.tn == d["test_pairs"]  # half with the target
        _assert_figures(f)
        pooled = pooled + Confusion(f.tp, f.fn, f.fp, f.tn)
        assert t.closest_in is not None and 0 <= t.closest_in <= 1
        assert t.closest_out is not None and 0 <= t.closest_out <= 1
    o = result.overall
    assert (o.tp, o.fn, o.fp, o.tn) == (pooled.tp, pooled.fn, pooled.fp, pooled.tn)
    assert o.test_shadows == sum(t.figures.test_shadows for t in result.targets)
    _assert_figures(o)
    assert d["auc_ci_low"] <= o.auc <= d["auc_ci_high"]
    assert 0 <= d["auc_ci_low"] and d["auc_ci_high"] <= 1
    risky = result.riskiest
    assert risky.figures.epsilon_lower == max(t.figures.epsilon_lower for t in result.targets)
    timed = result.seconds["first_fits"]
    assert len(timed) == min(4, len(result.targets) * k) and all(x > 0 for x in timed)
    assert all(result.seconds[s] >= 0 for s in ("setup", "shadow_fits", "attack", "total"))
    assert result.seconds["total"] >= result.seconds["shadow_fits"] > 0
    assert AuditResult.from_json(result.to_json()) == result


def _assert_figures(f) -> None:  # noqa: ANN001 - AttackFigures
    assert 0 <= f.auc <= 1
    assert -1 <= f.advantage <= 1
    assert f.tpr == pytest.approx(f.tp / (f.tp + f.fn))
    assert f.fpr == pytest.approx(f.fp / (f.fp + f.tn))
    assert f.advantage == pytest.approx(f.tpr - f.fpr)
    assert f.epsilon_lower >= 0
    assert f.epsilon_lower == pytest.approx(epsilon_lower(Confusion(f.tp, f.fn, f.fp, f.tn)))
    # No bound beyond what the counts can prove: a perfect attack on these trials
    n_in, n_out = f.tp + f.fn, f.fp + f.tn
    fnr_hi, fpr_hi = clopper_pearson(0, n_in)[1], clopper_pearson(0, n_out)[1]
    assert f.epsilon_lower <= max(0.0, math.log((1 - fnr_hi) / fpr_hi),
                                  math.log((1 - fpr_hi) / fnr_hi)) + 1e-9


def test_a_memorising_generator_is_caught_with_auc_1_and_a_large_epsilon(small_inputs):
    # Run
    result = run_audit(small_inputs, generator=Memorising())

    # Assert: every target leaks, and the counts prove ε ≥ 2.3 (the most 40 + 40 can prove)
    assert_consistent(result, small_inputs)
    o = result.overall
    assert o.auc == 1.0 and o.advantage >= 0.95
    assert o.epsilon_lower > 2.2
    assert all(t.figures.auc == 1.0 for t in result.targets)
    assert all(t.closest_in == 0.0 < t.closest_out for t in result.targets)  # copied in, not out
    assert result.design["shadows_chosen_by"] == "given"
    # 20 pairs per target: a third (7) train the attack, 13 test it: 4 x 26 test shadows
    assert (result.design["training_pairs"], result.design["test_pairs"]) == (7, 13)
    assert o.test_shadows == 104


def test_a_generator_that_ignores_its_data_gives_auc_near_half(adult_split):
    # Setup: 6 targets x 80 shadows: 240 test shadows pooled
    train, holdout, schema = adult_split
    inputs = replace(_inputs(adult_split), targets=6, shadows=80)
    fixed = pd.concat([train, holdout]).sample(2000, replace=True, random_state=0)

    # Run
    result = run_audit(inputs, generator=Ignoring(fixed))

    # Assert: nothing to learn; the figures stay within the noise of 120 + 120 trials
    assert_consistent(result, inputs)
    o = result.overall
    assert 0.4 <= o.auc <= 0.6
    assert abs(o.advantage) <= 0.15
    assert o.epsilon_lower <= 0.3
    assert all(t.closest_in is not None for t in result.targets)


def _inputs(adult_split):
    from core.audit.run import AuditInputs

    train, holdout, schema = adult_split
    return AuditInputs(run_id="r1", generator="gaussian_copula", params={}, train=train,
                       reference=holdout, schema=schema, targets=4, shadows=40, shadow_rows=60,
                       seed=1)


@pytest.mark.parametrize("table", ["records", "census"])
def test_published_shaped_tables_a_memorising_generator_leaks_there_too(store, table):
    # Setup: names under plain headers, blank case numbers, dates, N markers, integer codes
    data = records_csv(400) if table == "records" else census_csv(400)
    info, _, _ = add_upload(store, data, f"{table}.csv")
    ds = load_dataset(store, info.id)
    from core.audit.run import AuditInputs

    inputs = AuditInputs(run_id=None, generator="gaussian_copula", params={}, train=ds.train,
                         reference=ds.holdout, schema=ds.schema, targets=3, shadows=24,
                         shadow_rows=40, seed=2)

    # Run
    result = run_audit(inputs, generator=Memorising())

    # Assert: identifiers never reach the features; the leak is found on these tables too
    assert_consistent(result, inputs)
    names = result.design["features"]
    assert not any(f"share_{c}" in names for c in ds.schema.identifiers)
    o = result.overall
    half = o.test_shadows // 2
    assert o.auc == 1.0 and o.advantage == 1.0
    assert o.epsilon_lower == pytest.approx(epsilon_lower(Confusion(half, 0, 0, half)))  # max


def test_the_most_isolated_record_is_the_first_target():
    # Setup: ages 30, 31, 32 and one 90-year-old
    from core.audit.targets import select_targets

    train = pd.DataFrame({"age": [30.0, 31.0, 32.0, 90.0], "sex": ["F", "F", "F", "F"]})

    # Run
    targets = select_targets(train, ("age",), 2, seed=0)

    # Assert: 90 is (90 - 32) / 60 / 2 = 0.483 from its nearest neighbour; one random control
    assert [t.kind for t in targets] == ["vulnerable", "random"]
    assert targets[0].index == 3 and targets[0].isolation == pytest.approx(58 / 60 / 2)
    assert targets[1].index in (0, 1, 2)


def test_features_known_answer():
    # Setup: the module docstring's example
    from core.audit.features import Encoder
    from core.schema import ColumnSpec, Schema

    schema = Schema(columns=(ColumnSpec("age", "numerical"), ColumnSpec("sex", "categorical")))
    population = pd.DataFrame({"age": [30, 90, 60], "sex": ["F", "M", "F"]})
    enc = Encoder.fit(population, schema)
    target = enc.frame(pd.DataFrame({"age": [90], "sex": ["F"]})).iloc[0]
    synth = enc.frame(pd.DataFrame({"age": [90, 30], "sex": ["F", "M"]}))

    # Run
    f = dict(zip(enc.names, enc.features(target, synth), strict=True))

    # Assert: distances 0 and (1 + 1) / 2 = 1
    assert f["closest"] == 0.0 and f["mean_5_closest"] == 0.5
    assert f["within_0"] == 0.5 and f["within_0.1"] == 0.5
    assert f["share_sex"] == 0.5 and f["share_age"] == 0.5


def test_progress_is_reported_for_every_fit_and_a_raise_stops_the_audit(small_inputs):
    # Setup
    seen = []

    class Stop(Exception):
        pass

    def progress(fraction, message):
        seen.append((fraction, message))
        if sum(m.endswith(FITTED) for _, m in seen) >= 5:
            raise Stop

    # Run / Assert: it stops after the 5th fit, raising what the callback raised
    with pytest.raises(Stop):
        run_audit(small_inputs, progress, generator=Memorising())
    fractions = [f for f, _ in seen]
    assert fractions == sorted(fractions) and fractions[-1] < 0.2
    assert sum(m.endswith(FITTED) for _, m in seen) == 5
    assert any(m.startswith("target 1 of 4, shadow 5 of 40") for _, m in seen)


def test_shadows_chosen_by_the_budget(small_inputs):
    # Setup: no K given; the memorising generator fits in milliseconds
    inputs = replace(small_inputs, shadows=None, budget_s=30)

    # Run
    result = run_audit(inputs, generator=Memorising())

    # Assert: the most the budget may pick (fast fits), recorded as chosen by the budget
    assert result.design["shadows_chosen_by"] == "budget"
    assert result.design["shadows_per_target"] == 40
    assert_consistent(result, inputs)
    assert choose_shadows(240, 10, 2.0, 10, done=4) == 10  # 11.9 per target -> even: 10
    assert choose_shadows(240, 10, 1.0, 10, done=4) == 22  # 23.4 -> 22
    assert choose_shadows(60, 10, 2.0, 10) == MIN_SHADOWS  # never fewer
    assert choose_shadows(10_000, 0, 0.01, 1) == 40  # never more than 40
    assert fit_time([6.0, 1.2, 1.4, 1.3]) == 1.3  # the first fit's one-off costs left out
    assert fit_time([2.0]) == 2.0


def test_the_notes_say_what_the_reader_must_know(small_inputs):
    # Run
    result = run_audit(small_inputs, generator=Memorising())
    params, notes = shadow_params(get_generator("ctgan"), {"epochs": 30})

    # Assert
    assert result.notes == (NOTE_SMALL_SHADOWS.format(m=60, n=600),
                            NOTE_REFERENCE.format(h=300))
    assert params["epochs"] == 5 and params["batch_size"] == 500
    assert notes == [NOTE_EPOCHS.format(label="CTGAN", used=5, asked=30)]
    assert shadow_params(get_generator("gaussian_copula"), {})[1] == []
    assert shadow_params(get_generator("tvae"), {"epochs": 3})[0]["epochs"] == 3


def test_bad_requests_are_refused_with_the_valid_range(small_inputs):
    cases = {
        (0, None, 60): MSG_TARGETS.format(hi=100, value=0),
        (5, 7, 60): MSG_SHADOWS.format(lo=8, hi=200, value=7),
        (5, 4, 60): MSG_SHADOWS.format(lo=8, hi=200, value=4),
        (5, None, 1): MSG_BUDGET.format(value=1),
        (5, None, "soon"): MSG_BUDGET.format(value="soon"),
    }
    for args, message in cases.items():
        with pytest.raises(UserInputError) as err:
            check_request(*args)
        assert err.value.message == message
    tiny = replace(small_inputs, reference=small_inputs.reference.head(20))
    with pytest.raises(UserInputError) as err:
        run_audit(tiny, generator=Memorising())
    assert err.value.message == MSG_SMALL_REFERENCE.format(need=21, have=20, train=600)
    with pytest.raises(UserInputError) as err:
        run_audit(replace(small_inputs, generator="uploaded"))
    assert err.value.message == MSG_NO_GENERATOR.format(run="r1")


def test_a_real_gaussian_copula_audit_reports_consistent_numbers(small_inputs):
    # Setup: the registered generator, 2 targets x 8 shadows of 60 rows (seconds)
    inputs = replace(small_inputs, targets=2, shadows=8)

    # Run
    result = run_audit(inputs)

    # Assert
    assert_consistent(result, inputs)
    assert result.generator == "gaussian_copula" and result.params == {
        "enforce_min_max_values": True, "default_distribution": "beta"}
    assert result.seconds["mean_fit"] > 0 and np.isfinite(result.overall.auc)
