"""The Data page's delete and purge panel and the Runs page's deletions log."""

from __future__ import annotations

import pytest

from core.datasets import list_datasets
from core.lifecycle import delete_run, list_deletions
from core.lifecycle.deletion import MSG_CONFIRM_NAME
from core.runs import list_runs
from core.store import Store
from tests.app.conftest import page
from ui import state
from ui.bootstrap import _open_store
from ui.text import md_escape


@pytest.fixture(autouse=True)
def _fresh_store_cache():
    _open_store.clear()
    yield
    _open_store.clear()


def _open(seeded_db, name):
    at = page(name)
    at.session_state[state.DATASET_ID] = seeded_db["dataset"]
    at.session_state[state.RUN_ID] = seeded_db["run"]
    return at.run()


def _fill(at, ds_id: str, typed: str, role: str = "reviewer"):
    at.text_input(key="auth.name").input("Ada")
    at.selectbox(key="auth.role").select(role)
    at.run()  # the confirmation appears once the person is known
    at.text_input(key=f"life.ds.confirm.{ds_id}").input(typed)
    at.text_input(key=f"life.ds.reason.{ds_id}").input("erasure request")
    return at


def test_the_data_page_deletes_only_after_the_name_is_typed(seeded_db):
    # Setup
    ds = seeded_db["dataset"]
    at = _open(seeded_db, "pages/2_Data.py")
    assert not at.exception
    # Run: a wrong name
    _fill(at, ds, "Adult").button(key="life.ds.delete").click()
    at.run()
    # Assert: refused with the message, nothing deleted
    assert not at.exception
    assert [e.value for e in at.error] == [
        md_escape(MSG_CONFIRM_NAME.format(name="Adult small", typed="Adult"))]
    _open_store.clear()
    store = Store(seeded_db["path"])
    assert [d.id for d in list_datasets(store)] == [ds]
    store.close()
    # Run: the right name
    _fill(at, ds, "Adult small").button(key="life.ds.delete").click()
    at.run()
    # Assert
    assert not at.exception
    assert at.success[0].value.startswith("Deleted dataset 'Adult small' (600 real rows, ")
    assert at.session_state[state.DATASET_ID] is None
    assert any("No dataset yet" in i.value for i in at.info)


def test_the_runs_page_shows_the_deletions_log(seeded_db):
    # Setup: a run deleted from core
    store = Store(seeded_db["path"])
    delete_run(store, seeded_db["run"], reason="bad fit", who="Ada", role="reviewer")
    store.close()
    # Run
    at = _open(seeded_db, "pages/13_Runs.py")
    # Assert
    assert not at.exception
    assert "Deletions" in [s.value for s in at.subheader]
    log = at.dataframe[-1].value  # the last table on the page
    assert list(log["kind"]) == ["run"] and list(log["id"]) == [seeded_db["run"]]
    assert list(log["who"]) == ["Ada"] and list(log["reason"]) == ["bad fit"]


def test_pages_that_need_real_rows_say_they_were_purged(seeded_db):
    # Setup
    from core.lifecycle import purge_real

    store = Store(seeded_db["path"])
    entry = purge_real(store, seeded_db["dataset"], reason="erasure request", who="Ada",
                       role="reviewer", force=True)
    store.close()
    # Run
    data = _open(seeded_db, "pages/2_Data.py")
    preview = _open(seeded_db, "pages/4_Preview.py")
    # Assert
    assert not data.exception and not preview.exception
    said = f"were purged on {entry.created_at:%Y-%m-%d %H:%M} UTC (reason: erasure request)"
    assert md_escape(said) in data.warning[0].value
    assert md_escape(said) in preview.error[0].value


def test_the_runs_page_deletes_a_run_only_after_its_id_is_typed(seeded_db):
    # Setup
    run = seeded_db["run"]
    at = _open(seeded_db, "pages/13_Runs.py")
    at.text_input(key="auth.name").input("Ada")
    at.selectbox(key="auth.role").select("viewer")
    at.run()
    at.selectbox(key="life.run.pick").select(run)
    at.text_input(key="life.run.confirm").input(run)
    at.text_input(key="life.run.reason").input("bad fit")
    # Run: a viewer may not delete
    at.button(key="life.run.delete").click()
    at.run()
    # Assert: refused, the run is still there
    assert not at.exception and at.error
    _open_store.clear()
    store = Store(seeded_db["path"])
    assert run in [r.id for r in list_runs(store, seeded_db["dataset"])]
    store.close()
    # Run: a reviewer with the wrong id, then the right one
    at.selectbox(key="auth.role").select("reviewer")
    at.run()
    at.text_input(key="life.run.confirm").input("not-the-id")
    at.button(key="life.run.delete").click()
    at.run()
    assert not at.exception and at.error
    at.text_input(key="life.run.confirm").input(run)
    at.button(key="life.run.delete").click()
    at.run()
    # Assert: deleted and logged
    assert not at.exception
    _open_store.clear()
    store = Store(seeded_db["path"])
    assert run not in [r.id for r in list_runs(store, seeded_db["dataset"])]
    assert [d.target_id for d in list_deletions(store)] == [run]
    store.close()


def test_the_data_page_stores_again_the_rows_of_a_purged_upload(db_file):
    # Setup: a published-looking table added, then its real rows purged (an erasure request)
    from core.datasets import add_upload
    from core.lifecycle import purge_real
    from tests.app.test_pages import _published_csv, _upload

    store = Store(db_file)
    info, _, _ = add_upload(store, _published_csv(), "published.csv")
    entry = purge_real(store, info.id, reason="erasure request", who="Ada", role="reviewer",
                       force=True)
    store.close()
    # Run: the same file uploaded and added again
    at = _upload(page("pages/2_Data.py").run(), _published_csv(), "published-again.csv")
    at.button(key="data.add").click().run()
    # Assert: the page says the rows are back, and shows the load report instead of the purge
    assert not at.exception
    assert at.success[0].value == (
        f"The real rows of dataset 'published' (purged on {entry.created_at:%Y-%m-%d %H:%M} UTC) "
        "are stored again, with the holdout split they had; its runs, reports and decisions "
        "were kept.")
    assert not any("were purged on" in w.value for w in at.warning)
    assert any(s.value == "Load report" for s in at.subheader)
