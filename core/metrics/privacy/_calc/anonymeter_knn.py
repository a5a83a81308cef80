"""Anonymeter's nearest-neighbour guess for the inference attack, with blocks of query rows.

Anonymeter's ``KNNInferencePredictor`` (``anonymeter/neighbors/mixed_types_kneighbors.py``)
sends every query row to its compiled kernel ``_nearest_neighbors`` as a joblib task of its own:
on Adult, 4 secrets x 1,000 attacked rows make 4,000 tasks whose dispatch cost more than the
search. :class:`BlockKNNPredictor` prepares the rows exactly as Anonymeter does (the same type
detection and scaling, ``mixed_types_transform``), then calls the same kernel on a few blocks of
rows, one thread per block (the kernel releases the GIL). The kernel treats each query row on
its own (its distances to every candidate, then ``argsort``), so every guess, and so the risk,
is the one Anonymeter's own predictor gives; ``tests/core/metrics/test_privacy_anonymeter.py``
compares with ``InferenceEvaluator`` called without it.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pandas as pd
from anonymeter.evaluators.inference_predictor import InferencePredictor
from anonymeter.neighbors.mixed_types_kneighbors import _nearest_neighbors
from anonymeter.preprocessing.transformations import mixed_types_transform
from anonymeter.preprocessing.type_detection import detect_consistent_col_types

BLOCKS = 2  # query blocks searched side by side (threads)


def nearest_indexes(candidates: pd.DataFrame, queries: pd.DataFrame, blocks: int = BLOCKS
                    ) -> np.ndarray:
    """Position of the nearest candidate of each query row (``MixedTypeKNeighbors``, k = 1).

    Args:
        candidates: The rows searched (the synthetic rows' auxiliary columns).
        queries: The attacked rows, same columns.
        blocks: Blocks of query rows, searched in as many threads.

    Returns:
        ``(len(queries), 1)`` int64 positions into ``candidates``, as Anonymeter's
        ``MixedTypeKNeighbors(n_neighbors=1).fit(candidates).kneighbors(queries)``.
    """
    ctypes = detect_consistent_col_types(df1=candidates, df2=queries)
    cand, quer = mixed_types_transform(df1=candidates, df2=queries, num_cols=ctypes["num"],
                                       cat_cols=ctypes["cat"])
    cols = ctypes["num"] + ctypes["cat"]
    # Row-major: the kernel reads one candidate row at a time (Anonymeter passes the frame's
    # column-major array; the layout changes no arithmetic, only how fast rows are read).
    q, c = quer[cols].values, np.ascontiguousarray(cand[cols].values)
    cut = len(ctypes["num"])
    parts = [p for p in np.array_split(np.arange(len(q)), max(1, blocks)) if len(p)]
    if not parts:
        return np.zeros((0, 1), dtype=np.int64)

    def search(rows: np.ndarray) -> np.ndarray:
        block = np.ascontiguousarray(q[rows[0]: rows[-1] + 1])
        return _nearest_neighbors(queries=block, candidates=c, cat_cols_index=cut,
                                  n_neighbors=1)[0]

    with ThreadPoolExecutor(max_workers=len(parts)) as pool:
        return np.vstack(list(pool.map(search, parts)))


class BlockKNNPredictor(InferencePredictor):
    """Anonymeter's ``KNNInferencePredictor``: the secret of the nearest synthetic row."""

    def __init__(self, data: pd.DataFrame, columns: list[str], target_col: str) -> None:
        self._data = data[columns]
        self._target_series = data[target_col]
        self._columns = columns

    def predict(self, x: pd.DataFrame) -> pd.Series:
        """The guess for each row of ``x``, indexed like ``x``."""
        idx = nearest_indexes(self._data, x[self._columns])
        guesses = self._target_series.iloc[idx.flatten()]
        guesses.index = x.index
        return guesses
