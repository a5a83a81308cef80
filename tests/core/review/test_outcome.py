"""use_answer: may the data be used, from the verdict and the sign-off."""

from dataclasses import replace
from datetime import UTC, datetime

from core.metrics.value import MetricValue
from core.review import SignOff, use_answer
from tests.core.figures.helpers import make_report

APPROVED = SignOff(id=1, run_id="r", decision="approved", reason="fit for analytics",
                   reviewer="Ada", role="reviewer", created_at=datetime(2026, 1, 2, tzinfo=UTC),
                   decisions_snapshot={})


def _verdict(shapes: float, policy: str = "internal"):
    rows = [MetricValue("fidelity.column_shapes", "fidelity", (), value=shapes, score=shapes)]
    return make_report(rows, policy=policy).verdict


def test_without_a_sign_off_the_answer_is_not_yet_and_says_what_failed():
    assert use_answer(_verdict(0.5), None) == (
        "Not yet: it fails 1 of 20 checks of policy 'internal' (Column shapes), and no expert "
        "has signed it off.")


def test_an_approval_answers_yes_for_the_policys_use():
    # Setup: a verdict with every check passing
    v = _verdict(0.9)
    v = replace(v, outcome="pass", checks=tuple(c for c in v.checks if c.status == "pass"))
    # Assert
    assert use_answer(v, APPROVED) == (
        "Yes — for internal use (use inside the organisation by people cleared for the real "
        "data's domain): it passes all 1 checks of policy 'internal', and Ada approved it (fit "
        "for analytics).")


def test_an_override_and_a_rejection_are_said_as_such():
    # Setup
    overridden = replace(APPROVED, override="the board accepted the shapes")
    rejected = {"decision": "rejected", "reason": "privacy risk", "reviewer": "Cy"}
    # Assert
    assert use_answer(_verdict(0.5), overridden).startswith(
        "Yes, with an override — for internal use (")
    assert use_answer(_verdict(0.5), overridden).endswith(
        "but Ada approved it knowingly: the board accepted the shapes")
    assert use_answer(_verdict(0.5), rejected).startswith("No: Cy rejected it (privacy risk); ")
