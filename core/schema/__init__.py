"""Schema and roles: what each column is, and what part it plays in the evaluation.

:mod:`~core.schema.model` holds :class:`Schema`, :class:`ColumnSpec`, the sdtypes and their checks
(and the message templates); :mod:`~core.schema.detect` suggests a Schema from a table.
"""

from core.schema.detect import detect_schema
from core.schema.model import (
    SDTYPES,
    TABLE_NAME,
    ColumnSpec,
    Schema,
    check_synthetic_matches,
)

__all__ = [
    "SDTYPES",
    "TABLE_NAME",
    "ColumnSpec",
    "Schema",
    "check_synthetic_matches",
    "detect_schema",
]
