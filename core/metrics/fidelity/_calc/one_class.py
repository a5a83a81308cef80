"""A Deep SVDD one-class embedding, as synthcity's ``OneClassLayer`` builds it, in numpy.

Synthcity's ``AlphaPrecision`` (``synthcity/metrics/eval_statistical.py``) does not measure
α-precision, β-recall and authenticity on the rows themselves but on a one-class embedding of
them (Alaa et al., ICML 2022; Deep SVDD: Ruff et al., ICML 2018), trained on the real rows
(``synthcity/metrics/core/metric.py: _get_oneclass_model``,
``metrics/representations/OneClass.py`` and ``networks.py``). The same network and training:

- a feed-forward network without biases: input width -> 32 -> 32 -> 32 -> 32 -> input width,
  ReLU after every layer but the last (synthcity: ``num_layers=4``, ``num_hidden=32``,
  ``rep_dim=input_dim``). Without biases it cannot map every row onto the centre, the
  "hypersphere collapse" Deep SVDD guards against;
- the centre ``c`` is 10 in every output dimension;
- the loss is ``mean(||f(x) - c||^2) / nu`` with ``nu = 0.01`` (synthcity's
  ``SoftBoundaryLoss``, whose radius term it overwrites);
- full-batch AdamW (PyTorch's update rule), learning rate 2e-3, weight decay 2e-3, and
  PyTorch's default initialisation of a linear layer (uniform in ±1/sqrt(fan_in)).

Two choices differ, for cost, and callers state them: synthcity trains 1000 epochs on every
real row; callers here pass fewer epochs and a row sample. numpy instead of torch: importing
torch costs about 2 s per evaluation process, and float32 numpy on one BLAS thread with a seeded
generator gives the same embedding on every run. ``tests/core/metrics/test_alpha_precision.py``
checks the training against torch's autograd and AdamW.

Example: ``fit_one_class(x, epochs=300, seed=0).transform(x)`` -> rows near ``[10, 10, ...]``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from threadpoolctl import threadpool_limits

HIDDEN = 32
LAYERS = 4  # synthcity's num_layers: the input layer and three hidden ones, then the output
CENTRE = 10.0
NU = 1e-2
LEARNING_RATE = 2e-3
WEIGHT_DECAY = 2e-3
BETA1, BETA2, ADAM_EPS = 0.9, 0.999, 1e-8


@dataclass(frozen=True)
class OneClassEmbedding:
    """A trained one-class network.

    Attributes:
        weights: Weight matrices, ``(inputs, outputs)`` each, first layer first.
        centre: The centre ``c`` of the embedding.
        epochs: Epochs trained.
        rows: Rows it was trained on.
        first_loss: Training loss before the first update.
        last_loss: Training loss before the last update.
    """

    weights: tuple[np.ndarray, ...]
    centre: np.ndarray
    epochs: int
    rows: int
    first_loss: float
    last_loss: float

    def transform(self, x: np.ndarray) -> np.ndarray:
        """The embedding of the rows ``x`` (``(n, width)`` -> ``(n, width)``, float32)."""
        with threadpool_limits(limits=1, user_api="blas"):
            return _forward(self.weights, np.asarray(x, dtype=np.float32))[-1]


def initial_weights(width: int, seed: int) -> list[np.ndarray]:
    """PyTorch's default ``nn.Linear`` initialisation of every layer, from ``seed``.

    ``kaiming_uniform_(a=sqrt(5))`` draws uniformly in ±1/sqrt(fan_in).
    """
    dims = [width] + [HIDDEN] * LAYERS + [width]
    rng = np.random.default_rng(seed)
    return [
        rng.uniform(-1 / np.sqrt(i), 1 / np.sqrt(i), size=(i, o)).astype(np.float32)
        for i, o in zip(dims[:-1], dims[1:], strict=True)
    ]


def _forward(weights: tuple[np.ndarray, ...] | list[np.ndarray], x: np.ndarray) -> list[np.ndarray]:
    """The input and every layer's output (after its ReLU; the last layer has none)."""
    out = [x]
    for j, w in enumerate(weights):
        h = out[-1] @ w
        out.append(np.maximum(h, 0, out=h) if j < len(weights) - 1 else h)
    return out


def fit_one_class(
    x: np.ndarray, epochs: int, seed: int, weights: list[np.ndarray] | None = None
) -> OneClassEmbedding:
    """Train the one-class network on the rows ``x`` (full batch, AdamW).

    Args:
        x: ``(n, width)`` encoded rows, n >= 1.
        epochs: Full-batch updates.
        seed: Seed of the initial weights.
        weights: Initial weights instead of the seeded ones (tests compare with torch).

    Returns:
        The trained :class:`OneClassEmbedding`.
    """
    x = np.ascontiguousarray(x, dtype=np.float32)
    n, width = x.shape
    ws = [w.astype(np.float32).copy() for w in (weights or initial_weights(width, seed))]
    m1 = [np.zeros_like(w) for w in ws]
    m2 = [np.zeros_like(w) for w in ws]
    centre = np.full(width, CENTRE, dtype=np.float32)
    losses: list[float] = []
    with threadpool_limits(limits=1, user_api="blas"):
        for step in range(1, epochs + 1):
            acts = _forward(ws, x)
            diff = acts[-1] - centre
            losses.append(float((diff * diff).sum(axis=1).mean() / NU))
            grad = diff * np.float32(2.0 / (n * NU))  # d loss / d output
            c1, c2 = 1 - BETA1**step, 1 - BETA2**step
            for j in range(len(ws) - 1, -1, -1):
                g = acts[j].T @ grad
                if j:  # back through layer j's weights and the previous layer's ReLU
                    grad = (grad @ ws[j].T) * (acts[j] > 0)
                ws[j] *= np.float32(1 - LEARNING_RATE * WEIGHT_DECAY)
                m1[j] = BETA1 * m1[j] + (1 - BETA1) * g
                m2[j] = BETA2 * m2[j] + (1 - BETA2) * g * g
                denom = np.sqrt(m2[j]) / np.float32(np.sqrt(c2)) + np.float32(ADAM_EPS)
                ws[j] -= np.float32(LEARNING_RATE / c1) * m1[j] / denom
    first = losses[0] if losses else float("nan")
    last = losses[-1] if losses else float("nan")
    return OneClassEmbedding(tuple(ws), centre, epochs, n, first, last)
