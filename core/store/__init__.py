"""The DuckDB store: one file, versioned migrations, parameterised queries only.

``open_store`` is what the app and the CLI call; ``Store`` (in ``db.py``) is the connection itself.
"""

from __future__ import annotations

import os

import duckdb

from core.store.db import Store
from core.store.jobs import mark_interrupted as mark_interrupted_jobs
from core.store.runs import mark_interrupted

__all__ = ["Store", "open_store"]

_READ_AT_OPEN = (
    "SELECT count(*), max(created_at) FROM datasets",
    "SELECT count(*), max(version) FROM dataset_schemas",
    "SELECT count(*), max(created_at) FROM runs",
    "SELECT count(*), max(created_at) FROM reports",
)


def open_store(path: str | os.PathLike[str]) -> Store:
    """Open the database for the app or the CLI: migrate, mark interrupted runs and jobs, read once.

    Damage deeper in the file than the header shows only when a table is read; that first read
    happens here, so it too gives the damaged-file message (with the newest backup), never a
    traceback.
    """
    store = Store(path)
    try:
        mark_interrupted(store)
        mark_interrupted_jobs(store)
        with store.cursor() as cur:
            for query in _READ_AT_OPEN:
                cur.execute(query).fetchall()
    except duckdb.Error as exc:
        store.close()
        raise store.corrupt_error(str(exc)) from None
    return store
