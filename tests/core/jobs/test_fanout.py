"""An evaluation's tasks of metrics on two real Dask workers: the same report as threads give.

The cluster is the app's own (``core.jobs.connect``: a LocalCluster of two worker processes on
127.0.0.1), the table a published-looking one (names under a plain column, ids blank for most
rows, integer codes, Y/N, a 0/1 outcome).
"""

from __future__ import annotations

import os
import time

import numpy as np
import pandas as pd
import pytest
from distributed import get_task_stream

from core.evaluation import EvalInputs, compute_evaluation
from core.jobs import ClusterSettings, close_all, connect
from core.jobs.fanout import idle_slots, run_on_siblings
from core.jobs.worker import run_evaluate
from core.metrics.config import EvalConfig
from core.metrics.context import EvalContext
from core.metrics.fairness.group_fidelity import GroupFidelity
from core.metrics.registry import BUILTIN
from core.metrics.schedule import Task, plan, run_metrics
from core.schema import detect_schema

SETTINGS = ClusterSettings(workers=2, memory_limit="2GiB")


@pytest.fixture(scope="module")
def client():
    client = connect(SETTINGS)
    client.wait_for_workers(2, timeout=120)
    yield client
    close_all()


def untidy(rows: int, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return pd.DataFrame({
        "name": [f"{rng.choice(['Ann', 'Bo', 'Cy', 'Di'])} {rng.choice(['Lee', 'Ng', 'Roe'])}"
                 for _ in range(rows)],
        "person id": pd.array([f"P{rng.integers(10_000, 99_999)}" if rng.random() < 0.2
                               else None for _ in range(rows)], dtype="string"),
        "age": rng.integers(18, 90, rows),
        "region code": rng.choice([11, 12, 21, 31], rows),
        "smoker": rng.choice(["Y", "N", "N"], rows),
        "outcome": rng.integers(0, 2, rows),
    })


def inputs() -> EvalInputs:
    real = untidy(400, 1)
    schema = detect_schema(real).with_roles("outcome", ["smoker"], ["age", "region code"])
    return EvalInputs(run_id="r", cache_key="k", policy="internal",
                      config=EvalConfig(max_rows_anonymeter=300), train=real.iloc[:300],
                      holdout=real.iloc[300:].reset_index(drop=True), schema=schema,
                      synthetic=untidy(300, 2))


def rows(report) -> list[tuple]:  # noqa: ANN001 - a Report
    return [(r.key, r.columns, r.group, r.status, r.value, r.score, r.reason)
            for r in report.results]


def test_tasks_on_two_workers_give_the_report_of_one_process(client):
    # Setup: the report computed here, its tasks in threads of this one process
    job = inputs()
    here = compute_evaluation(job)

    # Run: the evaluation job on a worker, its tasks sent to both workers
    with get_task_stream(client) as stream:
        outcome = client.submit(run_evaluate, "fanout-test", job, pure=False).result()

    # Assert: every value, every sampling note and the verdict are those of one process
    assert outcome.error is None, outcome.detail
    there = outcome.value
    assert rows(there) == rows(here)
    assert there.warnings == here.warnings
    assert any("was computed on samples" in w for w in there.warnings)
    assert there.verdict == here.verdict
    # ... and the tasks did run as siblings, on both workers
    siblings = [t for t in stream.data if "-metrics-" in str(t["key"])]
    assert {str(t["key"]).rsplit("-metrics-", 1)[1] for t in siblings} == {
        t.name for t in plan(BUILTIN)}
    assert len({t["worker"] for t in siblings}) == 2


class KilledOnSpare(GroupFidelity):
    """The group fidelity metric, except that it kills the worker process ``spare``."""

    def __init__(self, spare: str) -> None:
        self.spare = spare

    def run(self, ctx):  # noqa: ANN001, ANN201 - as Metric.run
        from distributed import get_worker

        try:
            here = get_worker().address
        except ValueError:  # computed in the test's own process
            here = None
        if here == self.spare:
            os._exit(1)
        return super().run(ctx)


def _siblings(ctx: EvalContext, tasks: list[Task], spare: str) -> list[tuple[str, dict]]:
    from distributed import get_worker

    slots = [spare, get_worker().address]
    return [(task.name, result.done) for task, result in run_on_siblings(ctx, tasks, slots)]


def test_a_sibling_whose_worker_dies_is_computed_again_in_the_jobs_process(client):
    # Setup: two tasks; the first goes to the other worker, where its metric kills the process
    job = inputs()
    ctx = EvalContext(job.train, job.holdout, job.synthetic, job.schema, job.config)
    workers = sorted(client.nthreads())
    own, spare = workers
    killer = KilledOnSpare(spare)
    tasks = [Task("fairness", (killer,)), Task("utility", tuple(
        m for m in BUILTIN if m.key == "utility.accuracy"))]
    expected = run_metrics(ctx.fresh(), [killer, *tasks[1].metrics], threads=1)

    # Run: the job's step on its worker, the siblings sent out from there
    got = client.submit(_siblings, ctx, tasks, spare, workers=[own], pure=False).result()

    # Assert: both tasks came back, with the values one process computes
    assert sorted(name for name, _ in got) == ["fairness", "utility"]
    values = {k: d.rows for _, done in got for k, d in done.items()}
    assert values == {k: d.rows for k, d in expected.items()}
    client.wait_for_workers(2, timeout=120)  # the nanny started the lost worker again
    assert spare not in client.nthreads()  # (a new process, at a new address: it did die)


def test_only_idle_workers_take_siblings(client):
    # Setup: the app's cluster, idle
    own, other = sorted(client.nthreads())
    assert idle_slots(client, own) == [own, other]  # the job's own worker first

    # Run: another job's long step on the other worker
    busy = client.submit(time.sleep, 30, workers=[other], pure=False)
    try:
        deadline = time.monotonic() + 60
        while not client.processing().get(other) and time.monotonic() < deadline:
            time.sleep(0.1)
        # Assert: the busy worker takes no sibling; alone, the job runs its tasks in threads
        assert idle_slots(client, own) == [own]
    finally:
        busy.cancel()


def test_a_cancelled_evaluation_cancels_its_siblings_and_stores_nothing(client, store):
    # Setup: a stored run of a published-looking table, an earlier report of it kept
    from core.datasets import add_upload
    from core.evaluation import latest_report_id
    from core.jobs import JobManager
    from core.runs import import_run
    from core.store import jobs as q

    ds, _, _ = add_upload(store, untidy(3000, 3).to_csv(index=False).encode(), "clinic.csv",
                          name="Clinic visits")
    run = import_run(store, ds.id, untidy(2500, 4).to_csv(index=False).encode(), "made.csv")
    manager = JobManager(store, SETTINGS, poll_seconds=0.1)
    try:
        manager.wait(manager.submit_evaluate(run.id, "internal"), timeout=300)
        kept = latest_report_id(store, run.id)
        assert kept is not None
        with get_task_stream(client) as stream:
            job_id = manager.submit_evaluate(run.id, "internal", force=True)
            deadline = time.monotonic() + 300
            while "computed the" not in (q.get_job(store, job_id).message or ""):
                assert time.monotonic() < deadline and q.get_job(store, job_id).is_active
                time.sleep(0.05)

            # Run: cancel it while its siblings run on both workers
            job = manager.cancel(job_id, "ana")
            time.sleep(10)  # what would still run, had the siblings not been cancelled
    finally:
        manager.shutdown()

    # Assert: cancelled, the earlier report still the newest, and no sibling left running
    assert job.state == "cancelled" and job.error == "Cancelled by ana."
    assert latest_report_id(store, run.id) == kept
    deadline = time.monotonic() + 60
    while any(client.processing().values()) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not any(client.processing().values()), client.processing()
    ran = {str(t["key"]) for t in stream.data if job_id in str(t["key"]) and "-metrics-" in
           str(t["key"])}
    assert 1 <= len(ran) < len(plan(BUILTIN)), ran  # the tasks not yet started never ran
