"""Store.rewrite: deleted values leave the file; leftovers of a killed rewrite are cleaned up."""

from __future__ import annotations

import pytest

from core.errors import UserInputError
from core.store import Store
from core.store import rewrite as rw
from core.store.encryption import MSG_NO_ENCRYPTION

MARKER = b"MARKER-rewrite-5d1e"


def _files_hold(folder, needle: bytes) -> list[str]:
    return [p.name for p in folder.rglob("*") if p.is_file() and needle in p.read_bytes()]


def test_a_rewrite_drops_deleted_values_and_keeps_the_rest(store, db_file):
    # Setup: values written, flushed, then deleted (DuckDB keeps them in free blocks)
    with store.transaction() as cur:
        cur.execute("CREATE TABLE t (v VARCHAR)")
        cur.execute("INSERT INTO t SELECT ? || i FROM range(2000) r(i)", [MARKER.decode()])
        cur.execute("INSERT INTO t VALUES ('keep')")
    with store.cursor() as cur:
        cur.execute("CHECKPOINT")
    with store.transaction() as cur:
        cur.execute("DELETE FROM t WHERE v LIKE ?", [MARKER.decode() + "%"])
    with store.cursor() as cur:
        cur.execute("CHECKPOINT")
    assert _files_hold(db_file.parent, MARKER)  # the test can fail: the bytes are there
    version = store.schema_version()
    # Run
    store.rewrite()
    # Assert
    assert _files_hold(db_file.parent, MARKER) == []
    assert sorted(p.name for p in db_file.parent.iterdir()) == [db_file.name]
    with store.cursor() as cur:  # cursors taken later use the new file
        assert cur.execute("SELECT v FROM t").fetchall() == [("keep",)]
    assert store.schema_version() == version


def test_leftovers_of_a_killed_rewrite_are_removed_at_open(db_file):
    # Setup: a partial copy and an old file that was already swapped out
    Store(db_file).close()
    rw.rewrite_path(db_file).write_bytes(b"partial")
    rw.old_path(db_file).write_bytes(MARKER)
    # Run
    store = Store(db_file)
    store.close()
    # Assert
    assert sorted(p.name for p in db_file.parent.iterdir()) == [db_file.name]


def test_an_old_link_to_the_live_file_is_unlinked_never_zeroed(db_file):
    # Setup: killed after the hard link, before the rename: .old is the live file
    store = Store(db_file)
    with store.transaction() as cur:
        cur.execute("CREATE TABLE t AS SELECT 42 AS x")
    store.close()
    rw.old_path(db_file).hardlink_to(db_file)
    # Run
    store = Store(db_file)
    # Assert
    with store.cursor() as cur:
        assert cur.execute("SELECT x FROM t").fetchall() == [(42,)]
    store.close()
    assert not rw.old_path(db_file).exists()


def test_a_database_key_is_refused_with_a_clear_message(db_file, monkeypatch):
    # Setup
    monkeypatch.setenv("SYNTHREVIEW_DB_KEY", "secret")
    # Run
    with pytest.raises(UserInputError) as err:
        Store(db_file)
    # Assert
    assert err.value.message == MSG_NO_ENCRYPTION
    assert not db_file.exists()
