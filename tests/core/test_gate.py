import pytest

from core.errors import UserInputError
from core.gate import (
    FAIL,
    INCOMPLETE,
    MSG_UNKNOWN_POLICY,
    NOT_COMPUTED,
    PASS,
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
    assert verdict.summary == ("INCOMPLETE under policy 'internal': 13 of 14 checks pass, 0 fail, "
                               "1 not computed.")


def test_unknown_policy_lists_the_valid_ones():
    with pytest.raises(UserInputError) as err:
        get_policy("strict")
    assert err.value.message == MSG_UNKNOWN_POLICY.format(
        name="strict", valid="internal, partner, public")
