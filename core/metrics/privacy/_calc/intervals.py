"""95% confidence intervals shared by the privacy metrics."""

from __future__ import annotations

import math

Z95 = 1.959963984540054


def binomial_ci(p: float, n: int) -> tuple[float, float]:
    """95% normal-approximation interval of a share ``p`` over ``n`` rows, clipped to [0, 1]."""
    half = Z95 * math.sqrt(max(p * (1 - p), 0.0) / n) if n else math.nan
    return max(p - half, 0.0), min(p + half, 1.0)
