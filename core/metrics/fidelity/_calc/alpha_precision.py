"""α-precision, β-recall and authenticity (Alaa et al., ICML 2022), on a one-class embedding.

"How Faithful is your Synthetic Data?" judges each synthetic row: α-precision asks whether
synthetic rows fall where real rows are typical, β-recall whether the synthetic rows cover the
real ones, authenticity whether a synthetic row is more than a copy of a real one. The maths
follows synthcity's ``AlphaPrecision.metrics`` (``synthcity/metrics/eval_statistical.py``), on
rows embedded by the one-class network of :mod:`.one_class`, centre ``c``:

- α-precision curve: for 30 levels α in [0, 1], the share of synthetic rows whose distance to
  ``c`` is at most the α-quantile of the real rows' distances to ``c``; ideally α itself.
- β-recall curve: the share of real rows whose nearest synthetic row is nearer than their
  nearest other real row AND lies within the β-quantile of those nearest synthetic rows'
  distances to the synthetic rows' mean; ideally β.
- Each curve becomes one number: ``1 - sum|α - curve(α)| / sum α``. 1.0 means the curve is
  the diagonal; 0.0 the farthest a rising curve can be from it (all or nothing at one end).
- authenticity: the share of synthetic rows farther from their nearest real row than that real
  row is from its own nearest real neighbour. This is the authors' corrected rule (their
  ``boris-new`` branch of ahmedmalaa/evaluating-generative-models, issue #4): synthcity's line
  ``real_to_real[real_to_synth_args] < real_to_synth`` indexes real rows with synthetic
  positions. An identical copy scores 0; a fresh real sample about one half, the chance that
  nearest neighbours are not mutual.

Example: real [0, 1, 2, 3], synthetic [0.1, 1.1, 2.1, 10], identity embedding, ``c = 1.5``: the
synthetic 10 lies beyond every real row's radius, and only it is authentic (authenticity 0.25).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from sklearn.neighbors import NearestNeighbors
from threadpoolctl import threadpool_limits

ALPHAS = np.linspace(0, 1, 30)  # synthcity's n_steps = 30


@dataclass(frozen=True)
class SampleLevelScores:
    """The three scores of one synthetic (or holdout) table against the real rows.

    Attributes:
        alpha_precision: Integrated α-precision in [0, 1]; 1.0 = the curve is the diagonal.
        beta_recall: Integrated β-recall in [0, 1].
        authenticity: Share of synthetic rows that are authentic, in [0, 1].
        precision_curve: α-precision at each of ``ALPHAS``.
        recall_curve: β-recall at each of ``ALPHAS``.
    """

    alpha_precision: float
    beta_recall: float
    authenticity: float
    precision_curve: np.ndarray
    recall_curve: np.ndarray


def integrated(curve: np.ndarray) -> float:
    """``1 - sum|α - curve(α)| / sum α`` over ``ALPHAS``: 1.0 when ``curve`` is the diagonal."""
    return float(1 - np.abs(ALPHAS - curve).sum() / ALPHAS.sum())


def _norm(x: np.ndarray, centre: np.ndarray) -> np.ndarray:
    return np.sqrt(((x.astype(np.float64) - centre) ** 2).sum(axis=1))


def sample_level_scores(
    real: np.ndarray, synthetic: np.ndarray, centre: np.ndarray
) -> SampleLevelScores:
    """α-precision, β-recall and authenticity of embedded synthetic rows against real ones.

    Args:
        real: ``(n_real, d)`` embedded real rows (at least 2).
        synthetic: ``(n_synthetic, d)`` embedded synthetic rows (at least 1).
        centre: ``(d,)`` the embedding's centre.

    Returns:
        :class:`SampleLevelScores`.
    """
    real = np.asarray(real, dtype=np.float64)
    synthetic = np.asarray(synthetic, dtype=np.float64)
    radii = np.quantile(_norm(real, centre), ALPHAS)
    precision = (_norm(synthetic, centre)[:, None] <= radii[None, :]).mean(axis=0)

    # One thread for BLAS and for scikit-learn's OpenMP neighbour search: the machine is shared.
    with threadpool_limits(limits=1):
        near_real = NearestNeighbors(n_neighbors=2).fit(real)
        real_to_real = near_real.kneighbors(real)[0][:, 1]  # [:, 0] is the row itself
        real_to_synth, nearest_synth = NearestNeighbors(n_neighbors=1).fit(
            synthetic).kneighbors(real)
        synth_to_real, nearest_real = near_real.kneighbors(synthetic, n_neighbors=1)
    real_to_synth, nearest_synth = real_to_synth[:, 0], nearest_synth[:, 0]
    closest = _norm(synthetic[nearest_synth], synthetic.mean(axis=0))
    covered = real_to_synth <= real_to_real
    recall = (covered[:, None] & (closest[:, None] <= np.quantile(closest, ALPHAS)[None, :])
              ).mean(axis=0)
    authentic = real_to_real[nearest_real[:, 0]] < synth_to_real[:, 0]
    return SampleLevelScores(
        integrated(precision), integrated(recall), float(authentic.mean()), precision, recall
    )
