"""Open the DuckDB file, apply migrations, and hand out cursors.

One ``Store`` per process holds the only read-write connection (DuckDB allows one process per file);
every thread or script run takes its own ``cursor()``. Migrations are ``migrations/NNNN_name.sql``,
each applied in one transaction together with its ``schema_migrations`` row, so a second run is a
no-op and a failed one leaves nothing half-done.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from core.errors import StoreCorruptError, StoreLockedError, StoreWriteError
from core.store.backup import latest_backup

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
        if not read_only:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self._con = duckdb.connect(str(self.path), read_only=read_only)
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
        try:
            if not read_only:
                self.migrate()
        except duckdb.Error as exc:
            self._con.close()
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
        """A cursor for this thread, closed afterwards."""
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

    def close(self) -> None:
        """Close the connection (the file lock is released)."""
        self._con.close()
