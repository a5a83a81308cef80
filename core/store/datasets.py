"""Queries for datasets: rows, holdout split and versioned schemas. Parameterised only."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

import duckdb
import numpy as np
import pandas as pd

from core.errors import NotFoundError
from core.schema.model import Schema
from core.store.db import Store
from core.store.frames import from_parquet_bytes, to_parquet_bytes

MSG_NO_DATASET = "There is no dataset '{id}'. List them with: python -m core datasets list"


@dataclass(frozen=True)
class DatasetInfo:
    """One stored dataset (without its rows)."""

    id: str
    name: str
    content_hash: str
    source_name: str
    created_at: datetime
    n_rows: int
    n_columns: int
    load_report: dict
    holdout_fraction: float
    split_seed: int
    split_stratified_on: str | None
    n_holdout: int
    schema_version: int
    n_runs: int = 0


_SELECT = """
SELECT d.id, d.name, d.content_hash, d.source_name, d.created_at, d.n_rows, d.n_columns,
       d.load_report_json, d.holdout_fraction, d.split_seed, d.split_stratified_on,
       (SELECT count(*) FROM dataset_splits s WHERE s.dataset_id = d.id AND s.is_holdout),
       (SELECT max(version) FROM dataset_schemas v WHERE v.dataset_id = d.id),
       (SELECT count(*) FROM runs r WHERE r.dataset_id = d.id)
FROM datasets d
"""


def _info(row: tuple) -> DatasetInfo:
    return DatasetInfo(
        id=row[0], name=row[1], content_hash=row[2], source_name=row[3], created_at=row[4],
        n_rows=int(row[5]), n_columns=int(row[6]), load_report=json.loads(row[7]),
        holdout_fraction=float(row[8]), split_seed=int(row[9]), split_stratified_on=row[10],
        n_holdout=int(row[11]), schema_version=int(row[12] or 0), n_runs=int(row[13]),
    )


def insert_dataset(
    store: Store,
    *,
    dataset_id: str,
    name: str,
    content_hash: str,
    source_name: str,
    df: pd.DataFrame,
    load_report: dict,
    is_holdout: np.ndarray,
    holdout_fraction: float,
    split_seed: int,
    stratified_on: str | None,
    schema: Schema,
) -> None:
    """Store a dataset, its rows, split and first schema version in one transaction."""
    blob = to_parquet_bytes(df)
    with store.transaction() as cur:
        cur.execute(
            "INSERT INTO datasets VALUES (?, ?, ?, ?, current_timestamp, ?, ?, ?, ?, ?, ?)",
            [dataset_id, name, content_hash, source_name, len(df), df.shape[1],
             json.dumps(load_report), holdout_fraction, split_seed, stratified_on],
        )
        _insert_rows(cur, dataset_id, blob, is_holdout)
        cur.execute(
            "INSERT INTO dataset_schemas VALUES (?, 1, ?, current_timestamp)",
            [dataset_id, schema.to_json()],
        )


def _insert_rows(
    cur: duckdb.DuckDBPyConnection, dataset_id: str, blob: bytes, is_holdout: np.ndarray
) -> None:
    """Insert a dataset's rows (Parquet bytes) and its holdout split, inside a transaction."""
    splits = pd.DataFrame({
        "dataset_id": dataset_id,
        "row_index": np.arange(len(is_holdout), dtype="int64"),
        "is_holdout": is_holdout.astype(bool),
    })
    cur.execute("INSERT INTO dataset_rows VALUES (?, ?)", [dataset_id, blob])
    cur.register("splits_df", splits)
    cur.execute("INSERT INTO dataset_splits SELECT * FROM splits_df")
    cur.unregister("splits_df")


def restore_rows(
    store: Store,
    dataset_id: str,
    *,
    df: pd.DataFrame,
    load_report: dict,
    is_holdout: np.ndarray,
) -> bool:
    """Store again the real rows and holdout split of a dataset whose rows were purged.

    The record, schema versions and everything made from the dataset are untouched; the load
    report (scrubbed by the purge) becomes the report of this load. Returns False, storing
    nothing, when the rows are there already (another add restored them first), so nothing
    stored is ever replaced.
    """
    blob = to_parquet_bytes(df)
    with store.transaction() as cur:
        held = cur.execute(
            "SELECT (SELECT count(*) FROM dataset_rows WHERE dataset_id = ?) "
            "+ (SELECT count(*) FROM dataset_splits WHERE dataset_id = ?)",
            [dataset_id, dataset_id],
        ).fetchone()[0]
        if held:
            return False
        _insert_rows(cur, dataset_id, blob, is_holdout)
        cur.execute("UPDATE datasets SET load_report_json = ? WHERE id = ?",
                    [json.dumps(load_report), dataset_id])
    return True


def find_by_hash(store: Store, content_hash: str) -> str | None:
    """The id of the dataset with this content, if stored."""
    with store.cursor() as cur:
        row = cur.execute(
            "SELECT id FROM datasets WHERE content_hash = ?", [content_hash]
        ).fetchone()
    return row[0] if row else None


def list_datasets(store: Store) -> list[DatasetInfo]:
    """Every dataset, newest first."""
    with store.cursor() as cur:
        rows = cur.execute(_SELECT + " ORDER BY d.created_at DESC, d.id").fetchall()
    return [_info(r) for r in rows]


def get_dataset(store: Store, dataset_id: str) -> DatasetInfo:
    """One dataset; :class:`NotFoundError` if missing."""
    with store.cursor() as cur:
        row = cur.execute(_SELECT + " WHERE d.id = ?", [dataset_id]).fetchone()
    if row is None:
        raise NotFoundError(MSG_NO_DATASET.format(id=dataset_id))
    return _info(row)


def load_rows(store: Store, dataset_id: str) -> tuple[pd.DataFrame, np.ndarray]:
    """All real rows and the holdout mask (True = holdout), in stored row order."""
    with store.cursor() as cur:
        blob = cur.execute(
            "SELECT parquet FROM dataset_rows WHERE dataset_id = ?", [dataset_id]
        ).fetchone()
        if blob is None:
            raise NotFoundError(MSG_NO_DATASET.format(id=dataset_id))
        mask = cur.execute(
            "SELECT is_holdout FROM dataset_splits WHERE dataset_id = ? ORDER BY row_index",
            [dataset_id],
        ).fetchnumpy()["is_holdout"]
    return from_parquet_bytes(blob[0]), np.asarray(mask, dtype=bool)


def save_schema(store: Store, dataset_id: str, schema: Schema) -> int:
    """Append a schema version (nothing is overwritten); return its number."""
    with store.transaction() as cur:
        row = cur.execute(
            "SELECT coalesce(max(version), 0) FROM dataset_schemas WHERE dataset_id = ?",
            [dataset_id],
        ).fetchone()
        version = int(row[0]) + 1
        cur.execute(
            "INSERT INTO dataset_schemas VALUES (?, ?, ?, current_timestamp)",
            [dataset_id, version, schema.to_json()],
        )
    return version


def get_schema(store: Store, dataset_id: str, version: int | None = None) -> tuple[int, Schema]:
    """A schema version of a dataset (the latest by default)."""
    with store.cursor() as cur:
        if version is None:
            row = cur.execute(
                "SELECT version, schema_json FROM dataset_schemas WHERE dataset_id = ? "
                "ORDER BY version DESC LIMIT 1",
                [dataset_id],
            ).fetchone()
        else:
            row = cur.execute(
                "SELECT version, schema_json FROM dataset_schemas "
                "WHERE dataset_id = ? AND version = ?",
                [dataset_id, version],
            ).fetchone()
    if row is None:
        raise NotFoundError(MSG_NO_DATASET.format(id=dataset_id))
    return int(row[0]), Schema.from_json(row[1])
