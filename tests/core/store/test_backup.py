import re
import shutil
import threading

import pandas as pd
import pytest

from core import review as rv
from core.datasets import add_dataset
from core.errors import StoreCorruptError
from core.store import Store
from core.store import runs as runs_q
from core.store.backup import backup, backup_dir, latest_backup, list_backups
from core.store.db import MSG_BACKUP


def _complete_run(store: Store, run_id: str, dataset_id: str = "ds1") -> None:
    runs_q.start_run(store, run_id=run_id, dataset_id=dataset_id, schema_version=1,
                     generator="gaussian_copula", params={}, seed=0, rows_requested=2,
                     versions={})
    runs_q.complete_run(store, run_id, pd.DataFrame({"a": [1, 2]}), fit_seconds=0.1,
                        sample_seconds=0.1, peak_memory_mb=1.0)


@pytest.fixture()
def reviewed(store: Store) -> Store:
    """A store with a dataset, a complete run, two decisions and a sign-off."""
    real = pd.DataFrame({"age": [23, 35, 47, 51, 62, 29, 33, 41, 58, 19, 44, 37],
                         "sex": ["F", "M"] * 6})
    info, _ = add_dataset(store, real, {}, name="tiny", source_name="tiny.csv")
    _complete_run(store, "run1", info.id)
    a = rv.record_decision(store, "run1", "age", "approve", "", "Ada", evidence={"ks": 0.93})
    rv.record_decision(store, "run1", "age", "reject", "skew", "Bob", seen_id=a.id)
    rv.sign_off(store, "run1", "rejected", "age is skewed", "Ada", columns=["age"])
    return store


def test_a_backup_opens_as_a_store_with_the_same_rows(reviewed, db_file):
    # Setup: the sign-off in the fixture already made one backup
    before = {p.name for p in backup_dir(db_file).iterdir()}
    # Run
    path = backup(reviewed)
    # Assert
    assert path.parent == backup_dir(db_file)
    assert re.fullmatch(r"synthreview-\d{8}T\d{6}\.\d{6}Z\.duckdb", path.name)
    assert latest_backup(db_file) == path
    after = {p.name for p in path.parent.iterdir()}
    assert after - before == {path.name}  # exactly one new file: no .partial or .wal left
    assert all(n.endswith(".duckdb") for n in after)
    copy = Store(path, read_only=True)
    try:
        assert copy.schema_version() == reviewed.schema_version()
        assert rv.history(copy, "run1") == rv.history(reviewed, "run1")
        assert rv.signoff_history(copy, "run1") == rv.signoff_history(reviewed, "run1")
        assert runs_q.load_synthetic(copy, "run1").equals(runs_q.load_synthetic(reviewed, "run1"))
    finally:
        copy.close()


def test_a_restored_backup_keeps_handing_out_fresh_ids(reviewed, tmp_path):
    # Setup: restore the backup as another database file
    restored_path = tmp_path / "restored" / "synthreview.duckdb"
    restored_path.parent.mkdir()
    shutil.copy(backup(reviewed), restored_path)
    old = rv.history(reviewed, "run1")
    # Run
    restored = Store(restored_path)
    try:
        new = rv.record_decision(restored, "run1", "age", "approve", "fixed", "Cy",
                                 seen_id=old[0].id)
        # Assert
        assert new.id > max(d.id for d in old)
        assert rv.history(restored, "run1") == [new] + old
    finally:
        restored.close()


def test_only_the_newest_generations_are_kept(reviewed, db_file):
    # Setup: another database in the same folder whose name starts like ours
    other = Store(db_file.with_name("synthreview-old.duckdb"))
    other_backup = backup(other)
    other.close()
    # Run
    made = [backup(reviewed, keep=2) for _ in range(4)]
    # Assert
    assert list_backups(db_file) == made[-2:]
    assert sorted(made) == made  # file names sort in time order
    assert other_backup.exists()
    assert list_backups(db_file.with_name("synthreview-old.duckdb")) == [other_backup]


def test_keep_must_be_positive(reviewed):
    # Run
    with pytest.raises(ValueError) as err:
        backup(reviewed, keep=0)
    # Assert
    assert str(err.value) == "keep must be at least 1, got 0"


def test_a_damaged_file_names_the_latest_backup(db_file):
    # Setup
    store = Store(db_file)
    _complete_run(store, "run1")
    backup(store)
    newest = backup(store)
    store.close()
    db_file.write_bytes(b"not a database" * 500)
    # Run
    with pytest.raises(StoreCorruptError) as err:
        Store(db_file)
    # Assert
    assert err.value.message.endswith(MSG_BACKUP.format(backup=newest))
    assert db_file.read_bytes() == b"not a database" * 500


def test_a_backup_taken_while_another_thread_writes_is_one_snapshot(store):
    # Setup: a writer completes runs; each completion writes run_rows and updates runs in one
    # transaction, so a consistent copy has rows for exactly its complete runs
    stop, writing = threading.Event(), threading.Event()

    def writer() -> None:
        i = 0
        while not stop.is_set() and i < 500:
            _complete_run(store, f"r{i}")
            writing.set()
            i += 1

    thread = threading.Thread(target=writer)
    thread.start()
    # Run
    try:
        writing.wait(timeout=30)
        copies = [backup(store, keep=3) for _ in range(3)]
    finally:
        stop.set()
        thread.join()
    # Assert
    for path in copies:
        copy = Store(path, read_only=True)
        try:
            with copy.cursor() as cur:
                complete, with_rows = cur.execute(
                    "SELECT count(*) FILTER (WHERE status = 'complete'), "
                    "count(*) FILTER (WHERE id IN (SELECT run_id FROM run_rows)) FROM runs"
                ).fetchone()
                orphans = cur.execute(
                    "SELECT count(*) FROM run_rows WHERE run_id NOT IN (SELECT id FROM runs)"
                ).fetchone()[0]
        finally:
            copy.close()
        assert complete == with_rows and orphans == 0
