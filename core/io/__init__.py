"""Load a user's table: ``load_table(data, file_name)`` -> ``(DataFrame, LoadReport)``.

The modules, one concept each: :mod:`~core.io.load` (the entry points, picks the reader),
:mod:`~core.io.csv_reader` (CSV text), :mod:`~core.io.formats` (Excel and Parquet),
:mod:`~core.io.types` (column typing and per-column markers), :mod:`~core.io.headers` (blank and
repeated names), :mod:`~core.io.limits` (shared limits),
:mod:`~core.io.messages` (message templates) and :mod:`~core.io.report` (:class:`LoadReport`).
Import message templates and helpers from their own module.
"""

from core.io.load import load_path, load_table
from core.io.report import LoadReport

__all__ = ["LoadReport", "load_path", "load_table"]
