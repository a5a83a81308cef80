"""A damaged database file at start, and the backups that make it recoverable."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from core.datasets import add_dataset
from core.errors import StoreCorruptError
from core.review import record_decision, sign_off
from core.runs import generate
from core.store import Store
from core.store.backup import DEFAULT_KEEP, latest_backup, list_backups
from core.store.db import MSG_BACKUP
from tests.reliability.conftest import ROOT
from ui.text import md_escape


def _truncate_half(data: bytes) -> bytes:
    return data[: len(data) // 2]


def _truncate_header(data: bytes) -> bytes:
    return data[:4096]


def _garble_header(data: bytes) -> bytes:
    return data[:4096] + b"\xff" * 4096 + data[8192:]


def _damage(path: Path, how) -> bytes:  # noqa: ANN001 - one of the functions above
    damaged = how(path.read_bytes())
    path.write_bytes(damaged)
    path.with_name(path.name + ".wal").unlink(missing_ok=True)
    return damaged


@pytest.mark.parametrize("how", [_truncate_half, _truncate_header, _garble_header])
def test_a_damaged_file_is_refused_untouched_naming_the_latest_backup(seeded, how):
    # Setup: the seeded file has a backup (taken after its complete run)
    path = seeded["path"]
    newest = latest_backup(path)
    damaged = _damage(path, how)
    # Run
    with pytest.raises(StoreCorruptError) as err:
        Store(path)
    # Assert: path and backup named; the file byte-for-byte as it was; the backup still there
    assert newest is not None
    assert err.value.message.startswith(f"The database '{path}' is damaged and cannot be opened")
    assert err.value.message.endswith(MSG_BACKUP.format(backup=newest))
    assert path.read_bytes() == damaged
    assert latest_backup(path) == newest
    Store(newest).close()  # the backup named opens


def test_the_app_shows_a_damaged_file_as_an_error_not_a_traceback(seeded, tmp_path, monkeypatch):
    # Setup: a truncated copy of a real database, beside a copy of its backups
    copy = tmp_path / "copy" / "synthreview.duckdb"
    copy.parent.mkdir()
    shutil.copy(seeded["path"], copy)
    shutil.copytree(seeded["path"].parent / "backups", copy.parent / "backups")
    _damage(copy, _truncate_half)
    with pytest.raises(StoreCorruptError) as expected:
        Store(copy)
    monkeypatch.setenv("SYNTHREVIEW_DB", str(copy))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    # Run
    at.run()
    # Assert
    assert not at.exception
    assert [e.value for e in at.error] == [md_escape(expected.value.message)]
    assert str(latest_backup(copy)) in expected.value.message


def test_backups_follow_runs_and_sign_offs_and_keep_a_few_generations(db_file):
    # Setup: a tiny three-column dataset
    store = Store(db_file)
    df = pd.DataFrame({"age": [20, 30, 40, 50, 60] * 4, "sex": ["F", "M"] * 10,
                       "ok": ["y", "n", "y", "y"] * 5})
    info, _ = add_dataset(store, df, {"file_name": "t.csv"}, name="tiny", source_name="t.csv",
                          target="", protected=[], quasi_identifiers=[])
    try:
        # Run: one run -> one backup
        run = generate(store, info.id, "gaussian_copula", n_rows=10, seed=1)
        after_run = list_backups(db_file)
        # Run: a sign-off -> one more backup
        for col in ("age", "sex", "ok"):
            record_decision(store, run.id, col, "approve", "", "Ada")
        sign_off(store, run.id, "approved", "fine", "Ada", columns=["age", "sex", "ok"])
        after_signoff = list_backups(db_file)
        # Run: more runs than generations kept
        for seed in range(DEFAULT_KEEP + 1):
            generate(store, info.id, "gaussian_copula", n_rows=10, seed=seed)
        kept = list_backups(db_file)
    finally:
        store.close()
    # Assert
    assert len(after_run) == 1
    assert len(after_signoff) == 2 and after_signoff[0] == after_run[0]
    assert len(kept) == DEFAULT_KEEP
    assert after_signoff[0] not in kept
    backup = Store(kept[-1])
    try:
        with backup.cursor() as cur:
            assert cur.execute("SELECT count(*) FROM review_signoffs").fetchone()[0] == 1
            assert cur.execute("SELECT count(*) FROM runs WHERE status = 'complete'"
                               ).fetchone()[0] == DEFAULT_KEEP + 2
    finally:
        backup.close()


def test_damage_inside_the_file_is_reported_at_open_not_as_a_traceback(tmp_path, adult_small):
    # Setup: a real database with a dataset and a run, checkpointed, then bytes garbled past the
    # header (where DuckDB's own open does not look)
    from core.datasets import add_dataset
    from core.errors import StoreCorruptError
    from core.runs import generate
    from core.store import Store, open_store

    path = tmp_path / "mid.duckdb"
    store = Store(path)
    info, _ = add_dataset(store, adult_small, {}, name="a", source_name="a.csv")
    generate(store, info.id, "gaussian_copula", n_rows=50)
    with store.cursor() as cur:
        cur.execute("CHECKPOINT")
    store.close()
    data = bytearray(path.read_bytes())
    for off in range(3 * 262_144, len(data), 262_144):  # every block after the headers
        data[off + 100: off + 4_000] = b"\xff" * 3_900
    path.write_bytes(bytes(data))
    before = path.read_bytes()
    # Run
    try:
        open_store(path).close()
    except StoreCorruptError as exc:
        # Assert
        assert exc.message.startswith(f"The database '{path}' is damaged and cannot be opened")
    else:
        raise AssertionError("a garbled database opened without complaint")
    assert path.read_bytes() == before
