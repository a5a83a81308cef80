"""scikit-learn's permutation importance for a HistGradientBoosting model, its input encoded once.

A ``HistGradientBoosting`` model with ``categorical_features="from_dtype"`` encodes a pandas frame
through its own ``ColumnTransformer`` on every prediction; permutation importance predicts once
per column and repeat (31 times for Adult's 15 columns, 2 repeats), and on a few thousand rows
that encoding is most of the time. The encoding is column by column (an ordinal code per
category, numbers passed through), so shuffling a column and then encoding gives the same array
as encoding and then shuffling it. Here the rows are encoded once and the model is asked to
predict on encoded rows; scikit-learn's ``permutation_importance`` does everything else, with the
same seed, so every importance is the one it gives on the frame
(``tests/core/metrics/test_permutation.py`` holds this against it on untidy tables).

Any other model, or one whose internals are not where scikit-learn 1.9 keeps them, goes to
``permutation_importance`` as it is.
"""

from __future__ import annotations

import copy
import warnings
from typing import Any

import numpy as np
import pandas as pd
from sklearn.ensemble._hist_gradient_boosting.gradient_boosting import BaseHistGradientBoosting
from sklearn.inspection import permutation_importance
from sklearn.utils import Bunch


def _encoded_model(model: Any, x: pd.DataFrame) -> tuple[Any, np.ndarray, np.ndarray] | None:
    """``(model that predicts on encoded rows, encoded rows, original column of each)``."""
    pre = getattr(model, "_preprocessor", None)
    mask = getattr(model, "is_categorical_", None)
    if not isinstance(model, BaseHistGradientBoosting) or pre is None or mask is None:
        return None
    names = [name for name, _, _ in getattr(pre, "transformers_", [])]
    if names[:2] != ["encoder", "numerical"] or not hasattr(model, "_preprocess_X"):
        return None
    encoded = pre.transform(x)
    source = np.r_[np.flatnonzero(mask), np.flatnonzero(~mask)]  # the transformer's column order
    if encoded.shape[1] != len(source):
        return None
    bare = copy.copy(model)
    bare._preprocessor = None  # its _preprocess_X then only checks the array it is given
    return bare, encoded, source


def fast_permutation_importance(model: Any, x: pd.DataFrame, y: np.ndarray, **kwargs: Any) -> Any:
    """``sklearn.inspection.permutation_importance(model, x, y, **kwargs)``, the same numbers.

    The result's rows follow ``x``'s columns, as scikit-learn's do.
    """
    prepared = _encoded_model(model, x)
    if prepared is None:
        return permutation_importance(model, x, y, **kwargs)
    bare, encoded, source = prepared
    with warnings.catch_warnings():
        # The encoded rows have no column names; the model was fitted on a named frame.
        warnings.filterwarnings("ignore", message="X does not have valid feature names")
        result = permutation_importance(bare, encoded, y, **kwargs)
    back = np.empty_like(source)
    back[source] = np.arange(len(source))  # row of original column j in the result
    importances = result.importances[back]
    return Bunch(importances_mean=importances.mean(axis=1),
                 importances_std=importances.std(axis=1), importances=importances)
