"""Anonymeter 1.1.0's multivariate singling-out attack, its query search counted with NumPy.

Anonymeter builds its three-attribute queries in batches of 1,000 from random synthetic rows and
keeps those that match exactly one synthetic row, until it has ``n_attacks`` of them. It builds
every candidate as a polars expression and counts it with one polars ``select`` per batch; on
Adult (5,000 rows a side, 500 attacks) that is about 29,000 expressions and three quarters of
the attack's time. Here the candidates are plain tuples counted against the synthetic table's
columns as NumPy arrays, and only those that single out become polars expressions (through
Anonymeter's own ``_query_from_record``, so the de-duplication by the expression's text is its
own). The random draws are Anonymeter's, in its order, from a generator seeded the same way;
the attack on the training and control rows, the random-guess baseline and the results are
Anonymeter's own functions, and the correction for tables of different sizes is fitted by
Anonymeter's own model on the points it measures (see ``correction_model``). So the risk, its
interval and every count equal ``SinglingOutEvaluator(...).evaluate("multivariate")`` on the
same inputs (``tests/core/metrics/test_singling_out_search.py`` checks it on untidy tables).

Anything this does not mirror exactly falls back to Anonymeter itself: another Anonymeter
version, a column type other than string, boolean, integer or float, integers beyond 2**53, or a
column whose type differs between the three tables.
"""

from __future__ import annotations

import importlib.metadata
import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import polars as pl
from anonymeter.evaluators import singling_out_evaluator as so
from anonymeter.stats.confidence import EvaluationResults

MIRRORED_VERSION = "1.1.0"
BATCH = 1000  # Anonymeter's batch of candidate queries
CELLS_PER_CHUNK = 20_000_000  # queries × rows counted at once (20 MB of booleans)
_EXACT_INT = 2**53

Condition = tuple[str, str, Any]  # (column, "null" | "eq" | "ge" | "le", value)


@dataclass(frozen=True)
class _Column:
    kind: str  # "number" or "code"
    values: np.ndarray  # numbers (nulls filled) or codes (-1 for null)
    null: np.ndarray
    lookup: dict[Any, int]  # code columns: value -> code


class _Encoded:
    """A polars table's columns as NumPy arrays, to count queries on."""

    def __init__(self, df: pl.DataFrame) -> None:
        self.n = df.height
        self.columns: dict[str, _Column] = {}
        for name in df.columns:
            s = df[name]
            null = s.is_null().to_numpy()
            if s.dtype.is_numeric():
                values = s.fill_null(0).to_numpy()
                self.columns[name] = _Column("number", values, null, {})
            else:
                codes, uniques = pd.factorize(s.to_numpy(), use_na_sentinel=True)
                lookup = {v: i for i, v in enumerate(uniques.tolist())}
                self.columns[name] = _Column("code", codes.astype(np.int64), null, lookup)

    def counts(self, queries: Sequence[Sequence[Condition]]) -> np.ndarray:
        """How many rows each query matches (a polars comparison with a null matches nothing)."""
        out = np.zeros(len(queries), dtype=np.int64)
        step = max(1, CELLS_PER_CHUNK // max(self.n, 1))
        for start in range(0, len(queries), step):
            chunk = queries[start:start + step]
            out[start:start + len(chunk)] = self._matches(chunk).sum(axis=1)
        return out

    def _matches(self, queries: Sequence[Sequence[Condition]]) -> np.ndarray:
        mask = np.ones((len(queries), self.n), dtype=bool)
        groups: dict[tuple[str, str], tuple[list[int], list[Any]]] = defaultdict(
            lambda: ([], []))
        for qi, query in enumerate(queries):
            for col, op, val in query:  # a query names each column once
                rows, vals = groups[(col, op)]
                rows.append(qi)
                vals.append(val)
        for (col, op), (rows, vals) in groups.items():
            c = self.columns[col]
            idx = np.asarray(rows)
            if op == "null":
                mask[idx] &= c.null[None, :]
            elif op == "eq":
                codes = np.array([c.lookup.get(v, -2) for v in vals], dtype=np.int64)
                mask[idx] &= c.values[None, :] == codes[:, None]
            else:
                v = np.asarray(vals)  # ints stay int64 (exact below 2**53), else float64
                cmp = (c.values[None, :] >= v[:, None]) if op == "ge" else (
                    c.values[None, :] <= v[:, None])
                mask[idx] &= cmp & ~c.null[None, :]
        return mask


def _supported(*frames: pl.DataFrame) -> bool:
    schemas = [f.schema for f in frames]
    if any(s != schemas[0] for s in schemas[1:]):
        return False
    for name, dtype in schemas[0].items():
        if dtype == pl.String or dtype == pl.Boolean:
            continue
        if not dtype.is_numeric():
            return False
        if dtype.is_integer():
            for f in frames:
                s = f[name].drop_nulls()
                if len(s) and max(abs(int(s.min())), abs(int(s.max()))) >= _EXACT_INT:
                    return False
    return True


def _kinds(dtypes: dict[str, pl.DataType]) -> dict[str, str]:
    """Which branch of Anonymeter's ``_query_from_record`` each column takes (its dtype tests)."""
    out = {}
    for col, dtype in dtypes.items():
        if dtype == pl.Boolean or dtype == pl.Categorical:
            out[col] = "eq"
        elif dtype.is_numeric():
            out[col] = "number"
        else:
            out[col] = "text"
    return out


def _conditions(record: dict[str, Any], kinds: dict[str, str], columns: list[str],
                medians: dict[str, Any]) -> tuple[Condition, ...]:
    """The query Anonymeter's ``_query_from_record`` builds, as plain conditions."""
    out = []
    for col in sorted(columns):
        val = record[col]
        kind = kinds[col]
        if val is None or (isinstance(val, float) and math.isnan(val)):
            out.append((col, "null", None))
        elif kind == "eq":
            out.append((col, "eq", val))
        elif kind == "number":
            out.append((col, "ge" if val > medians[col] else "le", val))
        else:
            out.append((col, "eq", so._escape_quotes(val) if isinstance(val, str) else str(val)))
    return tuple(out)


def _search(syn: pl.DataFrame, n_queries: int, n_cols: int, max_attempts: int | None,
            rng: np.random.Generator) -> list[pl.Expr]:
    """Anonymeter's ``multivariate_singling_out_queries``, each batch counted with NumPy."""
    encoded = _Encoded(syn)
    found: list[pl.Expr] = []
    seen: set[str] = set()
    medians = syn.median().to_dicts()[0]
    dtypes = {col: syn[col].dtype for col in syn.columns}
    kinds = _kinds(dtypes)
    names = np.array(syn.columns)  # what ``rng.choice(df.columns)`` makes of the list each time
    batch = BATCH if max_attempts is None else min(BATCH, max_attempts)
    attempts = 0
    while len(found) < n_queries:
        if max_attempts is not None and attempts >= max_attempts:
            so.logger.warning(
                f"Reached maximum number of attempts {max_attempts} when generating singling out "
                f"queries. Returning {len(found)} instead of the requested {n_queries}.")
            return found
        rows = rng.integers(low=0, high=syn.shape[0], size=batch)
        records = syn[rows].to_dicts()
        chosen = [rng.choice(names, size=n_cols, replace=False).tolist()
                  for _ in range(batch)]
        candidates = [_conditions(r, kinds, c, medians)
                      for r, c in zip(records, chosen, strict=True)]
        counts = encoded.counts(candidates)
        for i in np.flatnonzero(counts == 1):
            query = so._query_from_record(record=records[i], dtypes=dtypes, columns=chosen[i],
                                          medians=medians, rng=rng)  # draws nothing: medians set
            text = str(query)
            if text not in seen:
                seen.add(text)
                found.append(query)
                if len(found) >= n_queries:
                    break
        attempts += batch
    return found


def correction_model(n_rows: int, n_queries: int) -> Any:
    """Anonymeter's ``fit_correction_term(control, queries)``, without its polars counts.

    Anonymeter 1.1.0 measures at 10 sizes × 5 repeats "the number of queries that single out"
    as ``len(_evaluate_queries(...))``, the length of the tuple of counts, i.e. the number of
    queries whatever the sample, then fits its model to those points. The same points give the
    same model; the test holds this against ``fit_correction_term`` itself.
    """
    sizes = np.repeat(np.linspace(min(1000, n_rows), n_rows, 10).astype(int), 5)
    return so._fit_model(sizes=sizes, successes=np.full(len(sizes), n_queries))


class SinglingOutMultivariateSearch:
    """``SinglingOutEvaluator(ori, syn, ...).evaluate("multivariate")``, the search in NumPy.

    ``results()`` is Anonymeter's ``EvaluationResults`` with the same counts.
    """

    def __init__(self, ori: pd.DataFrame, syn: pd.DataFrame, n_attacks: int, n_cols: int = 3,
                 control: pd.DataFrame | None = None, max_attempts: int | None = 10_000_000,
                 seed: int | None = None) -> None:
        self._ori = pl.DataFrame(so._safe_column_names(ori)).unique(maintain_order=True)
        self._syn = pl.DataFrame(so._safe_column_names(syn)).unique(maintain_order=True)
        self._control = None if control is None else pl.DataFrame(
            so._safe_column_names(control)).unique(maintain_order=True)
        self._n_attacks, self._n_cols, self._max_attempts = n_attacks, n_cols, max_attempts
        self._rng = np.random.default_rng(seed)
        self._n_success = self._n_baseline = 0
        self._n_control: float | None = None
        self.queries: list[pl.Expr] = []

    @staticmethod
    def mirrors(ori: pd.DataFrame, syn: pd.DataFrame, control: pd.DataFrame | None) -> bool:
        """Whether this mirrors Anonymeter exactly on these tables (else use Anonymeter)."""
        if importlib.metadata.version("anonymeter") != MIRRORED_VERSION:
            return False
        frames = [pl.DataFrame(so._safe_column_names(df)) for df in (ori, syn, control)
                  if df is not None]
        return _supported(*frames)

    def evaluate(self) -> SinglingOutMultivariateSearch:
        queries = _search(self._syn, self._n_attacks, self._n_cols, self._max_attempts, self._rng)
        if len(queries) < self._n_attacks:
            so.logger.warning(
                f"Attack `multivariate` could generate only {len(queries)} singling out queries "
                f"out of the requested {self._n_attacks}. This can probably lead to an "
                "underestimate of the singling out risk.")
        self.queries = so._evaluate_queries_and_return_successful(df=self._ori, queries=queries)
        self._n_success = len(self.queries)
        baseline = so._random_queries(df=self._syn, n_queries=self._n_attacks,
                                      n_cols=self._n_cols, rng=self._rng)
        self._n_baseline = len(so._evaluate_queries_and_return_successful(df=self._ori,
                                                                          queries=baseline))
        if self._control is not None:
            n_control: float = len(so._evaluate_queries_and_return_successful(
                df=self._control, queries=queries))
            if len(self._control) != len(self._ori):
                fitted = correction_model(len(self._control), len(queries))
                n_control *= fitted(len(self._ori)) / fitted(len(self._control))
            self._n_control = n_control
        return self

    def results(self, confidence_level: float = 0.95) -> EvaluationResults:
        return EvaluationResults(n_attacks=self._n_attacks, n_success=self._n_success,
                                 n_baseline=self._n_baseline, n_control=self._n_control,
                                 confidence_level=confidence_level)
