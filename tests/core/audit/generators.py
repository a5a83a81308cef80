"""Two generators with known privacy, for the audit's known-answer tests.

``Memorising`` returns its training rows (in a seeded order, repeated to the size asked): the
worst possible generator, every member is in every output. ``Ignoring`` never looks at its
training rows: every column is drawn independently from a fixed table given when it is made,
so the output is the same distribution whether or not any record was trained on.
Both are real :class:`~core.generators.base.Generator` subclasses (validation, progress,
timings come from the base class), importable by Dask workers.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from core.generators.base import Generator
from core.schema import Schema


class Memorising(Generator):
    """Returns the training rows it was given (a seeded permutation, repeated)."""

    key = "memorising"
    label = "Memorising (test)"
    min_rows = 1

    def _fit(self, train: pd.DataFrame, schema: Schema, params: dict[str, Any], seed: int,
             state: dict[str, Any]) -> pd.DataFrame:
        return train.reset_index(drop=True)

    def _sample(self, model: pd.DataFrame, n_rows: int, seed: int) -> pd.DataFrame:
        order = np.random.default_rng(seed).permutation(len(model))
        return model.iloc[np.resize(order, n_rows)].reset_index(drop=True)


class Ignoring(Generator):
    """Independent columns drawn from a fixed table, whatever the training rows."""

    key = "ignoring"
    label = "Ignoring (test)"
    min_rows = 1

    def __init__(self, fixed: pd.DataFrame) -> None:
        self.fixed = fixed.reset_index(drop=True)

    def _fit(self, train: pd.DataFrame, schema: Schema, params: dict[str, Any], seed: int,
             state: dict[str, Any]) -> list[str]:
        return list(train.columns)

    def _sample(self, model: list[str], n_rows: int, seed: int) -> pd.DataFrame:
        rng = np.random.default_rng(seed)
        return pd.DataFrame({c: self.fixed[c].to_numpy()[rng.integers(0, len(self.fixed), n_rows)]
                             for c in model})
