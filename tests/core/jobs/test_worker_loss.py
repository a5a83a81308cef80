"""kill -9 of the Dask worker running a fit: one fresh start, then a failure in plain words."""

from __future__ import annotations

import os
import signal
import time

import pytest

from core.datasets import add_dataset
from core.jobs import ClusterSettings, JobManager, close_all, connect
from core.jobs.manager import MSG_RESTARTED
from core.runs import list_runs
from core.store import jobs as q

SETTINGS = ClusterSettings(workers=1, memory_limit="2GiB")


@pytest.fixture(scope="module", autouse=True)
def _cluster():
    connect(SETTINGS)
    yield
    close_all()


def _worker_pid(client) -> tuple[str, int]:  # noqa: ANN001 - distributed.Client
    client.wait_for_workers(1, timeout=120)
    ((address, pid),) = client.run(os.getpid).items()
    return address, pid


def _wait(store, job_id: str, ok, timeout: float = 240):  # noqa: ANN001
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = q.get_job(store, job_id)
        if ok(job):
            return job
        assert job.is_active, job
        time.sleep(0.3)
    raise AssertionError(f"job {job_id} is still {q.get_job(store, job_id)}")


def test_a_killed_worker_restarts_the_job_once_then_fails_it_in_plain_words(store,
                                                                              adult_small):
    # Setup: a long CTGAN fit running on the cluster's only worker
    info, _ = add_dataset(store, adult_small, {"file_name": "t.csv"}, name="Adult small",
                          source_name="t.csv", target="class")
    manager = JobManager(store, SETTINGS, poll_seconds=0.2)
    client = manager.client()
    try:
        job_id = manager.submit_generate(info.id, "ctgan", n_rows=50, params={"epochs": 2000})
        first = _wait(store, job_id, lambda j: j.state == "running" and j.worker)
        address, pid = _worker_pid(client)
        assert first.worker == address
        # Run: kill -9 the worker; the nanny starts a new one and the task starts again there
        os.kill(pid, signal.SIGKILL)
        again = _wait(store, job_id, lambda j: j.worker and j.worker != address)
        assert again.state == "running"
        # fitting again, and the job's progress says it was started again
        _wait(store, job_id, lambda j: j.message and j.message.startswith(MSG_RESTARTED)
              and "epoch" in j.message)
        address2, pid2 = _worker_pid(client)
        assert address2 == again.worker
        os.kill(pid2, signal.SIGKILL)  # the second loss fails the job
        done = manager.wait(job_id, timeout=240)
    finally:
        manager.shutdown()
    # Assert: failed, the reason in plain words; the run is failed with that reason, no rows
    assert done.state == "failed"
    assert done.error.startswith("The Dask worker running this job stopped (")
    assert "running out of memory" in done.error and "Traceback" not in done.error
    (run,) = list_runs(store, info.id)
    assert run.status == "failed" and run.error == done.error and run.n_rows in (None, 0)
