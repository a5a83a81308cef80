"""Open the DuckDB file, apply migrations, and hand out cursors.

One ``Store`` per process holds the only read-write connection (DuckDB allows one process per file);
every thread or script run takes its own ``cursor()``. Migrations are ``migrations/NNNN_name.sql``,
each applied in one transaction together with its ``schema_migrations`` row, so a second run is a
no-op and a failed one leaves nothing half-done.

``Store.rewrite()`` replaces the file by a fresh copy of itself (so that deleted values leave
the disk file) and reconnects; cursors hold a shared lock, so none is open on the old file
while it is swapped and every cursor taken later uses the new one.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from core.errors import StoreCorruptError, StoreLockedError, StoreWriteError, UserInputError
from core.store import rewrite as rw
from core.store.backup import copy_database, latest_backup
from core.store.encryption import check_key
from core.store.rwlock import SharedExclusiveLock

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
_MIGRATION_RE = re.compile(r"^(\d{4})_([a-z0-9_]+)\.sql$")

MSG_LOCKED = (
    "The database '{path}' is in use by another process{pid}, probably a running synthreview app. "
    "Stop that process, or pass --db PATH (or set SYNTHREVIEW_DB) to use another database file."
)
MSG_CORRUPT = (
    "The database '{path}' is damaged and cannot be opened ({detail}). It was left untouched. "
    "{backup}"
)
MSG_WRITE_FAILED = (
    "Could not write to the database '{path}': the disk is full or the file is too large "
    "({detail}). Nothing of this change was saved; what was stored before is intact. Free some "
    "disk space (or use a database on another disk via --db PATH or SYNTHREVIEW_DB) and try again."
)
# What DuckDB says when the OS refuses a write: ENOSPC, EFBIG (RLIMIT_FSIZE), EDQUOT.
_WRITE_FAILED_MARKERS = (
    "no space left on device", "file too large", "disk quota exceeded", "could not write file",
)
MSG_NO_BACKUP = "No backup was found; start with another file via --db PATH or SYNTHREVIEW_DB."
MSG_BACKUP = "The last good backup is '{backup}': copy it over the damaged file to restore it."
MSG_BUSY = (
    "The database '{path}' could not be rewritten: it was still in use after {seconds:.0f} s. "
    "Nothing was lost and the deletion is recorded; run it again when the app is idle."
)
MSG_REWRITE_READ_ONLY = "A read-only store cannot be rewritten: {path}"
MSG_WAL_LEFT = "DuckDB left a write-ahead log beside '{path}' after closing; not swapping."
REWRITE_TIMEOUT_S = 60.0


def migrations() -> list[tuple[int, str, str]]:
    """All migrations as ``(version, name, sql)``, in order."""
    out = []
    for p in sorted(MIGRATIONS_DIR.iterdir()):
        m = _MIGRATION_RE.match(p.name)
        if m:
            out.append((int(m.group(1)), m.group(2), p.read_text(encoding="utf-8")))
    versions = [v for v, _, _ in out]
    if len(set(versions)) != len(versions):
        raise RuntimeError(f"Duplicate migration versions in {MIGRATIONS_DIR}: {versions}")
    return out


class Store:
    """The process's connection to one DuckDB file.

    Args:
        path: The database file; created (with its folder) if missing.
        read_only: Open without write access (no migrations are applied).
    """

    def __init__(self, path: str | os.PathLike[str], read_only: bool = False) -> None:
        self.path = Path(path)
        self.read_only = read_only
        self._gate = SharedExclusiveLock()
        check_key()
        if not read_only:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        self._con = self._connect()
        try:
            if not read_only:
                rw.remove_leftovers(self.path)  # of a rewrite killed midway; we hold the file now
                self.migrate()
        except duckdb.Error as exc:
            self._con.close()
            raise self.corrupt_error(str(exc)) from None

    def _connect(self) -> duckdb.DuckDBPyConnection:
        try:
            return duckdb.connect(str(self.path), read_only=self.read_only)
        except duckdb.IOException as exc:
            text = str(exc)
            if "lock" in text.lower():
                pid = re.search(r"PID (\d+)", text)
                raise StoreLockedError(
                    MSG_LOCKED.format(path=self.path, pid=f" (PID {pid.group(1)})" if pid else "")
                ) from None
            raise self.corrupt_error(text) from None
        except duckdb.Error as exc:
            raise self.corrupt_error(str(exc)) from None

    def corrupt_error(self, detail: str) -> StoreCorruptError:
        """The damaged-file error for ``detail``, naming the newest backup when there is one."""
        backup = latest_backup(self.path)
        hint = MSG_BACKUP.format(backup=backup) if backup else MSG_NO_BACKUP
        detail = detail.replace("IO Error: ", "").split("\n")[0][:200]
        return StoreCorruptError(MSG_CORRUPT.format(path=self.path, detail=detail, backup=hint))

    def migrate(self) -> list[int]:
        """Apply pending migrations; return the versions applied (empty when up to date)."""
        cur = self._con.cursor()
        cur.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations ("
            "version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_at TIMESTAMP NOT NULL)"
        )
        done = {r[0] for r in cur.execute("SELECT version FROM schema_migrations").fetchall()}
        applied = []
        for version, name, sql in migrations():
            if version in done:
                continue
            cur.begin()
            try:
                cur.execute(sql)
                cur.execute(
                    "INSERT INTO schema_migrations VALUES (?, ?, current_timestamp)",
                    [version, name],
                )
                cur.commit()
            except Exception:
                cur.rollback()
                raise
            applied.append(version)
        cur.close()
        return applied

    def schema_version(self) -> int:
        """The highest applied migration version."""
        with self.cursor() as cur:
            row = cur.execute("SELECT max(version) FROM schema_migrations").fetchone()
        return int(row[0] or 0)

    @contextmanager
    def cursor(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A cursor for this thread, closed afterwards (a rewrite waits until it is closed)."""
        with self._gate.shared():
            cur = self._con.cursor()
            try:
                yield cur
            finally:
                cur.close()

    def _write_failed(self, exc: duckdb.Error) -> StoreWriteError | None:
        text = str(exc)
        if not any(m in text.lower() for m in _WRITE_FAILED_MARKERS):
            return None
        detail = " ".join(text.split())[:300]
        return StoreWriteError(MSG_WRITE_FAILED.format(path=self.path, detail=detail))

    @contextmanager
    def transaction(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A cursor inside one transaction: committed on success, rolled back on any error.

        Raises:
            StoreWriteError: The disk refused the write (full, or a file size limit); the
                transaction was rolled back. DuckDB's error is the ``__cause__``.
        """
        with self.cursor() as cur:
            cur.begin()
            try:
                yield cur
            except BaseException as exc:
                cur.rollback()
                if isinstance(exc, duckdb.Error) and (mapped := self._write_failed(exc)):
                    raise mapped from exc
                raise
            try:
                cur.commit()
            except duckdb.Error as exc:
                # A failed commit (e.g. the WAL cannot grow) leaves nothing of the transaction.
                if mapped := self._write_failed(exc):
                    raise mapped from exc
                raise

    def rewrite(self, timeout: float = REWRITE_TIMEOUT_S) -> None:
        """Replace the file by a fresh copy of itself, then reconnect to it.

        A SQL ``DELETE`` leaves the old values in free blocks of the file; ``COPY FROM DATABASE``
        copies only live rows, so after this no deleted value is left in the database file (nor
        in a WAL: the new file has none). Safe against kill -9 at every step: the old file stays
        until the new one is complete and flushed, ``os.replace`` swaps them in one step, and
        leftovers are removed at the next open (see :mod:`core.store.rewrite`).

        Args:
            timeout: Seconds to wait for open cursors to close.

        Raises:
            UserInputError: Cursors stayed open longer than ``timeout``; nothing was changed.
        """
        if self.read_only:
            raise ValueError(MSG_REWRITE_READ_ONLY.format(path=self.path))
        with self._gate.exclusive(timeout) as got:
            if not got:
                raise UserInputError(MSG_BUSY.format(path=self.path, seconds=timeout))
            new, old = rw.rewrite_path(self.path), rw.old_path(self.path)
            rw.remove_leftovers(self.path)
            self._copy_to(new)
            rw.fsync_file(new)
            rw.step("copied")
            self._con.close()  # checkpoints: the old WAL is merged into the old file and removed
            rw.step("closed")
            try:
                if rw.wal_path(self.path).exists() or rw.wal_path(new).exists():
                    raise RuntimeError(MSG_WAL_LEFT.format(path=self.path))
                try:
                    os.link(self.path, old)  # keeps the old inode so that it can be zeroed
                except OSError:
                    pass  # no hard links here: the old file is only unlinked
                os.replace(new, self.path)
                rw.fsync_dir(self.path.parent)
                rw.step("swapped")
            finally:
                self._con = self._connect()  # whichever file is in place now
            rw.remove_leftovers(self.path)  # zeroes and deletes the old file
            rw.step("shredded")

    def _copy_to(self, target: Path) -> None:
        cur = self._con.cursor()
        try:
            copy_database(cur, target)
        except BaseException:
            target.unlink(missing_ok=True)
            rw.wal_path(target).unlink(missing_ok=True)
            raise
        finally:
            cur.close()

    def close(self) -> None:
        """Close the connection (the file lock is released)."""
        self._con.close()
