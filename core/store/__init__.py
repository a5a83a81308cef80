"""The DuckDB store: one file, versioned migrations, parameterised queries only."""

from core.store.db import Store

__all__ = ["Store"]
