import pytest

from core.errors import UserInputError
from core.gate import (
    FAIL,
    INCOMPLETE,
    INCONCLUSIVE,
    MSG_UNKNOWN_POLICY,
    NOT_COMPUTED,
    PASS,
    Verdict,
    apply_gate,
    get_policy,
    load_policies,
)
from core.metrics.registry import REGISTRY
from core.metrics.value import MetricValue


def test_policies_name_registered_metrics_and_get_stricter():
    # Setup
    pols = load_policies()
    # Assert
    assert list(pols) == ["internal", "partner", "public"]
    for p in pols.values():
        for c in p.checks:
            assert c.key in REGISTRY, f"{p.name}: {c.key} is not a registered metric"
            assert c.min is not None or c.max is not None
    for looser, stricter in (("internal", "partner"), ("partner", "public")):
        a = {c.key: c for c in pols[looser].checks}
        b = {c.key: c for c in pols[stricter].checks}
        assert set(a) <= set(b), f"{stricter} must check everything {looser} checks"
        for key, ca in a.items():
            cb = b[key]
            if ca.min is not None:
                assert cb.min >= ca.min, key
            if ca.max is not None:
                assert cb.max <= ca.max, key


def _v(key, value, status="ok", reason=None):
    return MetricValue(key, key.split(".")[0], value=value, status=status, reason=reason)


def test_gate_pass_fail_and_not_computed_is_never_a_pass():
    # Setup
    policy = get_policy("internal")
    good = {c.key: (c.min if c.min is not None else c.max) for c in policy.checks}
    results = tuple(_v(k, v) for k, v in good.items())
    # Run / Assert: values on the bound pass
    assert apply_gate(results, policy).outcome == PASS
    # one value beyond its bound fails
    bad = tuple(_v(r.key, 0.99) if r.key == "privacy.exact_copies" else r for r in results)
    verdict = apply_gate(bad, policy)
    assert verdict.outcome == FAIL
    check = next(c for c in verdict.checks if c.key == "privacy.exact_copies")
    assert check.status == FAIL and check.passed is False
    assert check.meaning == "Fails (needs ≤ 0.02): Few synthetic rows copy a training row [3]."
    # a metric not computed makes the verdict incomplete, and the check is not a pass
    nc = tuple(_v(r.key, None, "not_computed", "no target column is set")
               if r.key == "utility.accuracy" else r for r in results)
    verdict = apply_gate(nc, policy)
    assert verdict.outcome == INCOMPLETE
    check = next(c for c in verdict.checks if c.key == "utility.accuracy")
    assert (check.status, check.passed) == (NOT_COMPUTED, None)
    assert check.meaning == "Not computed: no target column is set."
    assert verdict.summary == ("INCOMPLETE under policy 'internal': 19 of 20 checks pass, 0 fail, "
                               "1 not computed.")


def test_unknown_policy_lists_the_valid_ones():
    with pytest.raises(UserInputError) as err:
        get_policy("strict")
    assert err.value.message == MSG_UNKNOWN_POLICY.format(
        name="strict", valid="internal, partner, public")


def _check(verdict, key):
    return next(c for c in verdict.checks if c.key == key)


def test_a_value_past_its_bound_but_inside_the_noise_floor_is_inconclusive():
    # Setup: the Adult race & age case: amplification 0.238 against a holdout floor of 0.229
    policy = get_policy("internal")
    rows = tuple(
        MetricValue("fairness.bias_amplification", "fairness", value=0.238, baseline=0.229)
        if c.key == "fairness.bias_amplification" else _v(c.key, c.min if c.min is not None
                                                          else c.max)
        for c in policy.checks
    )
    # Run
    verdict = apply_gate(rows, policy)
    # Assert: 0.238 > 0.10, but only 4% past its floor: within noise, and the verdict is not a pass
    check = _check(verdict, "fairness.bias_amplification")
    assert (check.status, check.passed) == (INCONCLUSIVE, None)
    assert (check.value, check.noise_floor, check.max) == (0.238, 0.229, 0.10)
    assert check.rule == ("0.238 > 0.1 but within 10% of the holdout's noise floor 0.229 (fails "
                          "only above 0.252): inconclusive (within noise).")
    assert verdict.outcome == INCOMPLETE
    assert verdict.summary == ("INCOMPLETE under policy 'internal': 19 of 20 checks pass, 0 fail, "
                               "1 inconclusive (within noise), 0 not computed.")


def test_a_value_well_beyond_its_noise_floor_fails():
    # Setup
    policy = get_policy("internal")
    rows = (MetricValue("fairness.bias_amplification", "fairness", value=0.30, baseline=0.05),)
    # Run
    check = _check(apply_gate(rows, policy), "fairness.bias_amplification")
    # Assert
    assert check.status == FAIL and check.noise_floor == 0.05
    assert check.rule == ("0.3 > 0.1 and beyond 10% of the holdout's noise floor 0.05 (fails only "
                          "above 0.055): fail.")


def test_a_min_bound_is_judged_below_its_noise_floor():
    # Setup: column shapes 0.78 < 0.80; a holdout reaching only 0.79 means the data is too small
    policy = get_policy("internal")
    noisy = (MetricValue("fidelity.column_shapes", "fidelity", value=0.78, baseline=0.79),)
    clear = (MetricValue("fidelity.column_shapes", "fidelity", value=0.78, baseline=0.97),)
    # Run / Assert
    assert _check(apply_gate(noisy, policy), "fidelity.column_shapes").status == INCONCLUSIVE
    check = _check(apply_gate(clear, policy), "fidelity.column_shapes")
    assert check.status == FAIL and "fails only below 0.873" in check.rule


def test_a_confidence_interval_that_reaches_the_bound_is_inconclusive():
    # Setup: Anonymeter inference risk, internal bound ≤ 0.25
    policy = get_policy("internal")
    key = "privacy.inference"
    straddles = (MetricValue(key, "privacy", value=0.27, ci_low=0.22, ci_high=0.32),)
    beyond = (MetricValue(key, "privacy", value=0.35, ci_low=0.30, ci_high=0.40),)
    within = (MetricValue(key, "privacy", value=0.20, ci_low=0.15, ci_high=0.27),)
    # Run
    c1, c2, c3 = (_check(apply_gate(r, policy), key) for r in (straddles, beyond, within))
    # Assert
    assert c1.status == INCONCLUSIVE and (c1.ci_low, c1.ci_high) == (0.22, 0.32)
    assert c1.rule == ("0.27 > 0.25 but its 95% interval [0.22, 0.32] reaches the bound: "
                       "inconclusive (within noise).")
    assert c2.status == FAIL
    assert c2.rule == ("0.35 > 0.25 and its 95% interval [0.3, 0.4] lies wholly past the bound: "
                       "fail.")
    assert c3.status == PASS and c3.ci_reaches_bound
    assert c3.rule == ("0.2 is within ≤ 0.25; its 95% interval [0.15, 0.27] reaches past the "
                       "bound: pass.")


def test_a_metric_without_noise_reference_is_judged_by_the_plain_bound():
    # Setup: the accuracy gap has no holdout floor and no interval; a baseline it carried would
    # not be a noise floor either
    policy = get_policy("internal")
    rows = (MetricValue("utility.accuracy", "utility", value=0.106, baseline=0.2),)
    # Run
    check = _check(apply_gate(rows, policy), "utility.accuracy")
    # Assert
    assert check.status == FAIL and check.noise_floor is None
    assert check.rule == ("0.106 > 0.1; this metric has no noise reference, so the plain bound "
                          "decides: fail.")


def test_fairness_is_judged_per_attribute_set_against_its_own_floor():
    # Setup: race & age is past the bound but within its floor; sex is clearly beyond its floor.
    # The table row is the worst set (race & age); a pooled small group is reported, not gated.
    key = "fairness.bias_amplification"
    policy = get_policy("internal")

    def row(attrs, value, floor, group=None, **kw):
        return MetricValue(key, "fairness", attrs, group=group, value=value, baseline=floor, **kw)

    top = row((), 0.238, 0.229)
    race_age = row(("race", "age"), 0.238, 0.229)
    sex = row(("sex",), 0.15, 0.01)
    small = row(("race", "age"), None, None, group="race & age=(other)", status=NOT_COMPUTED,
                reason="too small")
    # Run
    mixed = _check(apply_gate((top, race_age, sex, small), policy), key)
    noisy = _check(apply_gate((top, race_age, small), policy), key)
    # Assert
    assert (mixed.status, mixed.attribute_set, mixed.value, mixed.noise_floor) == (
        FAIL, "sex", 0.15, 0.01)
    assert mixed.rule.startswith("Worst attribute set sex: 0.15 > 0.1 and beyond")
    assert mixed.rule.endswith("Too small to judge, reported but not gated: 0 attribute set(s) "
                               "and 1 pooled group(s) of small groups.")
    assert (noisy.status, noisy.attribute_set) == (INCONCLUSIVE, "race & age")


def test_reports_stored_before_the_noise_aware_gate_still_load():
    # Setup: a check as stored before noise_floor, ci_low, ci_high, rule, attribute_set existed
    old = {"policy": "internal", "outcome": "fail", "summary": "FAIL ...", "checks": [
        {"key": "privacy.exact_copies", "name": "Exact copies", "family": "privacy",
         "value": 0.5, "min": None, "max": 0.02, "status": "fail", "meaning": "Fails",
         "passed": False}]}
    # Run
    verdict = Verdict.from_dict(old)
    # Assert
    check = verdict.checks[0]
    assert (check.status, check.noise_floor, check.ci_low, check.rule, check.attribute_set) == (
        FAIL, None, None, "", None)
    assert Verdict.from_dict(verdict.to_dict()) == verdict
