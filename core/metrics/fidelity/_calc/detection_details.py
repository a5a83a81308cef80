"""What gives synthetic rows away: feature rankings and a 2-D PCA projection (for figures).

Permutation importance: how much the detection model's held-out AUC drops when one column is
shuffled; it shows what the model uses, including joint patterns.

Single-column AUC: for each column, the share of synthetic rows per code (``encoding.codes``:
categories, or ``config.bins`` quantile bins of numbers, missing as a code) is learned on the
training folds and used as the score of the held-out fold's rows. It is the best a classifier that
sees only that column's codes can do; 0.5 means the column's marginal gives nothing away.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from sklearn.metrics import roc_auc_score

from core.metrics.fidelity._calc.encoding import as_float
from core.metrics.fidelity._calc.rows import jsonable
from core.metrics.permutation import fast_permutation_importance

TOP_FEATURES = 10
PERMUTATION_ROWS = 2_000  # held-out rows shuffled per column (one prediction each: keep it cheap)
PCA_ROWS = 500
PCA_TOP_CATEGORIES = 20


def single_column_auc(
    codes: np.ndarray,
    cardinality: np.ndarray,
    y: np.ndarray,
    folds: list[tuple[np.ndarray, np.ndarray]],
    columns: tuple[str, ...],
) -> list[dict[str, Any]]:
    """Cross-validated AUC of each column alone, highest first (at most ``TOP_FEATURES``).

    Args:
        codes: ``(n, k)`` integer codes of the stacked real and synthetic rows.
        cardinality: Code count per column.
        y: 1 for synthetic rows, 0 for real rows.
        folds: ``(train, test)`` index pairs.
        columns: Column names of ``codes``.

    Returns:
        ``[{"column": name, "auc": value}, ...]``.
    """
    aucs = np.zeros(codes.shape[1])
    used = 0
    for train, test in folds:
        if len(np.unique(y[train])) < 2 or len(np.unique(y[test])) < 2:
            continue  # as the classifier: a fold needs both kinds of rows
        used += 1
        for j in range(codes.shape[1]):
            card = int(cardinality[j])
            synth = np.bincount(codes[train, j], weights=y[train], minlength=card)
            total = np.bincount(codes[train, j], minlength=card)
            rate = (synth + 0.5) / (total + 1.0)  # smoothed share of synthetic rows per code
            aucs[j] += roc_auc_score(y[test], rate[codes[test, j]])
    aucs /= max(used, 1)
    order = np.argsort(-aucs, kind="stable")[:TOP_FEATURES]
    return [{"column": columns[j], "auc": jsonable(aucs[j], 4)} for j in order]


def permutation_top_features(
    model: Any, x: pd.DataFrame, y: np.ndarray, seed: int, repeats: int = 2
) -> list[dict[str, Any]]:
    """The columns whose shuffling lowers the held-out AUC most, largest drop first.

    Args:
        model: A fitted classifier with ``predict_proba``.
        x: Held-out rows (the fold the model did not see); at most ``PERMUTATION_ROWS`` of them,
            chosen at random, are used.
        y: 1 for synthetic rows, 0 for real rows.
        seed: Seed of the shuffles.
        repeats: Shuffles per column, averaged.

    Returns:
        ``[{"column": name, "auc_drop": value}, ...]``, at most ``TOP_FEATURES``.
    """
    if len(x) > PERMUTATION_ROWS:
        keep = np.sort(np.random.default_rng(seed).choice(len(x), PERMUTATION_ROWS, replace=False))
        x, y = x.iloc[keep], y[keep]
    if len(np.unique(y)) < 2:
        return []
    result = fast_permutation_importance(
        model, x, y, scoring="roc_auc", n_repeats=repeats, random_state=seed
    )
    drops = result.importances_mean
    order = np.argsort(-drops, kind="stable")[:TOP_FEATURES]
    return [{"column": str(x.columns[j]), "auc_drop": jsonable(drops[j], 4)} for j in order]


def _design(frame: pd.DataFrame, numerical: tuple[str, ...]) -> np.ndarray:
    """One-hot (top categories) and numbers, every column standardised, missing as 0."""
    parts = []
    for col in frame.columns:
        s = frame[col]
        if col in numerical:
            parts.append(as_float(s)[:, None])
            continue
        top = s.value_counts().index[:PCA_TOP_CATEGORIES]
        parts.append((s.to_numpy()[:, None] == top.to_numpy()[None, :]).astype("float64"))
    if not parts:
        return np.zeros((len(frame), 0))
    x = np.hstack(parts)
    sd = np.nanstd(x, axis=0)
    x = x[:, sd > 0]
    x = (x - np.nanmean(x, axis=0)) / np.nanstd(x, axis=0)
    return np.nan_to_num(x, nan=0.0)


def pca_projection(
    real: pd.DataFrame, synthetic: pd.DataFrame, numerical: tuple[str, ...]
) -> dict[str, Any]:
    """2-D PCA of up to ``PCA_ROWS`` real and synthetic rows (one-hot + standardised).

    The projection is fitted on both samples together; signs are fixed so that the largest
    loading of each axis is positive, which makes it deterministic.

    Returns:
        ``{"real": [[x, y], ...], "synthetic": [[x, y], ...], "explained_variance": [a, b]}``.
    """
    r, s = real.iloc[:PCA_ROWS], synthetic.iloc[:PCA_ROWS]
    x = _design(pd.concat([r, s], ignore_index=True), numerical)
    if x.shape[1] == 0 or len(x) < 2:
        points = np.zeros((len(x), 2))
        explained = [0.0, 0.0]
    else:
        x = x - x.mean(axis=0)
        _, sv, vt = np.linalg.svd(x, full_matrices=False)
        vt = vt[:2]
        signs = np.sign(vt[np.arange(len(vt)), np.argmax(np.abs(vt), axis=1)])
        vt = vt * signs[:, None]
        points = x @ vt.T
        if points.shape[1] < 2:
            points = np.hstack([points, np.zeros((len(points), 1))])
        var = sv**2
        explained = list(var[:2] / var.sum()) + [0.0] * max(0, 2 - len(var))
    pts = np.round(points, 3).tolist()
    return {
        "real": pts[: len(r)],
        "synthetic": pts[len(r) :],
        "explained_variance": [jsonable(v, 4) for v in explained],
    }
