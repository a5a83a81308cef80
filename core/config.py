"""Settings: input limits and where the database lives.

Defaults fit the machine we target (2 CPU cores, 24 GiB of memory). Each limit can be overridden
by an environment variable, e.g. ``SYNTHREVIEW_MAX_ROWS=2000000``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, fields
from pathlib import Path

DEFAULT_DB_PATH = Path("data") / "synthreview.duckdb"
DB_ENV_VAR = "SYNTHREVIEW_DB"
PROJECT_ROOT = Path(__file__).resolve().parent.parent
SAMPLE_DATA_DIR = PROJECT_ROOT / "sample_data"


@dataclass(frozen=True)
class Limits:
    """Upper bounds on what a user may load.

    Attributes:
        max_file_mb: Largest file accepted, in MiB (the upload limit in ``.streamlit/config.toml``
            matches it).
        max_rows: Most data rows in one table.
        max_columns: Most columns in one table.
        max_column_name_chars: Longest column name kept; longer names are refused with a message.
        max_cells: Most cells (rows x columns) in one table; bounds memory before it runs out.
    """

    max_file_mb: int = 200
    max_rows: int = 2_000_000
    max_columns: int = 1_000
    max_column_name_chars: int = 200
    max_cells: int = 40_000_000

    @property
    def max_file_bytes(self) -> int:
        """The file size limit in bytes."""
        return self.max_file_mb * 1024 * 1024

    @classmethod
    def from_env(cls) -> Limits:
        """Defaults, overridden by ``SYNTHREVIEW_<FIELD>`` environment variables where set."""
        values = {}
        for f in fields(cls):
            raw = os.environ.get(f"SYNTHREVIEW_{f.name.upper()}")
            if raw is not None:
                values[f.name] = int(raw)
        return cls(**values)


def db_path(explicit: str | os.PathLike[str] | None = None) -> Path:
    """Resolve the DuckDB file: an explicit path, else ``$SYNTHREVIEW_DB``, else the default.

    Example: ``db_path(None)`` with no environment variable -> ``data/synthreview.duckdb``.
    """
    if explicit:
        return Path(explicit)
    env = os.environ.get(DB_ENV_VAR)
    if env:
        return Path(env)
    return DEFAULT_DB_PATH
