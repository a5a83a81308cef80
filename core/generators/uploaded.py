"""``uploaded``: a synthetic table made elsewhere, imported and checked against the schema."""

from __future__ import annotations

from typing import Any

import pandas as pd

from core.config import Limits
from core.errors import UserInputError
from core.generators.base import Generator
from core.io import load_table
from core.schema import Schema, check_synthetic_matches

MSG_IMPORT_ONLY = (
    "The 'uploaded' generator does not fit a model: it imports a synthetic file made elsewhere. "
    "Use: python -m core import DATASET FILE (or the 'Upload a synthetic file' tab on the Generate "
    "page)."
)


class Uploaded(Generator):
    """Imports an external synthetic file instead of fitting."""

    key = "uploaded"
    label = "Uploaded file"
    description = "A synthetic table made elsewhere, checked against the dataset's schema."
    imports = True

    def load(
        self, data: bytes, file_name: str, schema: Schema, limits: Limits | None = None
    ) -> tuple[pd.DataFrame, dict[str, Any]]:
        """Load and check a synthetic file; return its rows and the load report.

        The rows are the synthesised columns in schema order, then any identifier columns the
        file holds: real names or case numbers left in a file
        made elsewhere must be checked for replay, not silently dropped.
        """
        df, report = load_table(data, file_name, limits or Limits.from_env())  # refuses 0 rows
        rows = check_synthetic_matches(schema, df)
        for col in (c for c in schema.identifiers if c in df.columns):
            rows[col] = df[col]
        return rows, report.to_dict()

    def fit_sample(self, *args: Any, **kwargs: Any) -> Any:  # noqa: D102
        raise UserInputError(MSG_IMPORT_ONLY)

    def _fit(self, *args: Any, **kwargs: Any) -> Any:
        raise UserInputError(MSG_IMPORT_ONLY)

    def _sample(self, *args: Any, **kwargs: Any) -> pd.DataFrame:
        raise UserInputError(MSG_IMPORT_ONLY)
