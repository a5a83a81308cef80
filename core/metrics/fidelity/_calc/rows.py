"""Small helpers shared by the fidelity metrics: roll-ups, JSON-ready numbers, rare categories."""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd

from core.metrics.context import EvalContext
from core.metrics.metric import Metric
from core.metrics.value import OK, MetricValue

OTHER = "other"


def jsonable(x: Any, digits: int = 6) -> float | None:
    """A plain float rounded to ``digits`` significant digits, or None for NaN/None."""
    if x is None:
        return None
    x = float(x)
    if not math.isfinite(x):
        return None
    return float(f"{x:.{digits}g}")


def jsonable_list(xs: Iterable[Any], digits: int = 6) -> list[float | None]:
    """:func:`jsonable` over a sequence."""
    return [jsonable(x, digits) for x in xs]


def has_holdout(ctx: EvalContext) -> bool:
    """Whether a noise-floor baseline (training vs holdout) can be computed."""
    return len(ctx.holdout) > 0


def nan_to_none(x: float | None) -> float | None:
    """None for NaN, else a plain float."""
    return None if x is None or not math.isfinite(float(x)) else float(x)


def mean_of(values: Iterable[float | None]) -> float | None:
    """Mean of the finite values, None when there is none."""
    vals = [float(v) for v in values if v is not None and math.isfinite(float(v))]
    return float(np.mean(vals)) if vals else None


def rollup(
    metric: Metric,
    parts: list[MetricValue],
    empty_reason: str,
    details: dict[str, Any] | None = None,
    **kw: Any,
) -> MetricValue:
    """The table-level row: the mean value and mean baseline of the computed per-part rows.

    Args:
        metric: The metric producing the row.
        parts: Per-column / per-pair rows (some may be not computed).
        empty_reason: Reason used when there are no parts at all.
        details: Details of the table-level row.
        **kw: Extra ``MetricValue`` fields (``n``, ``ci_low``...).

    Returns:
        A computed row, or a not-computed row when no part was computed.
    """
    done = [p for p in parts if p.status == OK and p.value is not None]
    details = dict(details or {})
    details.setdefault("parts_computed", len(done))
    details.setdefault("parts_total", len(parts))
    if not parts:
        return metric.not_computed(empty_reason, details=details, **kw)
    if not done:
        first = next((p.reason for p in parts if p.reason), "no part could be computed")
        return metric.not_computed(
            f"no column or pair could be compared: {first}", details=details, **kw
        )
    baseline = mean_of(p.baseline for p in done)
    return metric.value(
        mean_of(p.value for p in done), (), baseline=baseline, details=details, **kw
    )


def visible_categories(real: pd.Series, min_rows: int, limit: int | None = None) -> list[str]:
    """Real categories common enough to show: at least ``min_rows`` real rows, most frequent first.

    Everything else (rare real categories, synthetic-only values) is shown as ``"other"``.
    """
    counts = real.dropna().value_counts()
    keep = counts[counts >= min_rows]
    if limit is not None:
        keep = keep.iloc[:limit]
    return [str(c) for c in keep.index]


def value_or_reason(
    metric: Metric, value: float | None, columns: tuple[str, ...], reason: str, **kw: Any
) -> MetricValue:
    """A computed row, or a not-computed row with ``reason`` when ``value`` is None or NaN.

    (``Metric.value`` would also copy a ``reason`` onto a computed row.)
    """
    if value is None or not math.isfinite(float(value)):
        return metric.not_computed(reason, columns, **kw)
    return metric.value(value, columns, **kw)
