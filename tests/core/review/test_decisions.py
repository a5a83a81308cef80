from datetime import UTC

import numpy as np
import pytest

from core import review as rv
from core.errors import NotFoundError, UserInputError
from core.store import Store
from core.store import runs as runs_q
from core.store.runs import MSG_NO_RUN
from tests.core.review.conftest import COLUMNS, complete_run


def test_a_decision_is_stored_at_once_with_who_when_and_evidence(store, run):
    # Setup: evidence as the page shows it, numpy scalars included
    evidence = {"fidelity.ks_complement": {"value": np.float64(0.91), "min": 0.8}, "n": np.int64(3)}
    # Run
    d = rv.record_decision(store, run, "age", "approve", " fine ", " Ada ", evidence=evidence)
    # Assert
    assert rv.history(store, run) == [d]
    assert (d.kind, d.target, d.decision, d.comment, d.reviewer, d.role, d.seen_id) == (
        "column", "age", "approve", "fine", "Ada", "reviewer", None)
    assert d.evidence == {"fidelity.ks_complement": {"value": 0.91, "min": 0.8}, "n": 3}
    assert d.created_at.tzinfo == UTC


def test_history_is_append_only_and_the_current_decision_is_the_latest(store, run):
    # Setup
    a = rv.record_decision(store, run, "age", "approve", "", "Ada")
    b = rv.record_decision(store, run, "age", "reject", "tails too thin", "Bob", seen_id=a.id)
    other = rv.record_decision(store, run, "sex", "approve", "", "Ada")
    # Run
    c = rv.record_decision(store, run, "age", "needs_work", "check tails", "Ada", seen_id=b.id)
    # Assert
    assert rv.history(store, run, "age") == [c, b, a]
    assert rv.history(store, run) == [c, other, b, a]
    assert rv.current_decisions(store, run) == {"age": c, "sex": other}
    assert c.seen_id == b.id and b.seen_id == a.id


def test_a_stale_page_gets_a_conflict_naming_the_newer_decision_and_nothing_is_written(store,
                                                                                      run):
    # Setup: A and B both saw no decision; A saves first
    a = rv.record_decision(store, run, "age", "approve", "", "Ada", role="analyst")
    # Run
    with pytest.raises(rv.ReviewConflict) as err:
        rv.record_decision(store, run, "age", "reject", "skewed", "Bob", seen_id=None)
    # Assert
    assert err.value.current == a
    assert err.value.message == (
        f"Ada (analyst) recorded 'approve' on column 'age' at "
        f"{a.created_at:%Y-%m-%d %H:%M:%S} UTC (decision {a.id}), after the version you saw. "
        "Yours was not saved: read their decision, then decide again if you still disagree."
    )
    assert isinstance(err.value, UserInputError)
    assert rv.history(store, run) == [a]


def test_a_seen_id_on_a_target_without_decisions_is_refused(store, run):
    # Run
    with pytest.raises(UserInputError) as err:
        rv.record_decision(store, run, "age", "approve", "", "Ada", seen_id=7)
    # Assert
    assert err.value.message == rv.MSG_SEEN_UNKNOWN.format(kind="column", target="age",
                                                           seen_id=7)
    assert rv.history(store, run) == []


def test_the_same_token_stores_one_decision(store, run):
    # Setup
    first = rv.record_decision(store, run, "age", "approve", "", "Ada", token="btn-1")
    # Run: the double click (its page still shows no decision), then a later edit of the args
    again = rv.record_decision(store, run, "age", "approve", "", "Ada", token="btn-1")
    changed = rv.record_decision(store, run, "age", "reject", "x", "Ada", token="btn-1")
    # Assert
    assert again == first and changed == first
    assert rv.history(store, run) == [first]


def test_a_token_is_scoped_to_its_run(store, run):
    # Setup
    other_run = complete_run(store, "run2")
    first = rv.record_decision(store, run, "age", "approve", "", "Ada", token="btn-1")
    # Run
    second = rv.record_decision(store, other_run, "age", "approve", "", "Ada", token="btn-1")
    # Assert
    assert second.id != first.id and second.run_id == "run2"


@pytest.mark.parametrize("comment", ["", "   "])
def test_reject_without_a_comment_is_refused(store, run, comment):
    # Run
    with pytest.raises(UserInputError) as err:
        rv.record_decision(store, run, "age", "reject", comment, "Ada")
    # Assert
    assert err.value.message == (
        "Rejecting column 'age' needs a comment saying what is wrong. Write one, then reject "
        "again."
    )
    assert rv.history(store, run) == []


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"decision": "ok"}, "There is no decision 'ok'. Choose one of: approve, reject, needs_work."),
    ({"decision": None}, "No decision was chosen for column 'age'. Pick Approve, Reject or "
                         "Needs work, then save."),
    ({"reviewer": "  "}, rv.MSG_NO_REVIEWER),
    ({"target": ""}, "No column was given to decide on. Pick one."),
    ({"kind": "cell"}, "There is no kind of review target 'cell'. Choose one of: column, pair, "
                       "row."),
    ({"role": "admin"}, "There is no role 'admin'. Choose one of: reviewer, analyst, viewer."),
    ({"role": "viewer"}, "The role 'viewer' can only read the review. Deciding needs the role "
                         "'reviewer' or 'analyst': ask one of them to record it."),
])
def test_invalid_decisions_are_refused_with_exact_messages(store, run, kwargs, message):
    # Setup
    args = {"target": "age", "decision": "approve", "comment": "", "reviewer": "Ada"} | kwargs
    kind_role = {k: args.pop(k) for k in ("kind", "role") if k in args}
    # Run
    with pytest.raises(UserInputError) as err:
        rv.record_decision(store, run, args["target"], args["decision"], args["comment"],
                           args["reviewer"], **kind_role)
    # Assert
    assert err.value.message == message
    assert rv.history(store, run) == []


def test_every_problem_is_listed_at_once(store, run):
    # Run
    with pytest.raises(UserInputError) as err:
        rv.record_decision(store, run, "age", "reject", "", "", role="viewer")
    # Assert
    assert err.value.message == "Nothing was saved: 3 problems need fixing."
    assert err.value.problems == (
        rv.MSG_REJECT_NEEDS_COMMENT.format(kind="column", target="age"), rv.MSG_NO_REVIEWER,
        rv.MSG_VIEWER_CANNOT_DECIDE,
    )


def test_unknown_and_incomplete_runs_cannot_be_reviewed(store):
    # Setup
    runs_q.start_run(store, run_id="busy", dataset_id="ds1", schema_version=1,
                     generator="ctgan", params={}, seed=0, rows_requested=2, versions={})
    # Run
    with pytest.raises(NotFoundError) as missing:
        rv.record_decision(store, "nope", "age", "approve", "", "Ada")
    with pytest.raises(UserInputError) as running:
        rv.record_decision(store, "busy", "age", "approve", "", "Ada")
    # Assert
    assert missing.value.message == MSG_NO_RUN.format(id="nope")
    assert running.value.message == (
        "Run 'busy' is running, so there is nothing to review. Pick a complete run."
    )


def test_pairs_and_rows_are_decided_apart_from_columns(store, run):
    # Setup
    pair = rv.pair_target("age", "income")
    row = rv.row_target(123)
    # Run
    p = rv.record_decision(store, run, pair, "needs_work", "", "Ada", kind="pair")
    r = rv.record_decision(store, run, row, "reject", "copies a real person", "Ada", kind="row")
    # Assert
    assert (pair, row) == ("age × income", "synthetic row 123")
    assert rv.current_decisions(store, run, "pair") == {pair: p}
    assert rv.current_decisions(store, run, "row") == {row: r}
    assert rv.current_decisions(store, run) == {}
    assert rv.progress(store, run, COLUMNS) == (0, 3)


def test_progress_counts_columns_with_a_current_decision(store, run):
    # Setup
    rv.record_decision(store, run, "age", "approve", "", "Ada")
    rv.record_decision(store, run, "sex", "needs_work", "", "Ada")
    rv.record_decision(store, run, "dropped_column", "approve", "", "Ada")
    # Run
    done = rv.progress(store, run, COLUMNS + ["age"])
    # Assert: the same count from decisions already read
    assert done == (2, 3)
    assert rv.progress_of(rv.current_decisions(store, run), COLUMNS + ["age"]) == done


def test_decision_count_counts_every_event_of_the_run_and_no_other(store, run):
    # Setup: two events on one column (the second overrides the first), a pair, a row, and a
    # decision on another run
    other = complete_run(store, "other")
    a = rv.record_decision(store, run, "age", "approve", "", "Ada")
    rv.record_decision(store, run, "age", "reject", "tails", "Bob", seen_id=a.id)
    rv.record_decision(store, run, rv.pair_target("age", "sex"), "approve", "", "Ada", kind="pair")
    rv.record_decision(store, run, rv.row_target(7), "reject", "a copy", "Ada", kind="row")
    rv.record_decision(store, other, "age", "approve", "", "Ada")
    # Run
    counts = rv.decision_count(store, run), rv.decision_count(store, other)
    # Assert: the count is the history's length, without loading it
    assert counts == (4, 1)
    assert counts[0] == len(rv.history(store, run))


def test_a_restart_loses_nothing(db_file):
    # Setup
    store = Store(db_file)
    run = complete_run(store)
    a = rv.record_decision(store, run, "age", "approve", "", "Ada", evidence={"ks": 0.9})
    b = rv.record_decision(store, run, "age", "reject", "skew", "Bob", seen_id=a.id)
    s = rv.sign_off(store, run, "rejected", "age is skewed", "Ada", columns=["age"])
    store.close()
    # Run
    reopened = Store(db_file)
    # Assert
    try:
        assert rv.history(store=reopened, run_id=run) == [b, a]
        assert rv.current_decisions(reopened, run) == {"age": b}
        assert rv.signoff_history(reopened, run) == [s]
        c = rv.record_decision(reopened, run, "age", "approve", "", "Cy", seen_id=b.id)
        assert c.id > b.id
    finally:
        reopened.close()


@pytest.mark.parametrize(("decided", "current", "expected"), [
    (set(), 0, 1),                      # the next column
    ({"sex"}, 0, 2),                    # decided columns are skipped
    ({"sex", "income"}, 0, 0),          # all decided: stay
    ({"income"}, 2, 0),                 # none after: wrap to the first undecided
    ({"age"}, 1, 2),
    ({"age"}, 2, 1),
])
def test_next_undecided_is_the_first_undecided_column_after_the_current_one(decided, current,
                                                                            expected):
    # Run
    nxt = rv.next_undecided(COLUMNS, decided, current)
    # Assert
    assert nxt == expected


def test_next_undecided_takes_current_decisions_and_counts_the_current_column_as_decided(store,
                                                                                         run):
    # Setup: 'age' decided earlier; the reviewer has just decided 'income'
    rv.record_decision(store, run, "age", "approve", "", "Ada")
    decided = rv.current_decisions(store, run)
    # Run
    nxt = rv.next_undecided(COLUMNS, decided, COLUMNS.index("income"))
    # Assert
    assert nxt == COLUMNS.index("sex")


def test_status_labels_tell_every_state_apart():
    labels = [rv.status_label("age", d) for d in (*rv.DECISIONS, None)]
    assert labels == ["✓ age — approved", "✗ age — rejected", "⚠ age — needs work",
                      "○ age — undecided"]
