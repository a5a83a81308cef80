"""Kill -9 in the middle of a fit, an evaluation and review writes: nothing half-written survives.

Each fault runs the real CLI (or a real writer process) on a database file in tmp_path, kills it
with SIGKILL, and reopens the file from a new process, as a restarted app or CLI would.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from core.store import Store
from core.store.runs import MSG_INTERRUPTED
from tests.reliability.conftest import (
    ROOT,
    WAIT,
    PtyProcess,
    assert_seed_intact,
    cli_args,
    kill,
    run_cli,
    runs_json,
)


def _wait_until_open(proc: subprocess.Popen, path: Path, timeout: float = WAIT) -> None:
    # The process has opened the database once the file shows among its descriptors.
    deadline = time.monotonic() + timeout
    fd_dir = Path(f"/proc/{proc.pid}/fd")
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            if any(os.path.realpath(fd) == str(path) for fd in fd_dir.iterdir()):
                return
        except OSError:  # a descriptor closed while listing
            pass
        time.sleep(0.05)
    raise AssertionError(f"process {proc.pid} never opened {path} (exit {proc.poll()})")


def test_cli_killed_during_a_fit_leaves_an_interrupted_run_that_can_be_rerun(seeded):
    # Setup: a CTGAN fit with far more epochs than it will live through
    db, ds = seeded["path"], seeded["dataset"]
    fit = PtyProcess(cli_args(db, "generate", ds, "--generator", "ctgan", "--epochs", "1000"))
    # Run: kill it once the progress bar shows a finished epoch
    try:
        fit.wait_for(r"epoch [1-9]\d* of 1000")
        assert fit.proc.poll() is None, "the fit ended before it could be killed"
    finally:
        fit.kill()
    runs = runs_json(db)  # a new process opens the file: it marks the dead run
    # Assert: the killed run is interrupted with its reason, and nothing else changed
    killed = [r for r in runs.values() if r["generator"] == "ctgan"]
    assert len(killed) == 1
    assert killed[0]["status"] == "interrupted"
    assert killed[0]["error"] == MSG_INTERRUPTED.format(pid=fit.proc.pid)
    assert killed[0]["n_rows"] is None
    assert runs[seeded["run"]]["status"] == "complete"
    assert_seed_intact(seeded)
    # Run: generate the same dataset again, to the end
    again = run_cli(db, "generate", ds, "--generator", "ctgan", "--epochs", "2", "--rows", "50")
    # Assert
    assert again.returncode == 0, again.stderr[-2000:]
    new_id = again.stdout.strip().splitlines()[-1]
    after = runs_json(db)
    assert after[new_id]["status"] == "complete"
    assert after[new_id]["n_rows"] == 50
    assert after[killed[0]["id"]]["status"] == "interrupted"


def _report_counts(db: Path, run_id: str) -> tuple[int, int, int]:
    store = Store(db)
    try:
        with store.cursor() as cur:
            reports = cur.execute("SELECT count(*) FROM reports WHERE run_id = ?",
                                  [run_id]).fetchone()[0]
            families = cur.execute("SELECT count(*) FROM report_families").fetchone()[0]
            values = cur.execute("SELECT count(*) FROM metric_values").fetchone()[0]
    finally:
        store.close()
    return reports, families, values


def test_cli_killed_during_an_evaluation_stores_no_half_report(seeded):
    # Setup
    db, run_id = seeded["path"], seeded["run"]
    proc = subprocess.Popen(cli_args(db, "evaluate", run_id), cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, start_new_session=True)
    # Run: kill it while it computes (it opens the file only after its imports)
    try:
        _wait_until_open(proc, db)
        time.sleep(1.0)
        assert proc.poll() is None, "the evaluation ended before it could be killed"
    finally:
        kill(proc)
    # Assert: no report, no family score and no metric value of it; the run is still complete
    assert _report_counts(db, run_id) == (0, 0, 0)
    assert runs_json(db)[run_id]["status"] == "complete"
    assert_seed_intact(seeded)
    # Run: evaluate again
    again = run_cli(db, "evaluate", run_id)
    # Assert: one whole report (its families and every metric value)
    assert again.returncode == 0, again.stderr[-2000:]
    reports, families, values = _report_counts(db, run_id)
    assert (reports, families) == (1, 4)
    assert values > 0


WRITER = """
import sys
from core.review import record_decision
from core.store import Store

store = Store(sys.argv[1])
for i in range(100_000):
    d = record_decision(store, sys.argv[2], f"column {i}", "approve", "", "Ada")
    print(d.id, flush=True)  # acknowledged: record_decision returned after the commit
"""


def test_acknowledged_review_decisions_survive_a_kill(seeded):
    # Setup: a process records decisions and prints each acknowledged id
    db, run_id = seeded["path"], seeded["run"]
    proc = subprocess.Popen([sys.executable, "-c", WRITER, str(db), run_id], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)
    acked: list[str] = []
    # Run: SIGKILL it mid-loop
    try:
        while len(acked) < 30:
            line = proc.stdout.readline()
            assert line, f"the writer stopped: {proc.stderr.read()[-2000:]}"
            acked.append(line.strip())
    finally:
        kill(proc)
    acked += proc.stdout.read().split()  # ids printed before the kill, not read yet
    wal = db.with_name(db.name + ".wal")
    wal_size = wal.stat().st_size if wal.exists() else 0
    store = Store(db)  # replays the write-ahead log
    try:
        with store.cursor() as cur:
            stored = [str(r[0]) for r in cur.execute(
                "SELECT id FROM review_decisions WHERE run_id = ?", [run_id]).fetchall()]
    finally:
        store.close()
    # Assert: the commits were only in the WAL, and every acknowledged id is there once
    assert wal_size > 0
    assert len(stored) == len(set(stored))
    assert set(acked) <= set(stored)
    assert len(stored) - len(acked) <= 1  # at most the one committed as the kill landed
    assert_seed_intact(seeded)
