"""Purging real rows: gone from disk; runs, reports, decisions and sign-off still load."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from core import review as rv
from core.datasets import MSG_REAL_PURGED, get_dataset, load_dataset, purge_info
from core.errors import UserInputError
from core.evaluation import evaluate_run, latest_report_id, load_report
from core.lifecycle import list_deletions, purge_real, run_retention
from core.lifecycle.purge import MSG_ALREADY_PURGED, MSG_NOT_SIGNED_OFF
from core.lifecycle.retention import MSG_BAD_DAYS, REASON, retention_days
from core.runs import generate, load_synthetic
from tests.core.lifecycle.conftest import CAT_MARKER, FAST, ID_MARKER, files_holding, sign_off_all


def _columns(report) -> list[str]:
    return list(report.schema.synth_columns)


def test_purge_removes_real_rows_and_keeps_the_decision(two):
    # Setup: the marked dataset's run is signed off as approved
    store, marked = two["store"], two["marked"]
    sign_off_all(store, marked["run"], _columns(marked["report"]))
    history, signoff = rv.history(store, marked["run"]), rv.current_signoff(store, marked["run"])
    synthetic = load_synthetic(store, marked["run"])
    assert files_holding(two["folder"], ID_MARKER)
    # Run
    entry = purge_real(store, marked["dataset"], reason="retention limit", who="Ada",
                       role="reviewer")
    # Assert: the real rows are gone from every file
    assert files_holding(two["folder"], ID_MARKER) == []
    assert (entry.kind, entry.real_rows, entry.forced) == ("purge_real", 80, False)
    assert entry.counts == {"dataset_rows": 1, "dataset_splits": 80}
    # runs, reports, decisions and the sign-off still load
    assert load_synthetic(store, marked["run"]).equals(synthetic)
    assert load_report(store, latest_report_id(store, marked["run"])).to_json() == \
        marked["report"].to_json()
    assert rv.history(store, marked["run"]) == history
    assert rv.current_signoff(store, marked["run"]) == signoff
    assert files_holding(two["folder"], CAT_MARKER)  # synthetic rows and reports are kept
    # loading the real rows says when and why
    with pytest.raises(UserInputError) as err:
        load_dataset(store, marked["dataset"])
    assert err.value.message == MSG_REAL_PURGED.format(
        name="patients", when=entry.created_at, reason="retention limit")
    assert err.value.message.startswith("The real rows of dataset 'patients' were purged on ")
    assert err.value.message.endswith(
        " UTC (reason: retention limit). Its runs, reports and decisions are kept.")
    assert purge_info(store, marked["dataset"]) == entry
    assert get_dataset(store, marked["dataset"]).load_report["purged"] is True
    # generating or evaluating again needs the real rows: the same message
    for needs_rows in (lambda: generate(store, marked["dataset"], "gaussian_copula", n_rows=5),
                       lambda: evaluate_run(store, marked["run"], config=FAST, force=True)):
        with pytest.raises(UserInputError) as again:
            needs_rows()
        assert again.value.message == err.value.message
    # a second purge says it was done
    with pytest.raises(UserInputError) as twice:
        purge_real(store, marked["dataset"], reason="x", who="Ada", role="reviewer")
    assert twice.value.message == MSG_ALREADY_PURGED.format(name="patients",
                                                            when=entry.created_at)


def test_purge_without_an_approved_sign_off_is_refused_unless_forced(two):
    # Setup: a rejected sign-off does not count
    store, marked = two["store"], two["marked"]
    cols = _columns(marked["report"])
    for col in cols:
        rv.record_decision(store, marked["run"], col, "approve", "", "Ada")
    rv.sign_off(store, marked["run"], "rejected", "too close", "Ada", columns=cols)
    # Run
    with pytest.raises(UserInputError) as err:
        purge_real(store, marked["dataset"], reason="x", who="Ada", role="reviewer")
    forced = purge_real(store, marked["dataset"], reason="erasure request", who="Ada",
                        role="reviewer", force=True)
    # Assert
    assert err.value.message == MSG_NOT_SIGNED_OFF.format(name="patients")
    assert forced.forced is True
    assert [d.id for d in list_deletions(store)] == [forced.id]


def test_retention_purges_only_datasets_signed_off_long_enough_ago(two, monkeypatch):
    # Setup: only the marked dataset is signed off
    store, marked = two["store"], two["marked"]
    sign_off_all(store, marked["run"], _columns(marked["report"]))
    signed = rv.current_signoff(store, marked["run"]).created_at
    # Run
    early = run_retention(store, days=30, now=signed + timedelta(days=29))
    due = run_retention(store, days=30, now=signed + timedelta(days=30, seconds=1))
    again = run_retention(store, days=30, now=datetime.now(UTC) + timedelta(days=400))
    # Assert
    assert early == [] and again == []
    assert [(d.kind, d.target_id, d.role) for d in due] == [
        ("purge_real", marked["dataset"], "system")]
    assert due[0].reason == REASON.format(days=30, when=signed)
    assert files_holding(two["folder"], ID_MARKER) == []
    assert len(load_dataset(store, two["other"]["dataset"]).rows) == 80
    monkeypatch.delenv("SYNTHREVIEW_RETENTION_DAYS", raising=False)
    assert run_retention(store) == [] and retention_days() is None


@pytest.mark.parametrize("value", ["0", "ten", "-3"])
def test_a_bad_retention_setting_is_refused(monkeypatch, value):
    # Setup
    monkeypatch.setenv("SYNTHREVIEW_RETENTION_DAYS", value)
    # Run
    with pytest.raises(UserInputError) as err:
        retention_days()
    # Assert
    assert err.value.message == MSG_BAD_DAYS.format(value=value)
