"""Fault fixtures: a seeded database file on tmp_path, CLI subprocesses, kill helpers.

The browser fixtures (``browser``, ``page``) are shared with ``tests/browser``.
"""

from __future__ import annotations

import json
import os
import pty
import re
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[2]
WAIT = 120.0  # seconds a subprocess may take to reach the state a test waits for


def cli_args(db: Path, *args: str) -> list[str]:
    """The command line of ``python -m core --db DB ARGS``."""
    return [sys.executable, "-m", "core", "--db", str(db), *args]


def run_cli(db: Path, *args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    """Run the CLI to the end in a fresh process (the next process to open the file)."""
    return subprocess.run(cli_args(db, *args), cwd=ROOT, capture_output=True, text=True,
                          timeout=timeout)


def runs_json(db: Path) -> dict[str, dict]:
    """``runs list --json`` by run id, read by a new CLI process."""
    out = run_cli(db, "runs", "list", "--json")
    assert out.returncode == 0, out.stderr
    return {r["id"]: r for r in json.loads(out.stdout)}


def kill(proc: subprocess.Popen) -> None:
    """SIGKILL a process started with ``start_new_session`` (and its group); reap it."""
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)


class PtyProcess:
    """A CLI process whose stderr is a terminal, so it draws its progress bar there."""

    def __init__(self, args: list[str]) -> None:
        self._master, slave = pty.openpty()
        self.proc = subprocess.Popen(args, cwd=ROOT, stdout=subprocess.PIPE, stderr=slave,
                                     stdin=subprocess.DEVNULL, start_new_session=True)
        os.close(slave)
        self.text = ""

    def wait_for(self, pattern: str, timeout: float = WAIT) -> str:
        """Read stderr until ``pattern`` matches; fail if the process ends or time runs out."""
        regex = re.compile(pattern)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if (m := regex.search(self.text)) is not None:
                return m.group(0)
            ready, _, _ = select.select([self._master], [], [], 0.2)
            if ready:
                try:
                    self.text += os.read(self._master, 4096).decode(errors="replace")
                except OSError:  # the process closed the terminal (it ended)
                    break
            elif self.proc.poll() is not None:
                break
        raise AssertionError(f"never saw {pattern!r}; stderr so far: {self.text[-1500:]}")

    def kill(self) -> None:
        """SIGKILL the process and close the terminal."""
        try:
            kill(self.proc)
        finally:
            os.close(self._master)


@pytest.fixture()
def seeded(tmp_path: Path, adult_small: pd.DataFrame) -> dict:
    """A closed database file with a 200-row Adult dataset and one complete GaussianCopula run.

    Returns the path, the dataset id, the run id and the run's synthetic rows.
    """
    from core.datasets import add_dataset
    from core.runs import generate, load_synthetic
    from core.store import Store

    path = tmp_path / "db" / "synthreview.duckdb"
    store = Store(path)
    try:
        info, _ = add_dataset(
            store, adult_small.head(200), {"file_name": "adult_200.csv"}, name="Adult 200",
            source_name="adult_200.csv", target="class", protected=["sex", "race"],
            quasi_identifiers=["age", "sex", "race"],
        )
        run = generate(store, info.id, "gaussian_copula", n_rows=100, seed=1)
        rows = load_synthetic(store, run.id)
    finally:
        store.close()
    return {"path": path, "dataset": info.id, "run": run.id, "rows": rows}


def assert_seed_intact(seeded: dict) -> None:
    """The seeded dataset and its complete run, with the same rows, are still stored."""
    from core.datasets import list_datasets
    from core.runs import get_run, load_synthetic
    from core.store import Store

    store = Store(seeded["path"])
    try:
        assert [d.id for d in list_datasets(store)] == [seeded["dataset"]]
        assert get_run(store, seeded["run"]).status == "complete"
        pd.testing.assert_frame_equal(load_synthetic(store, seeded["run"]), seeded["rows"])
    finally:
        store.close()
