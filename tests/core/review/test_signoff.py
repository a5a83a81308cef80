import pytest

from core import review as rv
from core.errors import UserInputError
from tests.core.review.conftest import COLUMNS, complete_run


def test_sign_off_is_refused_until_every_column_is_decided_then_allowed(store, run):
    # Setup
    age = rv.record_decision(store, run, "age", "approve", "", "Ada")
    # Run
    with pytest.raises(UserInputError) as err:
        rv.sign_off(store, run, "approved", "good enough", "Ada", columns=COLUMNS)
    sex = rv.record_decision(store, run, "sex", "approve", "", "Bob", role="analyst")
    inc = rv.record_decision(store, run, "income", "needs_work", "", "Bob", role="analyst")
    pair = rv.record_decision(store, run, "age × sex", "approve", "", "Bob", kind="pair")
    s = rv.sign_off(store, run, "approved", " good enough ", "Ada", columns=COLUMNS)
    # Assert
    assert err.value.message == (
        "Run 'run1' cannot be signed off yet: 2 of 3 columns have no decision ('sex', "
        "'income'). Decide them first."
    )
    assert (s.decision, s.reason, s.reviewer, s.role) == ("approved", "good enough", "Ada",
                                                          "reviewer")
    assert s.decisions_snapshot == {"age": age.id, "sex": sex.id, "income": inc.id,
                                    "age × sex": pair.id}
    assert rv.current_signoff(store, run) == s


def test_undecided_columns_beyond_ten_are_counted_not_listed(store, run):
    # Setup
    columns = [f"c{i}" for i in range(12)]
    # Run
    with pytest.raises(UserInputError) as err:
        rv.sign_off(store, run, "rejected", "too noisy", "Ada", columns=columns)
    # Assert
    listed = ", ".join(f"'c{i}'" for i in range(10))
    assert err.value.message == (
        f"Run 'run1' cannot be signed off yet: 12 of 12 columns have no decision ({listed} and "
        "2 more). Decide them first."
    )


@pytest.mark.parametrize(("decision", "reason", "role", "columns", "message"), [
    ("ok", "r", "reviewer", ["age"],
     "There is no sign-off 'ok'. Choose one of: approved, rejected."),
    ("approved", " ", "reviewer", ["age"],
     "The sign-off of run 'run1' has no reason. Write why it is approved or rejected."),
    ("approved", "r", "analyst", ["age"],
     "The role 'analyst' cannot sign off a run; only the role 'reviewer' can. Ask a reviewer "
     "to sign off."),
    ("approved", "r", "viewer", ["age"],
     "The role 'viewer' cannot sign off a run; only the role 'reviewer' can. Ask a reviewer "
     "to sign off."),
    ("approved", "r", "reviewer", [],
     "Run 'run1' cannot be signed off without its list of columns. Pass the dataset's "
     "columns."),
])
def test_invalid_sign_offs_are_refused_with_exact_messages(store, run, decision, reason, role,
                                                           columns, message):
    # Setup: the listed columns are decided, so only the parameter at hand is wrong
    rv.record_decision(store, run, "age", "approve", "", "Ada")
    # Run
    with pytest.raises(UserInputError) as err:
        rv.sign_off(store, run, decision, reason, "Ada", role=role, columns=columns)
    # Assert
    assert err.value.message == message
    assert rv.signoff_history(store, run) == []


def test_sign_offs_are_append_only_and_idempotent_by_token(store, run):
    # Setup
    rv.record_decision(store, run, "age", "approve", "", "Ada")
    first = rv.sign_off(store, run, "approved", "fine", "Ada", columns=["age"], token="so-1")
    # Run
    again = rv.sign_off(store, run, "approved", "fine", "Ada", columns=["age"], token="so-1")
    later = rv.sign_off(store, run, "rejected", "privacy risk found", "Cy", columns=["age"])
    # Assert
    assert again == first
    assert rv.signoff_history(store, run) == [later, first]
    assert rv.current_signoff(store, run) == later
    assert rv.current_signoff(store, complete_run(store, "run2")) is None


def _store_report(store, run_id: str, column_shapes: float) -> str:
    """Store a report whose only gated value is column shapes (0.5 fails internal's 0.80)."""
    from core.metrics.value import MetricValue
    from core.store.reports import save_report
    from tests.core.figures.helpers import make_report

    report = make_report([MetricValue("fidelity.column_shapes", "fidelity", (),
                                      value=column_shapes, score=column_shapes)])
    save_report(store, report.to_json(), run_id, f"key-{column_shapes}")
    return report.verdict.outcome


def test_approving_a_failing_run_needs_an_override_which_is_stored(store, run):
    # Setup
    assert _store_report(store, run, 0.5) == "fail"
    rv.record_decision(store, run, "age", "approve", "", "Ada")
    # Run
    with pytest.raises(UserInputError) as err:
        rv.sign_off(store, run, "approved", "good enough", "Ada", columns=["age"])
    s = rv.sign_off(store, run, "approved", "good enough", "Ada", columns=["age"],
                    override=" pilot only, the board accepted the shapes ")
    # Assert
    assert err.value.message == (
        "Run 'run1' cannot be approved without an override: its verdict is FAIL. Write an "
        "override reason saying why you approve it anyway (--override in the CLI), or reject "
        "the run."
    )
    assert s.override == "pilot only, the board accepted the shapes"
    assert s.label == "approved with override: pilot only, the board accepted the shapes"
    assert rv.current_signoff(store, run) == s
    assert rv.current_signoffs(store, [run, "other"]) == {run: s}


def test_approving_with_a_rejected_column_needs_an_override(store, run):
    # Setup: the verdict is not FAIL, but a column is rejected
    assert _store_report(store, run, 0.95) == "incomplete"  # not FAIL
    rv.record_decision(store, run, "age", "reject", "tail cut off", "Ada")
    rv.record_decision(store, run, "sex", "approve", "", "Ada")
    # Run
    with pytest.raises(UserInputError) as err:
        rv.sign_off(store, run, "approved", "fine", "Ada", columns=["age", "sex"])
    rejected = rv.sign_off(store, run, "rejected", "the age tail", "Ada", columns=["age", "sex"])
    # Assert
    assert err.value.message == (
        "Run 'run1' cannot be approved without an override: 1 column(s) are rejected ('age'). "
        "Write an override reason saying why you approve it anyway (--override in the CLI), or "
        "reject the run."
    )
    assert rv.signoff_needs(store, run) == "1 column(s) are rejected ('age')"
    assert (rejected.override, rejected.label) == (None, "rejected")


def test_an_override_nobody_needs_is_refused(store, run):
    # Setup: a verdict that is not FAIL, nothing rejected
    _store_report(store, run, 0.95)
    rv.record_decision(store, run, "age", "approve", "", "Ada")
    # Run
    with pytest.raises(UserInputError) as err:
        rv.sign_off(store, run, "approved", "fine", "Ada", columns=["age"], override="why not")
    # Assert
    assert err.value.message == (
        "Run 'run1' needs no override: its verdict is not FAIL and no column is rejected. Leave "
        "the override empty."
    )
    assert rv.signoff_needs(store, run) is None
    assert rv.signoff_history(store, run) == []


def test_a_sign_off_with_nothing_chosen_is_refused(store, run):
    # Setup
    rv.record_decision(store, run, "age", "approve", "", "Ada")
    # Run
    with pytest.raises(UserInputError) as err:
        rv.sign_off(store, run, None, "fine", "Ada", columns=["age"])
    # Assert
    assert err.value.message == rv.MSG_NO_SIGNOFF_CHOICE.format(run=run)
    assert err.value.message == (
        "No sign-off was chosen for run 'run1'. Pick Approved or Rejected, then sign off.")


def test_override_needed_names_every_reason():
    assert rv.override_needed("pass", []) is None
    assert rv.override_needed(None, []) is None
    assert rv.override_needed("fail", ["a", "b"]) == (
        "its verdict is FAIL and 2 column(s) are rejected ('a', 'b')")
