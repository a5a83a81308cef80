"""Deleting a dataset or a run: gone from the file and the backups, logged, the rest untouched."""

from __future__ import annotations

import pandas as pd
import pytest

from core import review as rv
from core.datasets import load_dataset
from core.errors import NotFoundError, UserInputError
from core.evaluation import latest_report_id, load_report
from core.lifecycle import delete_dataset, delete_run, list_deletions
from core.lifecycle.access import MSG_NOT_DONE, MSG_ROLE_CANNOT_DELETE
from core.lifecycle.deletion import MSG_CONFIRM_NAME
from core.runs import list_runs, load_synthetic
from core.store.backup import list_backups
from core.store.datasets import list_datasets
from tests.core.lifecycle.conftest import CAT_MARKER, ID_MARKER, files_holding


def _snapshot(store, ids: dict) -> dict:
    return {
        "rows": load_dataset(store, ids["dataset"]).rows,
        "synthetic": load_synthetic(store, ids["run"]),
        "report": load_report(store, latest_report_id(store, ids["run"])).to_json(),
    }


def test_a_deleted_dataset_leaves_neither_the_file_nor_the_backups(two):
    # Setup
    store, folder = two["store"], two["folder"]
    assert files_holding(folder, ID_MARKER)  # the test can fail: the bytes are there
    assert any(f.startswith("backups/") for f in files_holding(folder, CAT_MARKER))
    other = _snapshot(store, two["other"])
    # Run
    entry = delete_dataset(store, two["marked"]["dataset"], reason="erasure request 2026-014",
                           who="Ada", role="reviewer")
    # Assert: no byte of it on disk, database, WAL or backups
    assert files_holding(folder, ID_MARKER) == []
    assert files_holding(folder, CAT_MARKER) == []
    assert len(list_backups(two["path"])) == 1  # one fresh backup of the rewritten file
    # the log says what, how much, who, when, why
    assert list_deletions(store) == [entry]
    assert (entry.kind, entry.target_id, entry.target_name) == (
        "dataset", two["marked"]["dataset"], "patients")
    assert (entry.who, entry.role, entry.reason) == ("Ada", "reviewer", "erasure request 2026-014")
    assert (entry.real_rows, entry.synthetic_rows, entry.forced) == (80, 60, False)
    assert entry.erased_at is not None and entry.erased_at >= entry.created_at
    assert {k: entry.counts[k] for k in ("datasets", "dataset_rows", "runs", "run_rows")} == {
        "datasets": 1, "dataset_rows": 1, "runs": 1, "run_rows": 1}
    assert entry.counts["dataset_splits"] == 80 and entry.counts["reports"] >= 1
    assert entry.counts["metric_values"] > 0
    # the other dataset is untouched
    assert [d.id for d in list_datasets(store)] == [two["other"]["dataset"]]
    after = _snapshot(store, two["other"])
    pd.testing.assert_frame_equal(after["rows"], other["rows"])
    pd.testing.assert_frame_equal(after["synthetic"], other["synthetic"])
    assert after["report"] == other["report"]
    with pytest.raises(NotFoundError):
        load_dataset(store, two["marked"]["dataset"])


def test_a_deleted_run_takes_its_reports_and_decisions_but_not_the_dataset(two):
    # Setup
    store, run = two["store"], two["marked"]["run"]
    rv.record_decision(store, run, "age", "approve", "", "Ada")
    # Run
    entry = delete_run(store, run, reason="bad fit", who="Ada", role="reviewer", confirm=run)
    # Assert
    assert list_runs(store, two["marked"]["dataset"]) == []
    assert latest_report_id(store, run) is None
    assert rv.history(store, run) == []
    assert entry.counts["review_decisions"] == 1 and entry.counts["runs"] == 1
    assert (entry.kind, entry.real_rows, entry.synthetic_rows) == ("run", 0, 60)
    assert len(load_dataset(store, two["marked"]["dataset"]).rows) == 80
    assert files_holding(two["folder"], ID_MARKER)  # real rows were not part of the run


@pytest.mark.parametrize("role", ["viewer", "analyst"])
def test_a_viewer_or_analyst_cannot_delete(two, role):
    # Setup
    store = two["store"]
    # Run
    with pytest.raises(UserInputError) as err:
        delete_dataset(store, two["marked"]["dataset"], reason="x", who="Bob", role=role)
    with pytest.raises(UserInputError) as run_err:
        delete_run(store, two["marked"]["run"], reason="x", who="Bob", role=role)
    # Assert
    assert err.value.message == MSG_ROLE_CANNOT_DELETE.format(role=role)
    assert run_err.value.message == MSG_ROLE_CANNOT_DELETE.format(role=role)
    assert len(list_datasets(store)) == 2 and list_deletions(store) == []


def test_every_problem_is_listed_and_a_wrong_name_deletes_nothing(two):
    # Setup
    store = two["store"]
    # Run
    with pytest.raises(UserInputError) as err:
        delete_dataset(store, two["marked"]["dataset"], reason=" ", who="Ada", role="reviewer",
                       confirm="patient")
    # Assert
    assert err.value.message == MSG_NOT_DONE.format(n=2)
    assert err.value.problems[1] == MSG_CONFIRM_NAME.format(name="patients", typed="patient")
    assert len(list_datasets(store)) == 2
