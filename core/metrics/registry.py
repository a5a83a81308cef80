"""The one registry of metrics: built-ins register exactly like extensions.

Adding a metric is one new module plus one line in ``BUILTIN``. Keys must be unique; a duplicate
fails at import (datasette ``plugins.py: DEFAULT_PLUGINS``).
"""

from __future__ import annotations

from core.metrics.base import Metric

# --- fidelity ---
# --- utility ---
# --- privacy ---
# --- fairness ---

BUILTIN: tuple[Metric, ...] = (
    # --- fidelity ---
    # --- utility ---
    # --- privacy ---
    # --- fairness ---
)


def _index(metrics: tuple[Metric, ...]) -> dict[str, Metric]:
    out: dict[str, Metric] = {}
    for m in metrics:
        if m.key in out:
            raise ValueError(f"Duplicate metric key {m.key!r}: each metric needs its own key.")
        if not m.key.startswith(m.family + "."):
            raise ValueError(f"Metric key {m.key!r} must start with its family {m.family!r}.")
        out[m.key] = m
    return out


REGISTRY: dict[str, Metric] = _index(BUILTIN)


def get_metric(key: str) -> Metric:
    """The registered metric with ``key``."""
    return REGISTRY[key]


def metrics_of(family: str) -> tuple[Metric, ...]:
    """Registered metrics of one family, in registry order."""
    return tuple(m for m in BUILTIN if m.family == family)
