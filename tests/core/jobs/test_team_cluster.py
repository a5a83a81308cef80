"""A team's Dask cluster: `dask scheduler` and two `dask worker` processes on 127.0.0.1.

The CLI (a real process, SYNTHREVIEW_DASK_SCHEDULER set) runs generate and evaluate there; the
jobs record a worker of that cluster, and the results equal a run in this process.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[3]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def team_cluster():
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    port = _free_port()
    address = f"tcp://127.0.0.1:{port}"
    procs = [subprocess.Popen(
        [sys.executable, "-m", "distributed.cli.dask_scheduler", "--host", "127.0.0.1",
         "--port", str(port), "--no-dashboard"], cwd=ROOT, env=env,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)]
    try:
        for _ in range(2):
            procs.append(subprocess.Popen(
                [sys.executable, "-m", "distributed.cli.dask_worker", address, "--host",
                 "127.0.0.1", "--nthreads", "1", "--memory-limit", "2GiB", "--no-dashboard"],
                cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        from distributed import Client

        client = Client(address, timeout="60s", set_as_default=False)
        client.wait_for_workers(2, timeout=120)
        workers = set(client.scheduler_info()["workers"])
        client.close()
        yield address, workers
    finally:
        for p in reversed(procs):
            p.terminate()
        for p in procs:
            try:
                p.wait(timeout=30)
            except subprocess.TimeoutExpired:
                p.kill()


def _cli(db: Path, scheduler: str, *args: str) -> str:
    env = {**os.environ, "SYNTHREVIEW_DASK_SCHEDULER": scheduler}
    out = subprocess.run([sys.executable, "-m", "core", "--db", str(db), *args], cwd=ROOT,
                         env=env, capture_output=True, text=True, timeout=900)
    assert out.returncode == 0, out.stderr
    return out.stdout


def test_cli_jobs_run_on_the_team_cluster_and_match_a_local_run(team_cluster, tmp_path,
                                                                adult_small):
    # Setup
    address, workers = team_cluster
    db, csv = tmp_path / "team.duckdb", tmp_path / "small.csv"
    adult_small.head(300).to_csv(csv, index=False)
    ds = _cli(db, address, "datasets", "add", str(csv), "--target", "class").strip()
    # Run: generate, evaluate, and evaluate --force twice (two more reports, no traceback)
    run = _cli(db, address, "generate", ds, "--generator", "gaussian_copula", "--rows", "150",
               "--seed", "4").strip()
    _cli(db, address, "evaluate", run)
    _cli(db, address, "evaluate", run, "--force")
    _cli(db, address, "evaluate", run, "--force", "--json", str(tmp_path / "r.json"))
    jobs = json.loads(_cli(db, address, "jobs", "list", "--json"))
    _cli(db, address, "export", run, "--format", "parquet", "-o", str(tmp_path / "s.parquet"))
    # Assert: every job ran on a worker of that cluster
    assert [j["kind"] for j in jobs] == ["evaluate", "evaluate", "evaluate", "generate"]
    assert all(j["state"] == "complete" and j["worker"] in workers for j in jobs)
    assert len({j["result_id"] for j in jobs if j["kind"] == "evaluate"}) == 3
    # Assert: the same rows and scores as a fit and an evaluation in this process
    from core.datasets import add_file
    from core.evaluation import evaluate_run
    from core.runs import generate, load_synthetic
    from core.store import open_store

    store = open_store(tmp_path / "local.duckdb")
    info, _ = add_file(store, csv, target="class")
    local = generate(store, info.id, "gaussian_copula", n_rows=150, seed=4)
    report, _ = evaluate_run(store, local.id)
    pd.testing.assert_frame_equal(pd.read_parquet(tmp_path / "s.parquet"),
                                  load_synthetic(store, local.id), check_dtype=False)
    remote = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert {k: v["score"] for k, v in remote["families"].items()} == {
        k: v for k, v in report.families.items()}
    store.close()
