"""DataFrames in and out of the store as Parquet bytes (column names and types kept exactly)."""

from __future__ import annotations

import hashlib
import io

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq


def to_parquet_bytes(df: pd.DataFrame, metadata: dict[str, str] | None = None) -> bytes:
    """Serialise ``df`` (index dropped) to Parquet bytes, with optional key-value ``metadata``."""
    table = pa.Table.from_pandas(df.reset_index(drop=True), preserve_index=False)
    if metadata:
        extra = {k.encode("utf-8"): v.encode("utf-8") for k, v in metadata.items()}
        table = table.replace_schema_metadata({**(table.schema.metadata or {}), **extra})
    buf = io.BytesIO()
    pq.write_table(table, buf, compression="zstd")
    return buf.getvalue()


def from_parquet_bytes(data: bytes) -> pd.DataFrame:
    """Inverse of :func:`to_parquet_bytes`."""
    return pq.read_table(io.BytesIO(data)).to_pandas()


def parquet_metadata(data: bytes, key: str) -> str | None:
    """One key-value entry written by :func:`to_parquet_bytes`, None when absent."""
    meta = pq.read_schema(io.BytesIO(data)).metadata or {}
    value = meta.get(key.encode("utf-8"))
    return None if value is None else value.decode("utf-8")


def content_hash(df: pd.DataFrame) -> str:
    """A sha256 of the table's column names, dtypes and values (row order matters).

    Two loads of the same file give the same hash, so datasets are deduplicated by content.
    """
    h = hashlib.sha256()
    for name, dtype in zip(df.columns, df.dtypes, strict=True):
        h.update(repr((str(name), str(dtype))).encode("utf-8"))
    h.update(pd.util.hash_pandas_object(df, index=False).to_numpy().tobytes())
    return h.hexdigest()
