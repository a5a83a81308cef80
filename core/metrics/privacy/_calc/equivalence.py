"""Equivalence classes over the quasi-identifiers, and the secrets read inside them.

An *equivalence class* is the set of rows that share one combination of quasi-identifier values
(Sweeney 2002). Values are grouped **exactly**, as stored: a numerical quasi-identifier such as
``age`` gives one class per age, dates one per date, and a missing value is a value of its own
(missing matches missing, as in :mod:`core.metrics.privacy.unique_qi`). Nothing is generalised
(no age bands, no clustering): the figures are what an attacker who knows the exact values
sees. A quasi-identifier with many distinct numbers (an income) then makes nearly every row a
class of one, which is the honest answer for that attacker; the metrics list each numerical
quasi-identifier's distinct count so a reader can see why.

A *secret* is a protected attribute or the target. Categories are read as they are (missing is a
value of its own); numbers and dates are cut into ``bins`` equal-width bins over the training
rows' range, the outer bins open-ended, exactly as SDMetrics' ``DisclosureProtection`` cuts its
``continuous_column_names`` (``_discretize_column``: ``pd.cut`` with ``num_discrete_bins``).

Example: quasi-identifiers ``(age, sex)`` over rows ``(30, F), (30, F), (41, NaN)`` give two
classes of sizes 2 and 1, so k = 1.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from core.metrics.context import TABLE_WORDS, EvalContext

MSG_NO_QI = "no quasi-identifiers are set (choose them on the Data page)"
MSG_NO_SECRETS = "no protected attribute or target is set to read as the secret"
MSG_SECRET_ONLY_QI = (
    "'{secret}' is the only quasi-identifier, so no other column groups the rows; add more "
    "quasi-identifiers on the Data page"
)
K_THRESHOLDS = (2, 5, 10)  # "share of rows in classes smaller than k" for these common k
L_THRESHOLDS = (2, 3)
# Seeds of the samples drawn above ``max_rows`` (the same for k, l and CAP: the same rows).
SALT = {"real": 301, "holdout": 302, "synthetic": 303}


def quasi_identifiers(ctx: EvalContext) -> list[str]:
    """The schema's quasi-identifiers that are synthesised, in schema order."""
    return [q for q in ctx.schema.quasi_identifiers if q in ctx.columns]


def secrets(ctx: EvalContext) -> list[str]:
    """Protected attributes, then the target, that are synthesised (each once)."""
    out = [p for p in ctx.schema.protected if p in ctx.columns]
    if ctx.schema.target in ctx.columns and ctx.schema.target not in out:
        out.append(ctx.schema.target)
    return out


MSG_NO_ROWS = "there are no synthetic or no training rows"


def missing_inputs(ctx: EvalContext, needs_secrets: bool = True) -> str | None:
    """Why a quasi-identifier metric cannot be computed on ``ctx`` (None: it can)."""
    if not quasi_identifiers(ctx):
        return MSG_NO_QI
    if needs_secrets and not secrets(ctx):
        return MSG_NO_SECRETS
    if len(ctx.synthetic) == 0 or len(ctx.real) == 0:
        return MSG_NO_ROWS
    return None


def known_for(qis: Sequence[str], secret: str) -> list[str]:
    """The quasi-identifiers an attacker knows when guessing ``secret``: all but the secret.

    A protected attribute may be a quasi-identifier too (Adult's sex, race and age): the
    question for it is whether the *other* quasi-identifiers give it away.
    """
    return [q for q in qis if q != secret]


def sampled(ctx: EvalContext, side: str) -> pd.DataFrame:
    """One side's rows (``real``, ``holdout``, ``synthetic``), at most ``max_rows`` of them."""
    return ctx.sample(getattr(ctx, side), ctx.config.max_rows, salt=SALT[side],
                      table=TABLE_WORDS[side])


def sampling_details(frames: dict[str, pd.DataFrame], ctx: EvalContext) -> dict[str, object]:
    """``{"rows": {side: used}, "sampled": bool}``: what was computed on, for the report."""
    used = {side: len(df) for side, df in frames.items()}
    full = {side: len(getattr(ctx, side)) for side in frames}
    return {"rows": used, "sampled": used != full, "max_rows": ctx.config.max_rows}


def numeric_distinct(ctx: EvalContext, columns: Sequence[str]) -> dict[str, int]:
    """Distinct training values of each numerical or date column among ``columns``."""
    return {c: int(ctx.real[c].nunique()) for c in columns if c in ctx.numerical}


def class_codes(frames: Sequence[pd.DataFrame], columns: Sequence[str]) -> list[np.ndarray]:
    """The equivalence class of every row of each frame, numbered the same across frames.

    Example: columns ``[sex]``; frames ``[F, M]`` and ``[M, NaN]`` -> ``[0, 1]`` and ``[1, 2]``.
    """
    cols = list(columns)
    stacked = pd.concat([f[cols] for f in frames], ignore_index=True)
    if len(stacked) == 0:
        return [np.zeros(0, dtype=np.int64) for _ in frames]
    codes = stacked.groupby(cols, dropna=False, sort=False).ngroup().to_numpy(dtype=np.int64)
    return np.split(codes, np.cumsum([len(f) for f in frames])[:-1])


def _as_numbers(s: pd.Series) -> np.ndarray:
    if pd.api.types.is_datetime64_any_dtype(s):
        return s.astype("int64").astype("float64").where(s.notna()).to_numpy()
    return pd.to_numeric(s, errors="coerce").to_numpy(dtype="float64")


def secret_codes(
    frames: Sequence[pd.DataFrame], column: str, numeric: bool, bins: int
) -> list[np.ndarray]:
    """The secret's value of every row, numbered the same across frames (frame 0 = training).

    Numbers and dates are first cut into ``bins`` equal-width bins over frame 0's range, the
    outer edges then opened to ±infinity (SDMetrics ``DisclosureProtection._discretize_column``).
    Missing is a value of its own.

    Example: categories ``[a, NaN]`` and ``[b, a]`` -> ``[0, 1]`` and ``[2, 0]``.
    """
    series = [f[column].reset_index(drop=True) for f in frames]
    if numeric:
        values = [_as_numbers(s) for s in series]
        known = values[0][~np.isnan(values[0])]
        if len(known) == 0:
            series = [pd.Series(np.where(np.isnan(v), np.nan, 0.0)) for v in values]
        else:
            _, edges = pd.cut(known, bins, retbins=True)
            edges[0], edges[-1] = -np.inf, np.inf
            series = [pd.Series(pd.cut(v, edges, labels=False)) for v in values]
    stacked = pd.concat(series, ignore_index=True)
    codes, _ = pd.factorize(stacked, use_na_sentinel=False)
    return np.split(codes.astype(np.int64), np.cumsum([len(s) for s in series])[:-1])


SCORE_BASIS = "synthetic {m} / training {m}, capped at 1"


def relative_score(synthetic: float, training: float) -> float:
    """The score of k or l: the synthetic table's figure over the training table's, at most 1.

    As for DCR and NNDR, the real rows set the scale: 1.0 means the synthetic table is at least
    as anonymous as the rows it was learnt from (k = 1 in both scores 1.0, not 0), while a copy
    with k = 1 of a training table with k = 5 scores 0.2. Example: ``(2, 4)`` -> 0.5.
    """
    return min(synthetic / training, 1.0)


@dataclass(frozen=True)
class Anonymity:
    """k-anonymity of one table.

    Attributes:
        k: The smallest equivalence-class size (1: some row is unique on its quasi-identifiers).
        classes: Number of equivalence classes.
        rows: Rows of the table.
        below: ``{t: share of rows in a class of fewer than t rows}`` for each ``K_THRESHOLDS``.
    """

    k: int
    classes: int
    rows: int
    below: dict[int, float]


def anonymity(codes: np.ndarray) -> Anonymity:
    """k-anonymity of the rows whose equivalence classes are ``codes`` (non-empty).

    Example: codes ``[0, 0, 0, 1]`` -> k 1, 2 classes, share below 2: 0.25, below 5: 1.0.
    """
    counts = np.bincount(codes)
    sizes = counts[codes]
    return Anonymity(
        k=int(sizes.min()), classes=int((counts > 0).sum()), rows=len(codes),
        below={t: float((sizes < t).mean()) for t in K_THRESHOLDS},
    )


@dataclass(frozen=True)
class Diversity:
    """Distinct l-diversity of one secret in one table.

    Attributes:
        l: The smallest number of distinct secret values in an equivalence class.
        classes: Number of equivalence classes.
        below: ``{t: share of rows in a class with fewer than t distinct secret values}``.
        homogeneous_shared: Of the rows in classes of two or more rows, the share in a class
            where everyone has the same secret value (the homogeneity attack: finding the class
            is enough to learn the secret). None when every class is a single row.
    """

    l: int  # noqa: E741 - the name of the measure
    classes: int
    below: dict[int, float]
    homogeneous_shared: float | None


def diversity(classes: np.ndarray, secret: np.ndarray) -> Diversity:
    """Distinct l-diversity of ``secret`` within the equivalence classes ``classes`` (non-empty).

    Example: classes ``[0, 0, 1, 1]``, secret ``[a, b, a, a]`` -> l 1 (class 1 holds only a);
    share below 2: 0.5; homogeneous among shared classes: 0.5.
    """
    width = int(secret.max()) + 1
    pairs = np.unique(classes * width + secret)
    distinct = np.bincount(pairs // width, minlength=int(classes.max()) + 1)
    per_row = distinct[classes]
    sizes = np.bincount(classes)[classes]
    shared = sizes >= 2
    return Diversity(
        l=int(per_row.min()), classes=int((np.bincount(classes) > 0).sum()),
        below={t: float((per_row < t).mean()) for t in L_THRESHOLDS},
        homogeneous_shared=float((per_row[shared] == 1).mean()) if shared.any() else None,
    )
