"""What a metric gives back: :class:`MetricValue` rows and their statuses.

``compute(ctx)`` returns one table-level row (``columns=()``, ``group=None``) that the acceptance
gate reads, plus optional rows per column, per pair or per group. A metric that cannot be
computed returns rows with ``status="not_computed"`` and a reason, never 0 and never a pass.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from typing import Any

FAMILIES = ("fidelity", "utility", "privacy", "fairness")
OK, NOT_COMPUTED, ERROR = "ok", "not_computed", "error"


@dataclass(frozen=True)
class MetricValue:
    """One number a metric produced.

    Attributes:
        key: The metric's key, e.g. ``fidelity.ks_complement``.
        family: One of ``FAMILIES``.
        columns: ``()`` for the table-level value, ``(col,)`` per column, ``(a, b)`` per pair.
        group: ``None``, or the protected group it was computed within, e.g. ``"sex=Female"``.
        value: The raw value in the metric's own units (None when not computed).
        score: ``value`` normalised to [0, 1], higher is better (filled by the base class).
        status: ``ok``, ``not_computed`` (with ``reason``) or ``error`` (with ``reason``).
        reason: Why it was not computed, or the error.
        baseline: The same quantity between training and holdout rows: the noise floor a sample
            of the same size reaches. None where it does not apply.
        ci_low: Lower end of a confidence interval, where the metric has one.
        ci_high: Upper end of a confidence interval.
        n: Rows (or attacks) the value was computed on, where it sampled.
        details: Small JSON-ready extras for figures (histograms, top features, copied rows).
    """

    key: str
    family: str
    columns: tuple[str, ...] = ()
    group: str | None = None
    value: float | None = None
    score: float | None = None
    status: str = OK
    reason: str | None = None
    baseline: float | None = None
    ci_low: float | None = None
    ci_high: float | None = None
    n: int | None = None
    details: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict (tuples become lists, NaN becomes None)."""
        d = asdict(self)
        d["columns"] = list(self.columns)
        for k in ("value", "score", "baseline", "ci_low", "ci_high"):
            v = d[k]
            if v is not None and (isinstance(v, float) and not math.isfinite(v)):
                d[k] = None
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> MetricValue:
        """Inverse of :meth:`to_dict`."""
        d = dict(d)
        d["columns"] = tuple(d.get("columns", ()))
        return cls(**d)
