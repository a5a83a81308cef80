"""What a membership attack's guesses prove: rates, advantage and an ε lower bound.

An attack guesses "member" or "not a member" on trials whose truth is known (shadow generators
trained with and without a target record). From the counts at one decision threshold:

- ``tpr = tp / (tp + fn)``, ``fpr = fp / (fp + tn)``; the attack's advantage is ``tpr - fpr``
  (Yeom et al. 2018; Stadler et al. 2022 call it the MIA advantage): 0 is guessing, 1 is always
  right.
- A generator that is (ε, δ)-differentially private bounds every attack by
  ``tpr <= e^ε fpr + δ`` and ``1 - fpr <= e^ε (1 - tpr) + δ`` (Kairouz et al. 2015). With 95%
  Clopper–Pearson upper bounds on the false-positive and false-negative rates, the largest ε
  these inequalities still allow is a lower bound on the generator's ε that holds with 95%
  confidence (Jagielski et al. 2020, "Auditing differentially private machine learning";
  Stadler et al. 2022 report the same bound for synthetic data):
  ``ε_lower = max(log((1 - δ - FNR_hi) / FPR_hi), log((1 - δ - FPR_hi) / FNR_hi), 0)``.

The threshold must be chosen on other trials than the ones counted, or the bound is optimistic:
:func:`best_threshold` picks it on training trials, the counts come from fresh ones.

Example: 30 of 30 members and 0 of 30 non-members flagged -> FNR_hi = FPR_hi = 0.116 and
``epsilon_lower = log(0.884 / 0.116) = 2.03``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy.stats import beta
from sklearn.metrics import roc_auc_score, roc_curve

CONFIDENCE = 0.95


def clopper_pearson(k: int, n: int, confidence: float = CONFIDENCE) -> tuple[float, float]:
    """Exact (Clopper–Pearson) two-sided interval of a share ``k / n``.

    Example: ``clopper_pearson(0, 30)`` -> ``(0.0, 0.1157)``; ``n = 0`` -> ``(0.0, 1.0)``.
    """
    if n <= 0:
        return 0.0, 1.0
    alpha = 1.0 - confidence
    low = 0.0 if k <= 0 else float(beta.ppf(alpha / 2, k, n - k + 1))
    high = 1.0 if k >= n else float(beta.ppf(1 - alpha / 2, k + 1, n - k))
    return low, high


@dataclass(frozen=True)
class Confusion:
    """Counts of an attack's guesses at one threshold (members are the positives)."""

    tp: int
    fn: int
    fp: int
    tn: int

    @property
    def tpr(self) -> float:
        """Share of members flagged (nan without members)."""
        n = self.tp + self.fn
        return self.tp / n if n else math.nan

    @property
    def fpr(self) -> float:
        """Share of non-members flagged (nan without non-members)."""
        n = self.fp + self.tn
        return self.fp / n if n else math.nan

    @property
    def advantage(self) -> float:
        """``tpr - fpr``: 0 is a coin toss, 1 a perfect attack (negative: worse than guessing)."""
        return self.tpr - self.fpr

    def __add__(self, other: Confusion) -> Confusion:
        """Counts pooled over two sets of trials."""
        return Confusion(self.tp + other.tp, self.fn + other.fn, self.fp + other.fp,
                         self.tn + other.tn)


def confusion(scores: np.ndarray, members: np.ndarray, threshold: float) -> Confusion:
    """Counts when ``score >= threshold`` is guessed "member".

    Example: scores ``[0.9, 0.2]``, members ``[True, False]``, threshold 0.5 -> tp 1, tn 1.
    """
    guess = np.asarray(scores, dtype=float) >= threshold
    truth = np.asarray(members, dtype=bool)
    return Confusion(tp=int((guess & truth).sum()), fn=int((~guess & truth).sum()),
                     fp=int((guess & ~truth).sum()), tn=int((~guess & ~truth).sum()))


def epsilon_lower(c: Confusion, delta: float = 0.0, confidence: float = CONFIDENCE) -> float:
    """The ε lower bound the counts prove with ``confidence`` (see the module docstring).

    Returns 0.0 when the attack is no better than guessing within its uncertainty.
    """
    fnr_hi = clopper_pearson(c.fn, c.tp + c.fn, confidence)[1]
    fpr_hi = clopper_pearson(c.fp, c.fp + c.tn, confidence)[1]
    bounds = [0.0]
    if fnr_hi < 1 - delta and fpr_hi > 0:
        bounds.append(math.log((1 - delta - fnr_hi) / fpr_hi))
    if fpr_hi < 1 - delta and fnr_hi > 0:
        bounds.append(math.log((1 - delta - fpr_hi) / fnr_hi))
    return max(bounds)


def best_threshold(scores: np.ndarray, members: np.ndarray) -> float:
    """The threshold with the largest ``tpr - fpr`` on these (training) trials.

    Without both kinds of trial, or when no threshold beats guessing, the threshold lies above
    every score (nobody is flagged: advantage 0, ε bound 0).
    """
    scores = np.asarray(scores, dtype=float)
    truth = np.asarray(members, dtype=bool)
    above = float(np.nextafter(scores.max(initial=0.0), np.inf))
    if truth.all() or not truth.any():
        return above
    fpr, tpr, thresholds = roc_curve(truth, scores)
    gain = tpr - fpr
    i = int(np.argmax(gain))
    if gain[i] <= 0 or not np.isfinite(thresholds[i]):
        return above
    # Midway to the next lower score: a new trial scored a little lower than the lowest flagged
    # training trial is still flagged (the scores of fresh trials scatter around the training ones).
    lower = scores[scores < thresholds[i]]
    return float((thresholds[i] + lower.max()) / 2) if len(lower) else float(thresholds[i])


def auc(scores: np.ndarray, members: np.ndarray) -> float:
    """ROC AUC of the scores (0.5 = guessing; nan without both kinds of trial)."""
    truth = np.asarray(members, dtype=bool)
    if truth.all() or not truth.any():
        return math.nan
    return float(roc_auc_score(truth, np.asarray(scores, dtype=float)))
