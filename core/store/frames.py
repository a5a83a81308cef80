"""DataFrames in and out of the store as Parquet bytes (column names and types kept exactly)."""

from __future__ import annotations

import hashlib
import io

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq


def to_parquet_bytes(df: pd.DataFrame) -> bytes:
    """Serialise ``df`` (index dropped) to Parquet bytes."""
    table = pa.Table.from_pandas(df.reset_index(drop=True), preserve_index=False)
    buf = io.BytesIO()
    pq.write_table(table, buf, compression="zstd")
    return buf.getvalue()


def from_parquet_bytes(data: bytes) -> pd.DataFrame:
    """Inverse of :func:`to_parquet_bytes`."""
    return pq.read_table(io.BytesIO(data)).to_pandas()


def content_hash(df: pd.DataFrame) -> str:
    """A sha256 of the table's column names, dtypes and values (row order matters).

    Two loads of the same file give the same hash, so datasets are deduplicated by content.
    """
    h = hashlib.sha256()
    for name, dtype in zip(df.columns, df.dtypes, strict=True):
        h.update(repr((str(name), str(dtype))).encode("utf-8"))
    h.update(pd.util.hash_pandas_object(df, index=False).to_numpy().tobytes())
    return h.hexdigest()
