"""The files of a rewrite of the database: the new copy, the old one, leftovers, flushing.

``Store.rewrite()`` copies the live database into ``<name>.rewrite`` with ``COPY FROM
DATABASE`` (a logical copy: free blocks holding deleted values are not copied), flushes it,
closes the connection and moves the copy over the file with ``os.replace``. Until that rename
the old file is untouched, so a kill at any step leaves the old file or the new one, never a
mix. The old file is first hard-linked as ``<name>.old`` and overwritten with zeros after the
rename (best effort: see the README on what the disk may keep). A leftover ``.rewrite`` or
``.old`` file from a killed rewrite is removed (the ``.old`` one zeroed first) when the store
opens next.

``step(name)`` is called between the steps; tests replace ``STEP_HOOK`` to kill a process at
a chosen step.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

REWRITE_SUFFIX = ".rewrite"
OLD_SUFFIX = ".old"
STEPS = ("copied", "closed", "swapped", "shredded")
_CHUNK = 1 << 20


def _no_hook(name: str) -> None:
    return None


# Replaced by tests only (one process per test subprocess).
STEP_HOOK: Callable[[str], None] = _no_hook


def step(name: str) -> None:
    """Mark that step ``name`` of a rewrite or an erasure is done (a test hook)."""
    STEP_HOOK(name)


def rewrite_path(path: Path) -> Path:
    """Where the new copy is written: ``db.duckdb`` -> ``db.duckdb.rewrite``."""
    return path.with_name(path.name + REWRITE_SUFFIX)


def old_path(path: Path) -> Path:
    """The hard link that keeps the old file until it is zeroed: ``db.duckdb.old``."""
    return path.with_name(path.name + OLD_SUFFIX)


def wal_path(path: Path) -> Path:
    """DuckDB's write-ahead log of ``path``: ``db.duckdb`` -> ``db.duckdb.wal``."""
    return path.with_name(path.name + ".wal")


def fsync_file(path: Path) -> None:
    """Flush a file's bytes to the disk."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_dir(folder: Path) -> None:
    """Flush a folder's entries (a rename) to the disk, where the OS allows it."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # e.g. Windows cannot open a folder
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def shred(path: Path) -> None:
    """Overwrite a file with zeros, flush it, then delete it (missing files are ignored).

    Best effort: on copy-on-write filesystems, snapshots or SSDs the old blocks may survive.
    """
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        return
    try:
        with open(path, "r+b", buffering=0) as f:
            zeros = bytes(_CHUNK)
            left = size
            while left > 0:
                n = f.write(zeros[: min(left, _CHUNK)])
                left -= n
            os.fsync(f.fileno())
    except OSError:
        pass  # a read-only or vanished file is still deleted below
    path.unlink(missing_ok=True)


def remove_leftovers(path: Path) -> None:
    """Remove what a killed rewrite of ``path`` left: the partial copy and the old file."""
    for p in (rewrite_path(path), wal_path(rewrite_path(path))):
        p.unlink(missing_ok=True)
    old = old_path(path)
    if old.exists() and path.exists() and os.path.samefile(old, path):
        old.unlink()  # killed before the rename: the link is the live file, never zero it
    else:
        shred(old)
