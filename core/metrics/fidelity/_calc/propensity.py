"""Propensity mean squared error (pMSE) of a logistic model, with its null expectation.

Snoke, Raab, Nowok, Dibben & Slavkovic (2018), "General and specific utility measures for
synthetic data", JRSS A 181(3): stack the real rows (label 0) and the synthetic rows (label 1),
fit a logistic regression, and take the mean squared distance of its fitted propensities from
the synthetic share ``c``, over all ``N`` rows, in sample::

    pMSE = mean_i (p_i - c)^2

If the synthetic rows were drawn from a correct model fitted to the real rows, the expected
pMSE of a logistic model with ``k`` parameters (intercept included) is
``(k - 1)(1 - c)^2 c / N``. The ratio pMSE / that is synthpop's standardised ``S_pMSE``
(``utility.gen``, ``utilR``): about 1 for such a synthesis, about ``1 / (1 - c)`` (2 with equal
sizes) for a fresh real sample of the same population (two independent samples differ twice as
much; synthpop halves its permutation null for that reason), 0 for an identical copy (the
propensities are all exactly ``c``), and far above for rows a linear model tells apart.

The model, as synthpop's default ``maxorder = 1``: main effects and every two-way interaction.
Each column is first coded into at most ``LEVELS`` levels (numbers and dates: the real rows'
quartiles, plus missing; categories: the real rows' four most frequent values, plus "other"),
with its most frequent real level as the reference, so ``k`` stays near a thousand on Adult;
more than ``MAX_PAIRS`` column pairs are sampled with the seed. ``k - 1`` is the rank of the
design, so aliased terms (``education`` against ``education-num``) count once.

The other references: SDNist (``sdnist/metrics/propensity.py``) fits a depth-5 decision tree
and SynthEval (``metrics/utility/metric_propensity_mse.py``) a main-effects logistic regression
scored by cross-validation against 0.5; neither gives a null expectation, and a main-effects
model cannot see a copy whose columns were shuffled independently.
"""

from __future__ import annotations

import itertools
import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd
import scipy.sparse as sp
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression
from threadpoolctl import threadpool_limits

from core.metrics.fidelity._calc.encoding import as_float, bin_codes, quantile_edges

LEVELS = 5  # per column: 4 quartile bins + missing, or the 4 most frequent categories + other
NUMBER_BINS = 4
MAX_PAIRS = 120
# Inverse L2 strength: the fit is an (almost) unpenalised maximum-likelihood fit, as the null
# expectation assumes; the penalty only keeps cells seen on one side alone finite.
INVERSE_PENALTY = 1e4
MAX_ITER = 1000


@dataclass(frozen=True)
class Propensity:
    """The pMSE of one pair of tables and what it is compared with.

    Attributes:
        pmse: Mean squared distance of the fitted propensities from ``c``.
        null_pmse: Its expectation under a correct synthesis, ``(k - 1)(1 - c)^2 c / N``.
        ratio: ``pmse / null_pmse`` (synthpop's S_pMSE).
        z: ``(ratio - 1) * sqrt((k - 1) / 2)``, synthpop's standardised ``utilStd``.
        parameters: ``k - 1``, the rank of the design without the intercept.
        rows: ``N``, both tables together.
        share: ``c``, the share of rows of the second table.
        converged: Whether the optimiser converged within ``MAX_ITER`` iterations.
        histogram: Propensities of each table's rows in 10 bins over [0, 1].
    """

    pmse: float
    null_pmse: float
    ratio: float
    z: float
    parameters: int
    rows: int
    share: float
    converged: bool
    histogram: dict[str, list[int]]


def level_codes(columns: list[tuple[str, pd.Series, pd.Series]]) -> np.ndarray:
    """Every column as level codes ``0 .. LEVELS - 1``, levels fitted on the first table.

    Args:
        columns: ``(kind, first, second)`` per column; kind ``"number"`` or ``"category"``.

    Returns:
        ``(len(first) + len(second), n_columns)`` int64 codes, the first table's rows first.

    Example: numbers ``[1, 2, 3, 4, 5]`` -> quartile edges ``[2, 3, 4]`` -> codes
    ``[0, 1, 2, 3, 3]``, and a missing number gets code 4.
    """
    out = []
    for kind, a, b in columns:
        if kind == "number":
            va, vb = as_float(a), as_float(b)
            edges = quantile_edges(va, NUMBER_BINS)
            out.append(np.concatenate([bin_codes(va, edges), bin_codes(vb, edges)]))
            continue
        top = a.value_counts(dropna=False).index[: LEVELS - 1]
        both = pd.concat([a, b], ignore_index=True)
        code = np.full(len(both), LEVELS - 1, dtype="int64")
        for i, t in enumerate(top):
            code[(both.isna() if pd.isna(t) else both == t).to_numpy()] = i
        out.append(code)
    return np.column_stack(out) if out else np.zeros((0, 0), dtype="int64")


def design(codes: np.ndarray, n_first: int, pairs: list[tuple[int, int]]) -> sp.csr_matrix:
    """Dummies of every non-reference level and of every pair's level combinations.

    The reference level of a column is its most frequent level in the first ``n_first`` rows.
    Columns that are zero on every row are dropped.
    """
    n, width = codes.shape
    dummy = np.empty_like(codes)
    size = np.zeros(width, dtype="int64")
    for j in range(width):
        ref = np.bincount(codes[:n_first, j], minlength=1).argmax()
        d = codes[:, j] - (codes[:, j] > ref)  # levels above the reference move down one
        dummy[:, j] = np.where(codes[:, j] == ref, -1, d)
        size[j] = max(int(codes[:, j].max()), 0)
    rows, cols, offset = [], [], 0
    for j in range(width):
        hit = dummy[:, j] >= 0
        rows.append(np.flatnonzero(hit))
        cols.append(offset + dummy[hit, j])
        offset += int(size[j])
    for a, b in pairs:
        hit = (dummy[:, a] >= 0) & (dummy[:, b] >= 0)
        rows.append(np.flatnonzero(hit))
        cols.append(offset + dummy[hit, a] * size[b] + dummy[hit, b])
        offset += int(size[a] * size[b])
    r = np.concatenate(rows) if rows else np.zeros(0, "int64")
    c = np.concatenate(cols) if cols else np.zeros(0, "int64")
    used, c = np.unique(c, return_inverse=True)
    return sp.csr_matrix((np.ones(len(r)), (r, c)), shape=(n, len(used)))


def choose_pairs(width: int, seed: int) -> list[tuple[int, int]]:
    """Every column pair, or ``MAX_PAIRS`` of them chosen with ``seed`` when there are more."""
    pairs = list(itertools.combinations(range(width), 2))
    if len(pairs) <= MAX_PAIRS:
        return pairs
    pick = np.random.default_rng(seed).choice(len(pairs), size=MAX_PAIRS, replace=False)
    return [pairs[i] for i in np.sort(pick)]


def design_rank(x: sp.csr_matrix) -> int:
    """Rank of the design without the intercept: the rank of ``[1, x]`` minus one."""
    ones = np.ones((x.shape[0], 1))
    full = sp.hstack([sp.csr_matrix(ones), x]).tocsc()
    gram = (full.T @ full).toarray()
    return int(np.linalg.matrix_rank(gram, hermitian=True)) - 1


def propensity_mse(x: sp.csr_matrix, y: np.ndarray, seed: int) -> Propensity:
    """Fit the logistic model on ``x`` (y = 1 for the second table) and score it in sample.

    Args:
        x: The design (:func:`design`), one row per row of both tables.
        y: 0 for the first table's rows, 1 for the second's.
        seed: Seed of the solver (lbfgs is deterministic; kept for completeness).

    Returns:
        :class:`Propensity`.
    """
    n = len(y)
    c = float(y.mean())
    k1 = design_rank(x) if x.shape[1] else 0
    if k1 == 0:
        p = np.full(n, c)
        converged = True
    else:
        model = LogisticRegression(C=INVERSE_PENALTY, max_iter=MAX_ITER, random_state=seed)
        with threadpool_limits(limits=1), warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            model.fit(x, y)
        p = model.predict_proba(x)[:, 1]
        converged = int(np.max(model.n_iter_)) < MAX_ITER
    pmse = float(np.mean((p - c) ** 2))
    null = k1 * (1 - c) ** 2 * c / n
    ratio = pmse / null if null > 0 else float("nan")
    edges = np.linspace(0, 1, 11)
    hist = {
        "real": np.histogram(p[y == 0], edges)[0].tolist(),
        "synthetic": np.histogram(p[y == 1], edges)[0].tolist(),
    }
    z = (ratio - 1) * np.sqrt(k1 / 2) if null > 0 else float("nan")
    return Propensity(pmse, null, ratio, float(z), k1, n, c, converged, hist)
