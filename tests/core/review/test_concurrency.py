"""Several sessions (threads, each with its own cursors) reviewing through ONE Store."""

import threading
from collections.abc import Callable

import pandas as pd
import pytest

from core import review as rv
from core.store import Store
from core.store import reviews as q
from core.store import runs as runs_q


@pytest.fixture()
def run(store: Store) -> str:
    runs_q.start_run(store, run_id="run1", dataset_id="ds1", schema_version=1,
                     generator="gaussian_copula", params={}, seed=0, rows_requested=2,
                     versions={})
    runs_q.complete_run(store, "run1", pd.DataFrame({"a": [1, 2]}), fit_seconds=0.1,
                        sample_seconds=0.1, peak_memory_mb=1.0)
    return "run1"


def _in_threads(n: int, work: Callable[[int], object]) -> tuple[list, list]:
    """Run ``work(i)`` in ``n`` threads released together; return (results, errors)."""
    start = threading.Barrier(n)
    results: list = []
    errors: list = []

    def go(i: int) -> None:
        start.wait()
        try:
            results.append(work(i))
        except Exception as exc:  # collected and asserted on by the caller
            errors.append(exc)

    threads = [threading.Thread(target=go, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results, errors


def test_eight_sessions_deciding_different_columns_lose_nothing(store, run):
    # Setup
    def session(i: int) -> list[rv.Decision]:
        return [rv.record_decision(store, run, f"col_{i}_{k}", "approve", "", f"reviewer {i}",
                                   evidence={"k": k}) for k in range(25)]

    # Run
    results, errors = _in_threads(8, session)
    # Assert
    assert errors == []
    made = [d for batch in results for d in batch]
    stored = rv.history(store, run)
    assert len(stored) == 200
    assert sorted(d.id for d in stored) == sorted(d.id for d in made)
    assert len({d.target for d in stored}) == 200
    assert rv.progress(store, run, [d.target for d in made]) == (200, 200)


@pytest.mark.parametrize("first_seen", [False, True])
def test_two_sessions_racing_on_one_column_one_wins_the_other_sees_it(store, run, first_seen):
    # Setup: both pages show the same state (no decision, or decision `seen`)
    seen = rv.record_decision(store, run, "age", "approve", "", "Ada") if first_seen else None
    before = rv.history(store, run)
    names = ["Bob", "Cy"]

    def decide(i: int) -> rv.Decision:
        return rv.record_decision(store, run, "age", "reject", f"no ({names[i]})", names[i],
                                  seen_id=seen.id if seen else None)

    for _ in range(5):
        # Run
        results, errors = _in_threads(2, decide)
        # Assert
        assert len(results) == 1 and len(errors) == 1
        winner, loser = results[0], errors[0]
        assert isinstance(loser, rv.ReviewConflict)
        assert loser.current == winner
        assert rv.history(store, run) == [winner] + before
        # Next round: both reset to the winner's state
        rv_history = rv.history(store, run)
        seen, before = rv_history[0], rv_history


def test_two_sessions_that_both_read_before_either_writes_cannot_both_write(store, run,
                                                                          monkeypatch):
    # Setup: hold each session after its in-transaction read until the other has read too, so
    # both insert version 1 of "age" (the UNIQUE key, not the read, must stop the second)
    both_read = threading.Barrier(2, timeout=10)
    read_once = threading.local()
    real_latest = q.latest_decision

    def latest_then_wait(*args, **kwargs):
        found = real_latest(*args, **kwargs)
        if not getattr(read_once, "done", False):
            read_once.done = True
            both_read.wait()
        return found

    monkeypatch.setattr(q, "latest_decision", latest_then_wait)
    names = ["Bob", "Cy"]

    def decide(i: int) -> rv.Decision:
        return rv.record_decision(store, run, "age", "approve", "", names[i])

    # Run
    results, errors = _in_threads(2, decide)
    # Assert
    assert len(results) == 1 and len(errors) == 1
    assert isinstance(errors[0], rv.ReviewConflict)
    assert errors[0].current == results[0]
    assert rv.history(store, run) == results


def test_a_double_click_racing_with_itself_stores_one_decision(store, run):
    # Setup
    def click(_: int) -> rv.Decision:
        return rv.record_decision(store, run, "age", "approve", "", "Ada", token="render-42")

    # Run
    results, errors = _in_threads(2, click)
    # Assert
    assert errors == []
    assert results[0] == results[1]
    assert rv.history(store, run) == [results[0]]


def test_a_double_clicked_sign_off_racing_with_itself_stores_one(store, run):
    # Setup
    rv.record_decision(store, run, "age", "approve", "", "Ada")

    def click(_: int) -> rv.SignOff:
        return rv.sign_off(store, run, "approved", "fine", "Ada", columns=["age"],
                           token="render-7")

    # Run
    results, errors = _in_threads(2, click)
    # Assert
    assert errors == []
    assert results[0] == results[1]
    assert rv.signoff_history(store, run) == [results[0]]
