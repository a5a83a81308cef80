"""A generator running out of memory, and a disk that fills up while the store writes.

Memory: the real CLI fits CTGAN under ``RLIMIT_AS`` (set after the imports, so only the fit and
the store count). Disk: a 20 MB ext4 file system mounted on a loop device, and ``RLIMIT_FSIZE``
(writes past the limit fail with EFBIG once SIGXFSZ is ignored).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest

from core.datasets import add_dataset, list_datasets
from core.errors import StoreWriteError
from core.generators.base import MSG_OUT_OF_MEMORY
from core.generators.registry import fitting_generators
from core.runs import generate, get_run, list_runs, load_synthetic
from core.store import Store
from core.store.db import MSG_WRITE_FAILED
from tests.reliability.conftest import ROOT

LIMITED_CLI = """
import resource, sys
import core.cli, sdv.single_table, torch  # imported first: the limit is for the fit

def vm_bytes():
    with open("/proc/self/status") as fh:
        return next(int(x.split()[1]) * 1024 for x in fh if x.startswith("VmSize:"))

limit = vm_bytes() + int(sys.argv[1]) * 2**20
resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
sys.exit(core.cli.main(sys.argv[2:]))
"""


def _wide(rows: int = 300, cols: int = 30) -> pd.DataFrame:
    # 30 categorical columns of ~120 values: CTGAN one-hot encodes them into ~3,600 columns.
    rng = np.random.default_rng(0)
    return pd.DataFrame({f"c{i}": np.char.add("v", rng.integers(0, 150, rows).astype(str))
                         for i in range(cols)})


def _add(store: Store, df: pd.DataFrame, name: str) -> str:
    info, _ = add_dataset(store, df, {"file_name": f"{name}.csv"}, name=name,
                          source_name=f"{name}.csv", target="", protected=[],
                          quasi_identifiers=[])
    return info.id


def test_a_real_torch_allocation_failure_is_explained_in_plain_words():
    # Setup: torch's CPU allocator raises RuntimeError, not MemoryError
    import torch

    try:
        torch.empty(2**40)
    except RuntimeError as exc:
        error = exc
    # Run
    texts = {g.key: g.explain(error) for g in fitting_generators()}
    # Assert
    assert "DefaultCPUAllocator" in str(error)
    assert texts == {g.key: MSG_OUT_OF_MEMORY.format(label=g.label) for g in fitting_generators()}


def test_ctgan_out_of_memory_is_stored_failed_in_plain_words(tmp_path):
    # Setup: a wide table and a huge batch under a 3 GiB address-space budget
    db = tmp_path / "db" / "s.duckdb"
    store = Store(db)
    ds = _add(store, _wide(), "wide")
    earlier = generate(store, ds, "gaussian_copula", n_rows=20, seed=1)
    rows = load_synthetic(store, earlier.id)
    store.close()
    # Run
    out = subprocess.run(
        [sys.executable, "-c", LIMITED_CLI, "3000", "--db", str(db), "generate", ds,
         "--generator", "ctgan", "--epochs", "1", "--param", "batch_size=20000"],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )
    # Assert: exit 1 with the plain reason; the run is stored failed; earlier data intact
    message = MSG_OUT_OF_MEMORY.format(label="CTGAN")
    assert out.returncode == 1, out.stderr[-2000:]
    assert out.stderr.strip().splitlines()[-1].endswith(f"failed: {message}")
    store = Store(db)
    try:
        failed = [r for r in list_runs(store) if r.generator == "ctgan"]
        assert [(r.status, r.error) for r in failed] == [("failed", message)]
        assert [d.id for d in list_datasets(store)] == [ds]
        pd.testing.assert_frame_equal(load_synthetic(store, earlier.id), rows)
    finally:
        store.close()


def _big() -> pd.DataFrame:
    # ~32 MB of random floats: more than the small file system can take, even compressed.
    rng = np.random.default_rng(1)
    return pd.DataFrame(rng.random((200_000, 20)), columns=[f"n{i}" for i in range(20)])


def _small() -> pd.DataFrame:
    rng = np.random.default_rng(2)
    return pd.DataFrame({"a": rng.integers(0, 10, 100), "b": rng.choice(["x", "y"], 100)})


@pytest.fixture()
def tiny_fs(tmp_path: Path):
    """A 20 MB ext4 file system mounted on a loop device (root only); unmounted afterwards."""
    image, mount = tmp_path / "disk.img", tmp_path / "mnt"
    mount.mkdir()
    with image.open("wb") as fh:
        fh.truncate(20 * 2**20)
    made = subprocess.run(["mkfs.ext4", "-q", "-F", str(image)], capture_output=True, text=True)
    if made.returncode != 0 or shutil.which("mount") is None:
        pytest.skip(f"cannot make an ext4 file system here: {made.stderr.strip()}")
    mounted = subprocess.run(["mount", "-o", "loop", str(image), str(mount)],
                             capture_output=True, text=True)
    if mounted.returncode != 0:
        pytest.skip("mount -o loop is not permitted in this sandbox "
                    f"({mounted.stderr.strip()}); test_file_size_limit covers a refused write")
    try:
        yield mount
    finally:
        subprocess.run(["umount", str(mount)], check=True)


def _fill(folder: Path) -> Path:
    filler = folder / "filler"
    with filler.open("wb") as fh:
        try:
            while True:
                fh.write(b"\0" * 2**20)
                fh.flush()
        except OSError:  # ENOSPC: the disk is full
            pass
    return filler


def test_disk_full_gives_a_clear_message_and_keeps_earlier_data(tiny_fs):
    # Setup: a dataset and a complete run on the small disk, then fill the disk
    db = tiny_fs / "db" / "s.duckdb"
    store = Store(db)
    ds = _add(store, _small(), "small")
    run = generate(store, ds, "gaussian_copula", n_rows=50, seed=1)
    rows = load_synthetic(store, run.id)
    filler = _fill(tiny_fs)
    # Run
    try:
        with pytest.raises(StoreWriteError) as err:
            _add(store, _big(), "big")
    finally:
        store.close()
        filler.unlink()
    # Assert: the message says the disk is full; DuckDB's error is kept as the cause
    head = MSG_WRITE_FAILED.split("({detail})")[0].format(path=db)
    assert err.value.message.startswith(head)
    assert "No space left on device" in err.value.message
    assert isinstance(err.value.__cause__, duckdb.Error)
    store = Store(db)
    try:
        assert [d.id for d in list_datasets(store)] == [ds]
        assert get_run(store, run.id).status == "complete"
        pd.testing.assert_frame_equal(load_synthetic(store, run.id), rows)
    finally:
        store.close()


FSIZE_WRITER = """
import json, resource, signal, sys
import numpy as np, pandas as pd
from core.datasets import add_dataset
from core.store import Store

signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit then fails with EFBIG
limit = 2 * 2**20
resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
store = Store(sys.argv[1])
rng = np.random.default_rng(1)
big = pd.DataFrame(rng.random((200_000, 20)), columns=[f"n{i}" for i in range(20)])
try:
    add_dataset(store, big, {}, name="big", source_name="big.csv", target="", protected=[],
                quasi_identifiers=[])
    print(json.dumps({"raised": None}))
except Exception as exc:
    print(json.dumps({"raised": type(exc).__name__, "message": getattr(exc, "message", str(exc)),
                      "cause": type(exc.__cause__).__name__}))
"""


def test_file_size_limit_gives_a_clear_message_and_keeps_earlier_data(tmp_path):
    # Setup: a dataset and a complete run, written without a limit
    db = tmp_path / "db" / "s.duckdb"
    store = Store(db)
    ds = _add(store, _small(), "small")
    run = generate(store, ds, "gaussian_copula", n_rows=50, seed=1)
    rows = load_synthetic(store, run.id)
    store.close()
    # Run: another process adds a large dataset with files limited to 2 MiB
    out = subprocess.run([sys.executable, "-c", FSIZE_WRITER, str(db)], cwd=ROOT,
                         capture_output=True, text=True, timeout=300)
    # Assert
    assert out.returncode == 0, out.stderr[-2000:]
    result = json.loads(out.stdout.strip().splitlines()[-1])
    head = MSG_WRITE_FAILED.split("({detail})")[0].format(path=db)
    assert result["raised"] == "StoreWriteError"
    assert result["message"].startswith(head)
    assert "File too large" in result["message"]
    assert result["cause"] in {"TransactionException", "IOException"}
    store = Store(db)
    try:
        assert [d.id for d in list_datasets(store)] == [ds]
        assert get_run(store, run.id).status == "complete"
        pd.testing.assert_frame_equal(load_synthetic(store, run.id), rows)
    finally:
        store.close()
