"""`jobs list` / `jobs cancel` from a second process while another one holds the database.

The owner is a real process (like the app) with a job manager running a CTGAN fit on its local
Dask cluster; the CLI cannot open the DuckDB file, so it asks the owner (core/jobs/requests.py).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from core.datasets import add_dataset
from core.jobs import requests as mailbox
from core.runs import list_runs
from core.store import jobs as q
from core.store import open_store

ROOT = Path(__file__).resolve().parents[3]

OWNER = textwrap.dedent("""
    import sys
    from core.jobs import ClusterSettings, JobManager
    from core.store import open_store

    store = open_store(sys.argv[1])
    manager = JobManager(store, ClusterSettings(workers=1, memory_limit="2GiB"))
    job_id = manager.submit_generate(sys.argv[2], "ctgan", n_rows=50, params={"epochs": 2000})
    print(job_id, flush=True)
    job = manager.wait(job_id, timeout=600)
    print(job.state, flush=True)
    manager.shutdown()
    store.close()
""")


def _cli(db: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "core", "--db", str(db), *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)


@pytest.fixture()
def owner(tmp_path, adult_small):
    db = tmp_path / "db" / "synthreview.duckdb"
    store = open_store(db)
    info, _ = add_dataset(store, adult_small, {"file_name": "t.csv"}, name="Adult small",
                          source_name="t.csv", target="class")
    store.close()
    proc = subprocess.Popen([sys.executable, "-c", OWNER, str(db), info.id], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})
    job_id = proc.stdout.readline().strip()
    yield db, info.id, job_id, proc
    proc.kill()
    proc.wait(timeout=30)


def _wait_running(db: Path, job_id: str, timeout: float = 300) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        out = _cli(db, "jobs", "list", "--json")
        assert out.returncode == 0, out.stderr
        (job,) = [j for j in json.loads(out.stdout) if j["id"] == job_id]
        if job["state"] == "running" and job["worker"]:
            return job
        time.sleep(1)
    raise AssertionError(f"job {job_id} did not start running")


def test_cli_lists_and_cancels_a_job_of_the_process_that_holds_the_database(owner):
    db, ds, job_id, proc = owner
    assert len(job_id) == 12, proc.stderr.read() if proc.poll() is not None else job_id
    # Run: list from another process (the owner answers), then cancel from a third
    job = _wait_running(db, job_id)
    cancel = _cli(db, "jobs", "cancel", job_id)
    # Assert: the list showed the fit running on a worker of the owner's local cluster
    assert job["kind"] == "generate" and job["worker"].startswith("tcp://127.0.0.1:")
    assert {"progress", "message", "created_at", "started_at", "started_by"} <= set(job)
    # the cancel was carried out by the owner, whose wait ends with the state
    assert cancel.returncode == 0, cancel.stderr
    assert cancel.stdout.strip() == f"job {job_id} cancelled"
    assert proc.stdout.readline().strip() == "cancelled"
    assert proc.wait(timeout=60) == 0
    # nothing of the fit was stored; the job records who cancelled it
    store = open_store(db)
    try:
        assert list_runs(store, ds) == []
        stored = q.get_job(store, job_id)
        assert (stored.state, stored.error) == ("cancelled", "Cancelled by cli.")
    finally:
        store.close()
    assert list(mailbox.folder(db).glob("*.json")) == []  # every request was answered


def test_a_bad_job_id_is_refused_by_the_owner_in_one_line(owner):
    db, _, job_id, _ = owner
    _wait_running(db, job_id)
    out = _cli(db, "jobs", "cancel", "nosuchjob")
    assert out.returncode == 2
    assert out.stderr.strip() == "error: " + q.MSG_NO_JOB.format(id="nosuchjob")


def test_a_holder_that_does_not_answer_is_reported_not_waited_for_forever(tmp_path):
    # Setup: a process that holds the file but runs no job manager (e.g. a DuckDB shell)
    db = tmp_path / "held.duckdb"
    open_store(db).close()
    holder = subprocess.Popen(
        [sys.executable, "-c", "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); "
         "print('ok', flush=True); time.sleep(120)", str(db)],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "ok"
        # Run
        t0 = time.monotonic()
        out = _cli(db, "jobs", "cancel", "abc", "--wait", "2")
        # Assert: a one-line explanation, no traceback; the request was withdrawn
        assert out.returncode == 2
        assert out.stderr.startswith("error: The database") and "did not answer within 2 s" in \
            out.stderr and len(out.stderr.strip().splitlines()) == 1
        assert time.monotonic() - t0 < 60
        assert list(mailbox.folder(db).glob("req-*.json")) == []
    finally:
        holder.kill()
        holder.wait(timeout=30)
