"""Erasure that reaches the disk: rewrite the database file and replace its backups.

After rows are deleted, :func:`erase` rewrites the file (``Store.rewrite``: a fresh copy
without free blocks, swapped in atomically, WAL gone), zeroes and deletes every backup of it
(they hold the removed values), marks the pending log entries erased, and writes one fresh
backup of the rewritten file. A crash in between leaves log entries with ``erased_at`` NULL;
:func:`finish_pending` (run at app start, and by a repeated delete) completes them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from core.store import Store
from core.store import deletions as dq
from core.store import rewrite as rw
from core.store.backup import backup_after_change, backup_files


@dataclass(frozen=True)
class Erasure:
    """What an erasure did.

    Attributes:
        backups_removed: Backup files zeroed and deleted.
        new_backup: The one fresh backup of the rewritten file (None if writing it failed).
        entries: Ids of the log entries marked erased.
    """

    backups_removed: tuple[Path, ...]
    new_backup: Path | None
    entries: tuple[int, ...]


def remove_backups(path: Path) -> list[Path]:
    """Zero and delete every backup file of the database at ``path``; return them."""
    found = backup_files(path)
    for p in found:
        rw.shred(p)
    return found


def erase(store: Store) -> Erasure:
    """Rewrite the file and replace its backups so that no deleted value is left in either.

    Returns:
        What was removed and written, and which pending log entries are now erased.
    """
    store.rewrite()
    removed = remove_backups(store.path)
    rw.step("backups_removed")
    ids = [d.id for d in dq.pending(store)]
    if ids:
        dq.mark_erased(store, ids, datetime.now(UTC))
    fresh = backup_after_change(store)
    return Erasure(backups_removed=tuple(removed), new_backup=fresh, entries=tuple(ids))


def finish_pending(store: Store) -> list[dq.Deletion]:
    """Complete erasures a crash left unfinished; return their log entries (empty if none)."""
    waiting = dq.pending(store)
    if waiting:
        erase(store)
    return waiting
