"""Consistent copies of the open database, kept beside it in ``backups/``.

``backup(store)`` attaches a new DuckDB file and runs ``COPY FROM DATABASE`` inside one
transaction, so the copy is one snapshot even while other threads write (a file copy of a live
database could tear). The copy is written under a ``.partial`` name and renamed when complete,
so :func:`latest_backup` never names a half-written file. Sequences are copied with
their current value, so a restored file keeps handing out fresh ids.

Example: ``data/synthreview.duckdb`` -> ``data/backups/synthreview-20250101T120000.123456Z.duckdb``.
"""

from __future__ import annotations

import logging
import os
import re
import threading
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # for type hints only: db.py imports this module for the backup names
    from core.store.db import Store

DEFAULT_KEEP = 5
STAMP_FORMAT = "%Y%m%dT%H%M%S.%fZ"  # fixed width: name order is time order
PARTIAL_SUFFIX = ".partial"

MSG_BAD_KEEP = "keep must be at least 1, got {keep}"

# One backup at a time per process: two in the same microsecond would pick the same file name.
_LOCK = threading.Lock()


def backup_dir(path: Path) -> Path:
    """Where backups of the database at ``path`` are kept."""
    return path.parent / "backups"


def quote_ident(name: str) -> str:
    """``name`` quoted as a SQL identifier."""
    # Database names cannot be bound as parameters; quote them as SQL identifiers.
    return '"' + name.replace('"', '""') + '"'


def _pattern(path: Path) -> re.Pattern[str]:
    return re.compile(re.escape(path.stem) + r"-\d{8}T\d{6}\.\d{6}Z\.duckdb")


def list_backups(path: Path) -> list[Path]:
    """The backups of the database at ``path``, oldest first.

    Only names made by :func:`backup` count, so the backups of ``a-b.duckdb`` are never taken
    for those of ``a.duckdb``.
    """
    folder = backup_dir(path)
    if not folder.is_dir():
        return []
    pattern = _pattern(path)
    return sorted(p for p in folder.iterdir() if pattern.fullmatch(p.name))


def backup_files(path: Path) -> list[Path]:
    """Every file of the backups of ``path``: complete ones, ``.partial`` ones and their WALs."""
    folder = backup_dir(path)
    if not folder.is_dir():
        return []
    pattern = _pattern(path)
    out = []
    for p in folder.iterdir():
        name = p.name.removesuffix(".wal").removesuffix(PARTIAL_SUFFIX)
        if p.is_file() and pattern.fullmatch(name):
            out.append(p)
    return sorted(out)


def latest_backup(path: Path) -> Path | None:
    """The newest backup of ``path`` (only names made by :func:`backup`), if any."""
    found = list_backups(path)
    return found[-1] if found else None


def _remove(path: Path) -> None:
    for p in (path, path.with_name(path.name + ".wal")):
        p.unlink(missing_ok=True)


def copy_database(cur: Any, target: Path) -> None:
    """Copy the cursor's database into a new file ``target`` as one snapshot (one transaction).

    Used by :func:`backup` and by ``Store.rewrite`` (erasure): ``COPY FROM DATABASE`` writes only
    the live rows, so the copy holds nothing a ``DELETE`` left in free blocks.
    """
    alias = quote_ident("copy_" + uuid.uuid4().hex)
    source = cur.execute("SELECT current_database()").fetchone()[0]
    cur.execute("ATTACH ? AS " + alias, [str(target)])
    try:
        cur.begin()
        try:
            cur.execute("COPY FROM DATABASE " + quote_ident(source) + " TO " + alias)
        except BaseException:
            cur.rollback()
            raise
        cur.commit()
    finally:
        cur.execute("DETACH " + alias)


def backup(store: Store, keep: int = DEFAULT_KEEP) -> Path:
    """Copy the open database to ``<db folder>/backups/<stem>-<UTC time>.duckdb``.

    Args:
        store: The open (read-write) store.
        keep: How many generations to keep; older backups of this database are deleted.

    Returns:
        The new backup file. It opens as a :class:`~core.store.db.Store` at the same schema
        version, with the same rows; copy it over a damaged file to restore.
    """
    if keep < 1:
        raise ValueError(MSG_BAD_KEEP.format(keep=keep))
    folder = backup_dir(store.path)
    folder.mkdir(parents=True, exist_ok=True)
    with _LOCK:
        when = datetime.now(UTC)
        target = folder / f"{store.path.stem}-{when.strftime(STAMP_FORMAT)}.duckdb"
        while target.exists():
            when += timedelta(microseconds=1)
            target = folder / f"{store.path.stem}-{when.strftime(STAMP_FORMAT)}.duckdb"
        partial = target.with_name(target.name + PARTIAL_SUFFIX)
        _remove(partial)
        try:
            with store.cursor() as cur:
                copy_database(cur, partial)
            os.replace(partial, target)
        except BaseException:
            _remove(partial)
            raise
        for old in list_backups(store.path)[:-keep]:
            _remove(old)
    return target


def backup_after_change(store: Store, keep: int = DEFAULT_KEEP) -> Path | None:
    """A backup after a completed run or a sign-off.

    A failure (disk full...) is logged, not raised: the change itself is already committed.
    """
    try:
        return backup(store, keep)
    except Exception as exc:  # noqa: BLE001 - the committed change must not be reported failed
        logging.getLogger("synthreview").warning("backup of %s failed: %s", store.path, exc)
        return None
