"""Detection: can a classifier tell real training rows from synthetic rows?"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.metrics import roc_auc_score
from threadpoolctl import threadpool_limits

from core.metrics.context import EvalContext
from core.metrics.fidelity._calc.detection_details import (
    PCA_ROWS,
    pca_projection,
    permutation_top_features,
    single_column_auc,
)
from core.metrics.fidelity._calc.encoding import as_float, codes
from core.metrics.fidelity._calc.rows import has_holdout, jsonable_list
from core.metrics.metric import Goal, Metric
from core.metrics.value import MetricValue

MAX_CATEGORIES = 254  # HistGradientBoosting allows max_bins (255) categories per feature
OTHER_CATEGORY = "(other)"
# The classifier's leaves need 20 rows (HistGradientBoosting's min_samples_leaf): with fewer rows
# it cannot split at all and would report AUC 0.5, "indistinguishable", without having looked.
MIN_ROWS_PER_SIDE = 50


def _features(ctx: EvalContext, frames: list[pd.DataFrame]) -> list[pd.DataFrame]:
    """Numbers as float, categories as a pandas ``category`` dtype shared by all frames.

    Categories beyond the ``MAX_CATEGORIES`` most frequent real ones, and values the real rows
    never show, become one ``"(other)"`` category (a synthetic-only value still gives rows away).
    """
    out: list[dict[str, Any]] = [{} for _ in frames]
    for col in ctx.columns:
        if col in ctx.numerical:
            for i, f in enumerate(frames):
                out[i][col] = as_float(f[col])
            continue
        keep = ctx.real[col].value_counts().index[:MAX_CATEGORIES].tolist()
        dtype = pd.CategoricalDtype(keep + [OTHER_CATEGORY])
        for i, f in enumerate(frames):
            s = f[col]
            s = s.where(s.isin(keep) | s.isna(), OTHER_CATEGORY)
            out[i][col] = pd.Series(s.to_numpy(), dtype=dtype)
    return [pd.DataFrame(o, columns=list(ctx.columns)) for o in out]


def cross_validated_auc(
    x: pd.DataFrame, y: np.ndarray, folds: list[tuple[np.ndarray, np.ndarray]], seed: int,
    explain: bool = True,
) -> tuple[list[float], list[dict[str, Any]]]:
    """ROC AUC of a HistGradientBoostingClassifier on each held-out fold.

    A fold whose training or test part lacks one of the two classes is skipped.

    Returns:
        ``(aucs, top_features)``: the AUC of each used fold, and the columns the first used
        fold's model relies on most (permutation importance on its held-out fold; ``[]``
        without ``explain``, which spares the baseline 31 predictions nobody reads).
    """
    aucs: list[float] = []
    top: list[dict[str, Any]] = []
    # One OpenMP thread: on a shared 2-core machine two spinning threads ran 15x slower (21 s
    # instead of 1.4 s for Adult) whenever another process was busy.
    with threadpool_limits(limits=1, user_api="openmp"):
        for train, test in folds:
            if len(np.unique(y[train])) < 2 or len(np.unique(y[test])) < 2:
                continue
            model = HistGradientBoostingClassifier(
                categorical_features="from_dtype", random_state=seed
            )
            model.fit(x.iloc[train], y[train])
            aucs.append(float(roc_auc_score(y[test], model.predict_proba(x.iloc[test])[:, 1])))
            if explain and not top:
                top = permutation_top_features(model, x.iloc[test], y[test], seed)
    return aucs, top


def grouped_folds(x: pd.DataFrame, k: int, seed: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """``k`` random folds that keep identical rows together.

    A synthetic row identical to a real row cannot be told apart from it. If the two copies fell
    in different folds, the classifier would learn the training copy's label and score the test
    copy the wrong way round, pushing the AUC far BELOW 0.5 (an identical copy scored about 0.17
    on 300 rows). Keeping them in one fold makes them a tie, as they should be.
    """
    groups = pd.factorize(pd.util.hash_pandas_object(x, index=False))[0]
    n_groups = int(groups.max()) + 1 if len(groups) else 0
    fold_of_group = np.random.default_rng(seed).permutation(n_groups) % k
    fold = fold_of_group[groups]
    return [(np.flatnonzero(fold != i), np.flatnonzero(fold == i)) for i in range(k)]


class Detection(Metric):
    """Cross-validated ROC AUC of a classifier telling real training rows from synthetic rows.

    AUC 0.5 means the rows are indistinguishable (score 1.0); 1.0 means every synthetic row is
    spotted (score 0.0). Baseline: the same AUC for training vs holdout rows (equal sizes).
    Details: the 10 columns that give the synthetic rows away (``top_features``: permutation
    importance on the first held-out fold; ``column_auc``: cross-validated AUC of each column
    alone, see ``detection_details``) and a 2-D PCA projection of 500 real and 500 synthetic rows.
    """

    key = "fidelity.detection"
    name = "Detection (real vs synthetic classifier)"
    description = (
        "ROC AUC of a classifier trained to tell real rows from synthetic rows; "
        "0.5 means it cannot tell them apart (best), 1.0 means it always can."
    )
    goal = Goal.MINIMIZE
    min_value = 0.5
    max_value = 1.0
    baseline_is_noise_floor = True  # baseline: the holdout's value of the same quantity
    shared_inputs = "detection"  # its own samples and classifiers: a task of its own

    def compute(self, ctx: EvalContext) -> list[MetricValue]:
        """Cross-validated detection AUC with its training-vs-holdout baseline."""
        cfg = ctx.config
        need = max(MIN_ROWS_PER_SIDE, 2 * cfg.cv_folds)
        if len(ctx.columns) == 0:
            return [self.not_computed("there are no columns to compare")]
        if min(len(ctx.real), len(ctx.synthetic)) < need:
            reason = (
                f"too few rows to train the classifier (it needs {need} real and {need} synthetic)"
            )
            return [self.not_computed(reason)]
        real = ctx.sample(ctx.real, cfg.max_rows_detection, salt=11, table="training")
        synth = ctx.sample(ctx.synthetic, cfg.max_rows_detection, salt=12, table="synthetic")
        xr, xs = _features(ctx, [real, synth])
        x = pd.concat([xr, xs], ignore_index=True)
        y = np.r_[np.zeros(len(real)), np.ones(len(synth))]
        folds = grouped_folds(x, cfg.cv_folds, cfg.seed)
        aucs, top = cross_validated_auc(x, y, folds, cfg.seed)
        if not aucs:
            return [self.not_computed("no cross-validation fold held both real and synthetic rows")]

        enc = codes(ctx)
        stacked = np.concatenate(
            [enc.real[real.index.to_numpy()], enc.synthetic[synth.index.to_numpy()]]
        )
        details: dict[str, Any] = {
            "classifier": "HistGradientBoostingClassifier (native categorical support)",
            "fold_auc": jsonable_list(aucs, 4),
            "rows_per_side": {"real": len(real), "synthetic": len(synth)},
            "top_features": top,
            "top_features_method": "drop in held-out AUC when the column is shuffled "
            "(permutation importance, first fold)",
            "column_auc": single_column_auc(stacked, enc.cardinality, y, folds, enc.columns),
            "column_auc_method": "cross-validated AUC of each column alone (its marginal)",
            "pca": pca_projection(
                ctx.sample(real, PCA_ROWS, salt=15, table="training"),
                ctx.sample(synth, PCA_ROWS, salt=16, table="synthetic"),
                tuple(ctx.numerical),
            ),
        }
        baseline, base_n = self._baseline(ctx)
        details["baseline_rows_per_side"] = base_n
        return [
            self.value(
                float(np.mean(aucs)), baseline=baseline, n=len(real) + len(synth), details=details
            )
        ]

    def _baseline(self, ctx: EvalContext) -> tuple[float | None, int]:
        """AUC of the same classifier telling training rows from holdout rows (equal sizes)."""
        cfg = ctx.config
        n = min(cfg.max_rows_detection, len(ctx.real), len(ctx.holdout))
        if not has_holdout(ctx) or n < max(MIN_ROWS_PER_SIDE, 2 * cfg.cv_folds):
            return None, n
        real = ctx.sample(ctx.real, n, salt=13, table="training")
        hold = ctx.sample(ctx.holdout, n, salt=14, table="holdout")
        xr, xh = _features(ctx, [real, hold])
        y = np.r_[np.zeros(n), np.ones(n)]
        x = pd.concat([xr, xh], ignore_index=True)
        aucs, _ = cross_validated_auc(x, y, grouped_folds(x, cfg.cv_folds, cfg.seed), cfg.seed,
                                      explain=False)
        return (float(np.mean(aucs)) if aucs else None), n
