"""The two models behind machine-learning utility: train on synthetic (TSTR) and on real (TRTR).

Both are scikit-learn ``HistGradientBoosting`` models with native categorical support, the same
settings and seed, tested on the real holdout rows that neither saw. The fitted models and their
holdout predictions are cached in the context, so the fairness metrics reuse them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from sklearn.ensemble import HistGradientBoostingClassifier, HistGradientBoostingRegressor
from threadpoolctl import threadpool_limits

from core.metrics.context import EvalContext
from core.metrics.utility._calc.task import (
    CLASSIFICATION,
    TargetTask,
    target_task,
    target_values,
)

# HistGradientBoosting accepts at most ``max_bins`` (255) categories per feature; rarer ones
# become missing values.
MAX_CATEGORIES = 255
# OpenMP threads for fitting and predicting. One: on a busy 2-core machine (several sessions,
# other metrics) more threads spin-wait, and permutation importance took 25 s instead of 1.3 s.
THREADS = 1

MSG_NO_FEATURES = (
    "There is no column besides the target '{target}' to predict it from. "
    "Synthesise at least one more column."
)
MSG_ONE_CLASS = (
    "The {table} has only one value of '{target}' ('{value}'), so no classifier can be "
    "trained on it."
)
MSG_NO_ROWS = (
    "The {table} has no row with a value of '{target}', so no model can be trained or tested "
    "on it."
)
MSG_TOO_FEW_ROWS = (
    "The {table} has {n} row(s) with a value of '{target}'; a model needs at least 2."
)


@dataclass(frozen=True)
class Unavailable:
    """Why the models (or a quantity built on them) cannot be computed."""

    reason: str


@dataclass(frozen=True)
class FittedModel:
    """One fitted model and what it predicts for the holdout rows.

    Attributes:
        model: The fitted scikit-learn estimator.
        n_train: Rows it was trained on.
        predictions: Predicted label (classification, str) or value (regression) per holdout row.
        proba: Class probabilities per holdout row, columns in ``classes`` order (None for
            regression).
        classes: The classes the model knows, in ``proba`` column order.
    """

    model: Any
    n_train: int
    predictions: np.ndarray
    proba: np.ndarray | None
    classes: tuple[str, ...]

    def proba_of(self, label: str) -> np.ndarray:
        """Probability of ``label`` per holdout row (0 where the model never saw the label)."""
        if self.proba is None or label not in self.classes:
            return np.zeros(len(self.predictions))
        return self.proba[:, self.classes.index(label)]


@dataclass(frozen=True)
class UtilityModels:
    """The TSTR and TRTR models and the holdout rows they are tested on.

    Attributes:
        task: The prediction task.
        features: The columns used as features.
        X_holdout: Encoded holdout features (rows with a target value, at most ``max_rows``).
        y_holdout: Holdout target (str labels or float values), aligned with ``X_holdout``.
        holdout_rows: Positions of those rows in ``ctx.holdout`` (to look up protected groups).
        tstr: The model trained on the synthetic rows.
        trtr: The model trained on the real training rows.
    """

    task: TargetTask
    features: tuple[str, ...]
    X_holdout: pd.DataFrame
    y_holdout: np.ndarray
    holdout_rows: np.ndarray
    tstr: FittedModel
    trtr: FittedModel


def _encode(ctx: EvalContext, df: pd.DataFrame, features: tuple[str, ...]) -> pd.DataFrame:
    """Features as HistGradientBoosting wants them.

    Categories as pandas ``category``, dates as int64 nanoseconds (float, NaN for missing),
    numbers unchanged.
    """
    out: dict[str, pd.Series] = {}
    for col in features:
        s = df[col]
        if col in ctx.categorical:
            # The same categories for every table: the most frequent real ones (others -> NaN).
            def categories(col: str = col) -> pd.CategoricalDtype:
                counts = ctx.real[col].value_counts().sort_index()
                top = counts.sort_values(ascending=False, kind="stable").index[:MAX_CATEGORIES]
                return pd.CategoricalDtype(sorted(top))

            out[col] = s.astype(ctx.cached(f"utility:categories:{col}", categories))
        elif pd.api.types.is_datetime64_any_dtype(s):
            ns = s.to_numpy(dtype="datetime64[ns]").astype("int64").astype("float64")
            out[col] = pd.Series(np.where(s.isna(), np.nan, ns), index=s.index)
        else:
            out[col] = s.astype("float64")
    return pd.DataFrame(out, index=df.index)


def _labelled(ctx: EvalContext, df: pd.DataFrame, target: str, salt: int, table: str
              ) -> pd.DataFrame:
    """Rows with a target value, at most ``config.max_rows`` of them (of ``table``'s)."""
    return ctx.sample(df[df[target].notna()], ctx.config.max_rows, salt, table=table)


def _check_training(task: TargetTask, df: pd.DataFrame, table: str) -> str | None:
    y = target_values(task, df[task.target])
    if task.kind == CLASSIFICATION:
        values = sorted(y.unique())
        if len(values) == 0:
            return MSG_NO_ROWS.format(table=table, target=task.target)
        if len(values) == 1:
            return MSG_ONE_CLASS.format(table=table, target=task.target, value=values[0])
    elif len(y) < 2:
        return MSG_TOO_FEW_ROWS.format(table=table, n=len(y), target=task.target)
    return None


def _fit(
    ctx: EvalContext, task: TargetTask, X: pd.DataFrame, y: pd.Series, X_test: pd.DataFrame
) -> FittedModel:
    with threadpool_limits(limits=THREADS, user_api="openmp"):
        return _fit_predict(ctx, task, X, y, X_test)


def _fit_predict(
    ctx: EvalContext, task: TargetTask, X: pd.DataFrame, y: pd.Series, X_test: pd.DataFrame
) -> FittedModel:
    seed = ctx.config.seed
    if task.kind == CLASSIFICATION:
        clf = HistGradientBoostingClassifier(categorical_features="from_dtype", random_state=seed)
        clf.fit(X, target_values(task, y).astype(str).to_numpy(dtype=object))
        return FittedModel(
            model=clf,
            n_train=len(X),
            predictions=np.asarray(clf.predict(X_test), dtype=object),
            proba=clf.predict_proba(X_test),
            classes=tuple(str(c) for c in clf.classes_),
        )
    reg = HistGradientBoostingRegressor(categorical_features="from_dtype", random_state=seed)
    reg.fit(X, y.to_numpy(dtype="float64"))
    return FittedModel(reg, len(X), reg.predict(X_test), None, ())


def fitted_models(ctx: EvalContext) -> UtilityModels | Unavailable:
    """Fit (once per evaluation) the TSTR and TRTR models and predict the holdout.

    Args:
        ctx: The evaluation context; needs a target and holdout rows.

    Returns:
        The fitted models with their holdout predictions, or :class:`Unavailable` with the
        reason (e.g. the synthetic target has a single class).
    """

    def compute() -> UtilityModels | Unavailable:
        task = target_task(ctx)
        if isinstance(task, str):
            return Unavailable(task)
        target = task.target
        features = tuple(c for c in ctx.columns if c != target)
        if not features:
            return Unavailable(MSG_NO_FEATURES.format(target=target))
        real = _labelled(ctx, ctx.real, target, 11, "training")
        synthetic = _labelled(ctx, ctx.synthetic, target, 12, "synthetic")
        holdout = _labelled(ctx, ctx.holdout, target, 13, "holdout")
        for df, table in ((real, "training data"), (synthetic, "synthetic data")):
            reason = _check_training(task, df, table)
            if reason:
                return Unavailable(reason)
        if holdout.empty:
            return Unavailable(MSG_NO_ROWS.format(table="holdout", target=target))
        X_test = _encode(ctx, holdout, features).reset_index(drop=True)
        y_test = target_values(task, holdout[target]).to_numpy(
            dtype=object if task.kind == CLASSIFICATION else "float64"
        )
        return UtilityModels(
            task=task,
            features=features,
            X_holdout=X_test,
            y_holdout=y_test,
            holdout_rows=holdout.index.to_numpy(),
            tstr=_fit(ctx, task, _encode(ctx, synthetic, features), synthetic[target], X_test),
            trtr=_fit(ctx, task, _encode(ctx, real, features), real[target], X_test),
        )

    return ctx.cached("utility:models", compute)
