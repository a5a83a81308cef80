"""The Jobs page lists the server's jobs: active ones with progress and a Cancel for one's own."""

from __future__ import annotations

import pytest

from core.store import Store
from core.store import jobs as q
from tests.app.conftest import page
from ui import state
from ui.bootstrap import _open_store


@pytest.fixture(autouse=True)
def _fresh_store_cache():
    _open_store.clear()
    yield
    _open_store.clear()


def _jobs(path):
    # Setup rows as the job manager writes them (no cluster needed to render the page)
    store = Store(path)
    done = q.create_job(store, "generate", {"dataset_id": "d1"}, "ana")
    q.set_running(store, done, "tcp://127.0.0.1:40001")
    q.finish_job(store, done, q.COMPLETE, result_id="run123")
    failed = q.create_job(store, "evaluate", {"run_id": "run123"}, "ben")
    q.finish_job(store, failed, q.FAILED, error="The evaluation failed: boom")
    store.close()
    return done, failed


def test_jobs_page_lists_every_job_with_state_worker_and_result(db_file):
    # Setup
    done, failed = _jobs(db_file)
    # Run
    at = page("pages/14_Jobs.py").run()
    # Assert
    assert not at.exception
    assert at.title[0].value == "Jobs"
    table = at.dataframe[0].value
    assert list(table["job"]) == [failed, done]
    row = table.set_index("job").loc[done]
    assert (row["state"], row["worker"], row["result"], row["started by"]) == (
        "Complete", "tcp://127.0.0.1:40001", "run123", "ana")
    assert table.set_index("job").loc[failed, "message"] == "The evaluation failed: boom"
    assert any(t.value == "Nothing is queued or running." for t in at.text)


def test_jobs_page_offers_cancel_only_for_ones_own_active_job(db_file):
    # Setup: an active job of this session and one of another (no thread follows them here)
    _jobs(db_file)
    store = Store(db_file)
    mine = q.create_job(store, "generate", {"dataset_id": "d1"}, "anonymous")
    other = q.create_job(store, "generate", {"dataset_id": "d1"}, "ben")
    store.close()
    at = page("pages/14_Jobs.py")
    at.session_state[state.MY_JOBS] = [mine]
    at.run()
    assert not at.exception
    keys = [b.key for b in at.button]
    assert f"jobs.page.cancel.{mine}" in keys and f"jobs.page.cancel.{other}" not in keys
    # Run
    at.button(key=f"jobs.page.cancel.{mine}").click().run()
    # Assert
    assert not at.exception
    table = at.dataframe[0].value.set_index("job")
    assert table.loc[mine, "state"] == "Cancelled"
    assert table.loc[mine, "message"] == "Cancelled by anonymous."
    assert table.loc[other, "state"] == "Queued"
