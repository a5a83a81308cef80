"""kill -9 at every step of a delete: the next open finds the old or the new file, never a broken
one, and the delete can be run again to the end."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from core.datasets import load_dataset
from core.lifecycle import delete_dataset, list_deletions
from core.store import open_store
from core.store.datasets import list_datasets
from core.store.rewrite import STEPS
from tests.core.lifecycle.conftest import CAT_MARKER, ID_MARKER, files_holding

ROOT = Path(__file__).resolve().parents[3]
KILL_AT = """
import os, signal, sys
from core.store import rewrite
from core.store import Store
from core.lifecycle import delete_dataset

def hook(name):
    if name == sys.argv[3]:
        os.kill(os.getpid(), signal.SIGKILL)

rewrite.STEP_HOOK = hook
store = Store(sys.argv[1])
delete_dataset(store, sys.argv[2], reason="erasure request", who="Ada", role="reviewer")
print("finished")
"""


@pytest.mark.parametrize("step", ["deleted", *STEPS, "backups_removed"])
def test_a_delete_killed_at_any_step_can_be_run_again(two_files, step):
    # Setup
    path, ds = two_files["path"], two_files["marked"]["dataset"]
    other = two_files["other"]["dataset"]
    # Run: a process that deletes and is killed with SIGKILL at the step
    out = subprocess.run([sys.executable, "-c", KILL_AT, str(path), ds, step], cwd=ROOT,
                         capture_output=True, text=True, timeout=300)
    # Assert: it was killed, and the file opens whole (old or new)
    assert out.returncode == -9, out.stderr
    store = open_store(path)
    try:
        ids = {d.id for d in list_datasets(store)}
        assert other in ids and ids <= {ds, other}
        assert len(load_dataset(store, other).rows) == 80
        # the delete runs again to the end
        entry = delete_dataset(store, ds, reason="erasure request", who="Ada", role="reviewer")
        assert entry.erased_at is not None
        assert [d.id for d in list_datasets(store)] == [other]
        assert [d.id for d in list_deletions(store)] == [entry.id]
        assert isinstance(load_dataset(store, other).rows, pd.DataFrame)
    finally:
        store.close()
    assert files_holding(two_files["folder"], ID_MARKER) == []
    assert files_holding(two_files["folder"], CAT_MARKER) == []
    assert sorted(p.name for p in path.parent.iterdir()) == ["backups", path.name]
