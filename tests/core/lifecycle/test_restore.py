"""Adding again a table whose real rows were purged: the rows come back, nothing else changes."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from core import review as rv
from core.datasets import (
    MSG_REAL_PURGED,
    MSG_RESTORE_PAST_RETENTION,
    MSG_RESTORED,
    add_dataset,
    get_dataset,
    last_purge,
    load_dataset,
    purge_info,
    restored_note,
)
from core.errors import UserInputError
from core.evaluation import evaluate_run, latest_report_id, load_report
from core.lifecycle import list_deletions, purge_real
from core.runs import generate
from tests.core.lifecycle.conftest import FAST, ID_MARKER, files_holding, sign_off_all, table
from tests.core.lifecycle.test_cli_commands import cli


def _add_again(store, df: pd.DataFrame, report: dict | None = None):
    return add_dataset(store, df, report or {"file_name": "patients-again.csv", "rows_read": 80},
                       name="patients (again)", source_name="patients-again.csv",
                       target="ward", protected=["outcome"])


def test_adding_a_purged_table_again_restores_its_rows_and_split(two):
    # Setup: the marked dataset is signed off, its split noted, then its real rows purged
    store, marked = two["store"], two["marked"]
    cols = list(marked["report"].schema.synth_columns)
    sign_off_all(store, marked["run"], cols)
    before = load_dataset(store, marked["dataset"])
    history = rv.history(store, marked["run"])
    entry = purge_real(store, marked["dataset"], reason="no longer needed", who="Ada",
                       role="reviewer")
    # Run: the same rows are added again (another name, other roles asked for)
    info, stored = _add_again(store, table(1, True))
    # Assert: the same dataset, its rows and holdout rows as they were, its record and schema kept
    assert stored is True and info.id == marked["dataset"]
    again = load_dataset(store, info.id)
    assert again.rows.equals(before.rows)
    assert np.array_equal(again.is_holdout, before.is_holdout)
    assert (again.schema, again.schema_version) == (before.schema, before.schema_version)
    assert (info.name, info.n_holdout, info.n_runs) == ("patients", before.info.n_holdout, 1)
    assert info.load_report == {"file_name": "patients-again.csv", "rows_read": 80}
    assert purge_info(store, info.id) is None and last_purge(store, info.id) == entry
    assert restored_note(store, info) == MSG_RESTORED.format(name="patients",
                                                             when=entry.created_at)
    assert files_holding(two["folder"], ID_MARKER)  # back in the file
    # the run, its report, decisions and sign-off are untouched; the log still has the purge
    assert rv.history(store, marked["run"]) == history
    assert rv.current_signoff(store, marked["run"]).decision == "approved"
    assert [d.kind for d in list_deletions(store)] == ["purge_real"]
    # the rows are usable again: evaluate the old run, generate a new one
    report, _ = evaluate_run(store, marked["run"], config=FAST, force=True)
    assert load_report(store, latest_report_id(store, marked["run"])).to_json() == \
        report.to_json()
    assert len(generate(store, info.id, "gaussian_copula", n_rows=5, seed=2).id) > 0
    # adding it a third time: already stored, nothing changes; and it can be purged again
    assert _add_again(store, table(1, True), {"file_name": "third.csv"}) == (
        get_dataset(store, info.id), False)
    assert get_dataset(store, info.id).load_report["file_name"] == "patients-again.csv"
    second = purge_real(store, info.id, reason="done again", who="Ada", role="reviewer")
    assert purge_info(store, info.id) == second
    assert files_holding(two["folder"], ID_MARKER) == []


def test_a_new_table_is_not_called_restored(two):
    # Setup + Run: a table never stored before
    info, stored = _add_again(two["store"], table(7, False))
    # Assert
    assert stored is True and restored_note(two["store"], info) is None


def test_a_purged_table_past_its_retention_limit_is_not_stored_again(two, monkeypatch):
    # Setup: signed off 31 days ago (the sign-off's time moved back), purged; a 30-day limit
    store, marked = two["store"], two["marked"]
    sign_off_all(store, marked["run"], list(marked["report"].schema.synth_columns))
    with store.transaction() as cur:
        cur.execute("UPDATE review_signoffs SET created_at = created_at - INTERVAL 31 DAY")
    signed = rv.current_signoff(store, marked["run"]).created_at
    entry = purge_real(store, marked["dataset"], reason="x", who="Ada", role="reviewer")
    monkeypatch.setenv("SYNTHREVIEW_RETENTION_DAYS", "30")
    # Run
    with pytest.raises(UserInputError) as err:
        _add_again(store, table(1, True))
    # Assert: a clear message, and the dataset is still purged, nothing stored
    assert err.value.message == MSG_RESTORE_PAST_RETENTION.format(
        name="patients", when=entry.created_at, days=30, signed=signed)
    assert "retention limit (30 day(s) after the sign-off of" in err.value.message
    assert purge_info(store, marked["dataset"]) == entry
    assert files_holding(two["folder"], ID_MARKER) == []
    with pytest.raises(UserInputError) as load:
        load_dataset(store, marked["dataset"])
    assert load.value.message == MSG_REAL_PURGED.format(name="patients", when=entry.created_at,
                                                        reason="x")
    # with a longer limit it may come back
    monkeypatch.setenv("SYNTHREVIEW_RETENTION_DAYS", "60")
    assert _add_again(store, table(1, True))[1] is True
    assert len(load_dataset(store, marked["dataset"]).rows) == 80


def test_the_cli_says_the_rows_of_a_purged_table_are_stored_again(tmp_path):
    # Setup: a table as published (ids blank for most rows, codes as integers, a sentinel)
    rng = np.random.default_rng(3)
    n = 60
    ids = np.where(rng.random(n) < 0.2, [f"REF{i:05d}" for i in range(n)], "")
    df = pd.DataFrame({
        "ref": ids, "region": rng.integers(1, 9, n), "age": rng.integers(18, 80, n).astype(str),
        "name": [f"Person {i}" for i in range(n)], "died": rng.integers(0, 2, n),
    })
    df.loc[::11, "age"] = "N"
    path = tmp_path / "cases.csv"
    df.to_csv(path, index=False)
    db = tmp_path / "cli.duckdb"
    first = cli(db, "datasets", "add", str(path))
    assert first.returncode == 0, first.stderr
    ds = first.stdout.strip()
    purged = cli(db, "datasets", "purge-real", ds, "--reason", "erasure request", "--force",
                 "--by", "Ada", "--role", "reviewer")
    assert purged.returncode == 0, purged.stderr
    # Run
    again = cli(db, "datasets", "add", str(path))
    # Assert: the same id, a note that says what happened, and the rows can be purged again
    assert again.returncode == 0, again.stderr
    assert again.stdout.strip() == ds
    assert "note: The real rows of dataset 'cases' (purged on " in again.stderr
    assert "are stored again, with the holdout split they had" in again.stderr
    assert "already stored" not in again.stderr
    twice = cli(db, "datasets", "purge-real", ds, "--reason", "again", "--force", "--by", "Ada",
                "--role", "reviewer")
    assert twice.returncode == 0, twice.stderr


def test_restoring_rows_that_are_back_already_stores_nothing(two):
    # Setup: two adds of a purged table race; the first has stored the rows again
    from core.store import datasets as q

    store, marked = two["store"], two["marked"]
    purge_real(store, marked["dataset"], reason="x", who="Ada", role="reviewer", force=True)
    _add_again(store, table(1, True))
    before = load_dataset(store, marked["dataset"])
    # Run: the second one's restore, with other rows and another split
    stored = q.restore_rows(store, marked["dataset"], df=table(9, False),
                            load_report={"file_name": "late.csv"},
                            is_holdout=~before.is_holdout)
    # Assert: refused without a change
    after = load_dataset(store, marked["dataset"])
    assert stored is False
    assert after.rows.equals(before.rows)
    assert np.array_equal(after.is_holdout, before.is_holdout)
    assert after.info.load_report == before.info.load_report
