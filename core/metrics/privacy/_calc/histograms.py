"""Distance histograms on shared bins, for the DCR and NNDR figures."""

from __future__ import annotations

import numpy as np


def histograms(samples: dict[str, np.ndarray], bins: int, upper: float | None = None) -> dict:
    """Counts of several samples on shared bins from 0 to ``upper`` (JSON-ready).

    Values above ``upper`` (default: the largest 99.5th percentile of the samples) fall into
    the last bin, so one outlier does not squash the plot.

    Example: ``histograms({"a": np.array([0., 1.])}, 2, 1.0)`` ->
    ``{"bin_edges": [0.0, 0.5, 1.0], "counts": {"a": [1, 1]}}``
    """
    finite = [v[np.isfinite(v)] for v in samples.values()]
    if upper is None:
        tops = [float(np.quantile(v, 0.995)) for v in finite if len(v)]
        upper = max(tops) if tops and max(tops) > 0 else 1.0
    edges = np.linspace(0.0, upper, bins + 1)
    counts = {
        name: np.histogram(np.clip(v, 0.0, upper), bins=edges)[0].astype(int).tolist()
        for name, v in zip(samples, finite, strict=True)
    }
    return {"bin_edges": [round(float(e), 6) for e in edges], "counts": counts}
