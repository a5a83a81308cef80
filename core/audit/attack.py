"""The attack: a classifier that reads shadow outputs and guesses whether the target was in.

For every target, features of its training shadows (half trained with the target) are
standardised by that target's own training shadows (mean and spread of each feature), so the
classifier learns one pattern for all targets ("the target's neighbourhood is denser than usual
for it") instead of each target's own scale; test shadows are standardised with the same
training statistics, never their own. One logistic regression is trained on every target's
training shadows; its decision threshold is the one with the largest TPR - FPR on
cross-validated training predictions. It is then scored on fresh test shadows, which it never
saw: the AUC, the advantage and the ε lower bound of each target and of all targets pooled
come from those alone (:mod:`core.metrics.privacy._calc.attack_bounds`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, cross_val_predict

from core.metrics.privacy._calc.attack_bounds import (
    Confusion,
    auc,
    best_threshold,
    confusion,
    epsilon_lower,
)

CLIP = 8.0  # standardised features are clipped: one odd shadow must not dominate the fit
C = 1.0  # inverse L2 strength of the logistic regression (sklearn's default)


@dataclass
class Shadows:
    """One target's shadow outputs: feature rows and whether the target was in (``member``)."""

    features: list[np.ndarray]
    member: list[bool]

    def arrays(self) -> tuple[np.ndarray, np.ndarray]:
        """``(X, y)`` as arrays."""
        return np.vstack(self.features), np.asarray(self.member, dtype=bool)


@dataclass(frozen=True)
class Scores:
    """The attack on one target's test shadows."""

    scores: np.ndarray
    member: np.ndarray
    counts: Confusion

    @property
    def auc(self) -> float:
        """ROC AUC of the scores (0.5 = guessing)."""
        return auc(self.scores, self.member)

    @property
    def epsilon_lower(self) -> float:
        """The 95% ε lower bound of the counts at the threshold."""
        return epsilon_lower(self.counts)


def _standardise(x: np.ndarray, mean: np.ndarray, sd: np.ndarray) -> np.ndarray:
    z = (x - mean) / sd
    return np.clip(np.nan_to_num(z, nan=0.0, posinf=CLIP, neginf=-CLIP), -CLIP, CLIP)


def _stats(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    mean = np.nanmean(x, axis=0)
    sd = np.nanstd(x, axis=0)
    # A feature that never varies over a target's training shadows carries no signal for it;
    # a unit spread keeps its (constant) value at 0 after centring, and a test value that
    # differs still counts.
    return mean, np.where(sd > 1e-9, sd, 1.0)


@dataclass(frozen=True)
class AttackFit:
    """The trained attack: per-target scales, the classifier and its threshold."""

    scales: list[tuple[np.ndarray, np.ndarray]]
    model: LogisticRegression | None
    threshold: float
    train_auc: float

    def score(self, target: int, shadows: Shadows) -> Scores:
        """The attack's scores and counts on one target's (test) shadows."""
        x, y = shadows.arrays()
        z = _standardise(x, *self.scales[target])
        s = self.model.predict_proba(z)[:, 1] if self.model is not None else np.full(len(y), .5)
        return Scores(s, y, confusion(s, y, self.threshold))


def train_attack(train: list[Shadows], seed: int) -> AttackFit:
    """Fit the classifier on every target's training shadows and pick its threshold.

    Args:
        train: Training shadows per target (each with members and non-members).
        seed: Seed of the cross-validation folds.

    Returns:
        The attack. Without both kinds of shadow it scores every output 0.5 and flags none.
    """
    scales, xs, ys = [], [], []
    for sh in train:
        x, y = sh.arrays()
        mean, sd = _stats(x)
        scales.append((mean, sd))
        xs.append(_standardise(x, mean, sd))
        ys.append(y)
    x, y = np.vstack(xs), np.concatenate(ys)
    if y.all() or not y.any():
        return AttackFit(scales, None, np.inf, float("nan"))
    model = LogisticRegression(C=C, max_iter=2000)
    folds = int(min(5, y.sum(), (~y).sum()))
    if folds >= 2:
        cv = StratifiedKFold(folds, shuffle=True, random_state=seed)
        oof = cross_val_predict(model, x, y, cv=cv, method="predict_proba")[:, 1]
    else:
        oof = model.fit(x, y).predict_proba(x)[:, 1]
    model.fit(x, y)
    return AttackFit(scales, model, best_threshold(oof, y), auc(oof, y))
