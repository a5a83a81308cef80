"""The generator audit as a job on a real LocalCluster: progress, result stored, cancel."""

from __future__ import annotations

import shutil
import time

import pytest

from core.evaluation import stored_report
from core.jobs import ClusterSettings, JobManager, close_all, connect
from core.jobs.worker import topic
from core.metrics.privacy.shadow_membership import KEY
from core.store import Store
from core.store import audits as audits_q
from core.store import jobs as q

SETTINGS = ClusterSettings(workers=1, memory_limit="2GiB")


@pytest.fixture(scope="module", autouse=True)
def _cluster():
    connect(SETTINGS)
    yield
    close_all()


@pytest.fixture()
def setup(evaluated_template, db_file):
    db_file.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(evaluated_template["path"], db_file)
    store = Store(db_file)
    manager = JobManager(store, SETTINGS, poll_seconds=0.2)
    yield store, manager, evaluated_template["run"]
    manager.shutdown()
    store.close()


def test_an_audit_job_runs_on_a_worker_and_stores_the_audit_with_the_report(setup):
    # Setup
    store, manager, run_id = setup
    seen = []

    # Run: the run's own generator (GaussianCopula), 2 targets x 8 shadows of 60 rows
    job_id = manager.submit_audit(run_id, targets=2, shadows=8, budget_s=60, started_by="ana")
    job = manager.wait(job_id, progress=lambda f, m: seen.append((f, m)), timeout=600)

    # Assert
    assert job.state == "complete", job.error
    assert job.kind == "audit" and job.started_by == "ana"
    assert job.inputs == {"run_id": run_id, "report_id": job.inputs["report_id"],
                          "targets": 2, "shadows": 8, "budget_s": 60.0}
    assert job.worker in manager.client().scheduler_info()["workers"]
    audit = audits_q.get_audit(store, job.result_id)
    assert audit.run_id == run_id and audit.job_id == job_id
    assert audit.report_id == job.inputs["report_id"]
    events = [m for _, m in manager.client().get_events(topic(job_id)) if m["kind"] == "progress"]
    fitted = [e for e in events if e["message"].endswith("fitted and sampled")]
    assert len(fitted) == 16  # at least once per shadow fit
    assert [e["fraction"] for e in events] == sorted(e["fraction"] for e in events)
    row = stored_report(store, run_id).top(KEY)
    assert row.status == "ok" and row.details["audit_id"] == audit.id
    assert row.details["design"]["shadows_per_target"] == 8


def test_a_cancelled_audit_stores_nothing(setup):
    # Setup: an audit far too long to finish (10 targets x 200 shadows)
    store, manager, run_id = setup
    job_id = manager.submit_audit(run_id, targets=10, shadows=200)
    deadline = time.monotonic() + 300
    while "shadow" not in (q.get_job(store, job_id).message or "") and \
            time.monotonic() < deadline:
        time.sleep(0.2)

    # Run
    job = manager.cancel(job_id, "ana")

    # Assert
    assert job.state == "cancelled" and job.error == "Cancelled by ana."
    assert "shadow" in job.message  # it was fitting shadows when cancelled
    time.sleep(1.0)
    assert audits_q.count_audits(store, run_id) == 0
    assert stored_report(store, run_id).top(KEY).status == "not_computed"


def test_bad_sizes_are_refused_before_a_job_exists(setup):
    # Setup
    store, manager, run_id = setup
    from core.errors import UserInputError

    # Run / Assert
    with pytest.raises(UserInputError):
        manager.submit_audit(run_id, shadows=9)
    assert q.list_jobs(store, kind="audit") == []
