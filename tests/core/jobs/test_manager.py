"""Job lifecycle on a real DuckDB file and a real LocalCluster (1 worker process, 2 GiB)."""

from __future__ import annotations

import time

import pytest

from core.datasets import add_dataset
from core.evaluation import load_report
from core.generators.base import MSG_TOO_FEW_ROWS
from core.jobs import ClusterSettings, JobManager, close_all, connect
from core.jobs.worker import topic
from core.metrics.config import EvalConfig
from core.runs import list_runs
from core.store import jobs as q
from core.store import open_store

SETTINGS = ClusterSettings(workers=1, memory_limit="2GiB")
SMALL_EVAL = EvalConfig(anonymeter_attacks=50, max_rows_anonymeter=200, kway_combinations=5,
                        cv_folds=2)


@pytest.fixture(scope="module", autouse=True)
def _cluster():
    connect(SETTINGS)  # one local cluster for the module's tests
    yield
    close_all()


@pytest.fixture()
def manager(store):
    m = JobManager(store, SETTINGS, poll_seconds=0.2)
    yield m
    m.shutdown()


def _add(store, frame, name="Adult small"):
    info, _ = add_dataset(store, frame, {"file_name": "t.csv"}, name=name, source_name="t.csv",
                          target="class", protected=["sex"], quasi_identifiers=["age", "sex"])
    return info


def test_generate_job_completes_on_a_worker_and_stores_the_run(store, manager, adult_small):
    # Setup
    ds = _add(store, adult_small)
    seen = []
    # Run
    job_id = manager.submit_generate(ds.id, "gaussian_copula", n_rows=120, seed=3,
                                     started_by="ana")
    job = manager.wait(job_id, progress=lambda f, m: seen.append((f, m)), timeout=300)
    # Assert
    assert job.state == "complete" and job.started_by == "ana" and job.kind == "generate"
    assert job.worker in manager.client().scheduler_info()["workers"]
    assert job.progress == 1.0 and job.started_at and job.finished_at
    run = [r for r in list_runs(store, ds.id) if r.id == job.result_id][0]
    assert run.is_complete and run.n_rows == 120 and run.seed == 3
    events = [m for _, m in manager.client().get_events(topic(job_id)) if m["kind"] == "progress"]
    assert events and events[-1]["fraction"] == 1.0  # the worker reported up to the end
    assert seen[0] == (0.0, "queued")


def test_evaluate_job_stores_the_report(store, manager, adult_small):
    # Setup
    ds = _add(store, adult_small)
    gen = manager.wait(manager.submit_generate(ds.id, "gaussian_copula", n_rows=200, seed=1),
                       timeout=300)
    # Run
    job = manager.wait(manager.submit_evaluate(gen.result_id, "internal", config=SMALL_EVAL),
                       timeout=600)
    # Assert
    assert job.state == "complete", job.error
    report = load_report(store, job.result_id)
    assert report.run_id == gen.result_id and report.families
    assert job.worker is not None


def test_a_failing_job_is_failed_with_the_reason_in_plain_words(store, manager, adult_small):
    # Setup: 30 rows (24 for training); CTGAN needs 50
    ds = _add(store, adult_small.head(30), name="tiny")
    # Run
    job = manager.wait(manager.submit_generate(ds.id, "ctgan", n_rows=10,
                                               params={"epochs": 1}), timeout=300)
    # Assert
    expected = MSG_TOO_FEW_ROWS.format(label="CTGAN", need=50, have=24, gc=5)
    assert job.state == "failed" and job.error == expected
    run = [r for r in list_runs(store, ds.id) if r.id == job.result_id][0]
    assert run.status == "failed" and run.error == expected


def test_cancel_stops_the_job_and_stores_nothing(store, manager, adult_small):
    # Setup: a fit long enough to cancel while it runs
    ds = _add(store, adult_small)
    job_id = manager.submit_generate(ds.id, "ctgan", n_rows=50, params={"epochs": 2000})
    deadline = time.monotonic() + 300
    while q.get_job(store, job_id).state != "running" and time.monotonic() < deadline:
        time.sleep(0.2)
    # Run
    job = manager.cancel(job_id, "ana")
    # Assert
    assert job.state == "cancelled" and job.error == "Cancelled by ana."
    assert list_runs(store, ds.id) == []
    with store.cursor() as cur:
        assert cur.execute("SELECT count(*) FROM run_rows").fetchone()[0] == 0


def test_a_job_left_running_by_a_dead_process_is_interrupted_at_the_next_open(db_file):
    # Setup: a job row owned by another (dead) PID
    store = open_store(db_file)
    job_id = q.create_job(store, "generate", {"dataset_id": "x"}, "ana")
    q.set_running(store, job_id, "tcp://127.0.0.1:1")
    with store.transaction() as cur:
        cur.execute("UPDATE jobs SET owner_pid = 999999 WHERE id = ?", [job_id])
    store.close()
    # Run
    reopened = open_store(db_file)
    # Assert
    job = q.get_job(reopened, job_id)
    reopened.close()
    assert job.state == "interrupted"
    assert job.error == q.MSG_INTERRUPTED.format(pid=999999)


def test_import_job_checks_the_file_on_a_worker_and_stores_the_run(store, manager, adult_small):
    # Setup: a synthetic file made elsewhere, with the dataset's columns
    ds = _add(store, adult_small)
    data = adult_small.sample(120, random_state=1).to_csv(index=False).encode()
    # Run
    job_id = manager.submit_import(ds.id, data, "made elsewhere.csv", started_by="ana")
    job = manager.wait(job_id, timeout=300)
    # Assert: the job ran on a worker and its result is a complete run of the file's rows
    assert job.state == "complete" and job.kind == "import", job.error
    assert job.worker and job.worker.startswith("tcp://127.0.0.1:")
    assert job.inputs == {"dataset_id": ds.id, "file_name": "made elsewhere.csv",
                          "bytes": len(data)}
    (run,) = list_runs(store, ds.id)
    assert (run.id, run.generator, run.status, run.n_rows) == (job.result_id, "uploaded",
                                                               "complete", 120)


def test_an_import_that_does_not_fit_the_dataset_fails_in_plain_words(store, manager,
                                                                       adult_small):
    # Setup: a stored run, then a file that lacks a column of the dataset
    ds = _add(store, adult_small)
    good = manager.wait(manager.submit_import(
        ds.id, adult_small.head(60).to_csv(index=False).encode(), "good.csv"), timeout=300)
    bad = adult_small.drop(columns=["occupation"]).head(60).to_csv(index=False).encode()
    # Run
    job = manager.wait(manager.submit_import(ds.id, bad, "bad.csv"), timeout=300)
    # Assert: failed with the reason naming the column; the earlier run is still the only one
    assert job.state == "failed" and job.result_id is None
    assert "occupation" in job.error and "Traceback" not in job.error
    assert [r.id for r in list_runs(store, ds.id)] == [good.result_id]


def test_an_unknown_dataset_or_a_file_over_the_limit_is_refused_before_any_job(
        store, manager, adult_small):
    from core.config import Limits
    from core.errors import UserInputError

    ds = _add(store, adult_small)
    with pytest.raises(UserInputError, match="There is no dataset"):
        manager.submit_import("nope", b"a,b\n1,2\n", "x.csv")
    with pytest.raises(UserInputError, match="the limit is 1 MB"):
        manager.submit_import(ds.id, b"x" * (2 * 2**20), "big.csv", limits=Limits(max_file_mb=1))
    assert q.list_jobs(store) == []


def test_the_embedded_workers_run_without_dasks_profiler_and_fail_a_lost_task_at_once():
    """The local cluster's settings reach its workers (core/jobs/local_cluster.py says why)."""
    import dask

    def settings() -> tuple[bool, int]:
        return (dask.config.get("distributed.worker.profile.enabled"),
                dask.config.get("distributed.scheduler.allowed-failures"))

    client = connect(SETTINGS)
    assert set(client.run(settings).values()) == {(False, 0)}


def test_a_new_manager_loads_dasks_client_library_on_the_thread_that_creates_it(tmp_path):
    # Setup: a fresh process (this one has distributed loaded already) and an empty database.
    # A job thread that imported distributed itself could find it "missing" while a Streamlit
    # script thread edits sys.path (CI saw "No module named 'distributed'" once).
    import subprocess
    import sys
    from pathlib import Path

    code = (
        "import sys\n"
        "from core.jobs.manager import JobManager\n"
        "from core.store import Store\n"
        "before = 'distributed' in sys.modules\n"
        f"manager = JobManager(Store({str(tmp_path / 'a.duckdb')!r}), serve_requests=False)\n"
        "print(before, 'distributed' in sys.modules)\n"
    )
    # Run
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=Path(__file__).resolve().parents[3], timeout=120)
    # Assert: not loaded by the import of the manager's module, loaded once a manager exists
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["False", "True"]
