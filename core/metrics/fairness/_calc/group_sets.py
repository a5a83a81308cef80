"""Which protected groups a fairness metric may score and show, shared by every fairness metric.

A group is scored when it has at least ``config.min_group_rows`` real (training) rows. Smaller
groups are pooled into one "(other)" group in anything shown to people, so a rare group is never
revealed by name, and they get one not-computed row saying how many were left out. An attribute
set (one attribute, or a pair) with a single group, or with fewer than two scorable groups, is
not computed at all.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from core.metrics.context import EvalContext
from core.metrics.groups import attribute_sets, labels_for
from core.metrics.metric import Metric
from core.metrics.value import OK, MetricValue

OTHER = "(other)"

MSG_SINGLE_GROUP = (
    "'{attrs}' has a single group in the real data ('{group}'), so there is nothing to compare."
)
MSG_FEW_GROUPS = (
    "Fewer than two groups of '{attrs}' have at least {min_rows} real rows, so there is nothing "
    "to compare."
)
MSG_SMALL_GROUPS = (
    "{k} group(s) of '{attrs}' have fewer than {min_rows} real rows each: too few to score "
    "separately. They are shown together as '{other}'."
)
MSG_NO_SET = "No protected attribute could be compared: {reasons}"


def attrs_name(attributes: tuple[str, ...]) -> str:
    """``("sex", "race")`` -> ``"sex & race"``."""
    return " & ".join(attributes)


def as_float(x: Any) -> float | None:
    """A plain float for JSON (None for NaN or None)."""
    if x is None:
        return None
    x = float(x)
    return x if math.isfinite(x) else None


def floats(xs: Iterable[Any], digits: int = 6) -> list[float | None]:
    """:func:`as_float` over a sequence, rounded to ``digits`` significant digits (for details)."""
    out = []
    for x in xs:
        v = as_float(x)
        out.append(None if v is None else float(f"{v:.{digits}g}"))
    return out


@dataclass(frozen=True)
class GroupSet:
    """The groups of one attribute set and which of them may be scored.

    Attributes:
        attributes: One protected attribute, or a pair (intersection).
        labels: Group label per row of ``"real"``, ``"holdout"`` and ``"synthetic"``.
        real_counts: Real rows per group (groups present in the real rows only).
        scored: Groups with at least ``min_group_rows`` real rows, largest first.
        small: Groups with fewer real rows, or seen only in the holdout or synthetic rows.
        reason: Why the attribute set cannot be compared at all, else None.
    """

    attributes: tuple[str, ...]
    labels: dict[str, pd.Series]
    real_counts: pd.Series
    scored: tuple[str, ...]
    small: tuple[str, ...]
    reason: str | None

    @property
    def name(self) -> str:
        """E.g. ``"sex & race"``."""
        return attrs_name(self.attributes)

    @property
    def other(self) -> str:
        """The label that stands for every small group, e.g. ``"race=(other)"``."""
        return f"{self.name}={OTHER}"

    def shown(self, labels: pd.Series) -> pd.Series:
        """Labels safe to show: small groups replaced by :attr:`other`."""
        return labels.where(labels.isin(self.scored), self.other)


def group_set(ctx: EvalContext, attributes: tuple[str, ...]) -> GroupSet:
    """The groups of ``attributes`` and which may be scored (cached per evaluation).

    Args:
        ctx: The evaluation context.
        attributes: One protected attribute or a pair.

    Returns:
        A :class:`GroupSet`; its ``reason`` is set when the attribute set has a single group or
        fewer than two groups with ``min_group_rows`` real rows.
    """

    def compute() -> GroupSet:
        labels = labels_for(ctx, attributes)
        counts = labels["real"].value_counts()
        counts = counts.sort_index().sort_values(ascending=False, kind="stable")
        min_rows = ctx.config.min_group_rows
        scored = tuple(str(g) for g in counts.index[counts >= min_rows])
        seen = set(counts.index).union(*(set(s.unique()) for s in labels.values()))
        small = tuple(sorted(str(g) for g in seen - set(scored)))
        name = attrs_name(attributes)
        reason = None
        if len(counts) == 1:
            reason = MSG_SINGLE_GROUP.format(attrs=name, group=counts.index[0])
        elif len(scored) < 2:
            reason = MSG_FEW_GROUPS.format(attrs=name, min_rows=min_rows)
        return GroupSet(attributes, labels, counts, scored, small, reason)

    return ctx.cached(f"fairness:groups:{'|'.join(attributes)}", compute)


def group_sets(ctx: EvalContext) -> list[GroupSet]:
    """:func:`group_set` of every protected attribute, then of every pair."""
    return [group_set(ctx, attrs) for attrs in attribute_sets(ctx)]


def skipped_rows(metric: Metric, gs: GroupSet, ctx: EvalContext) -> list[MetricValue]:
    """The not-computed rows of an attribute set: the whole set, or its pooled small groups."""
    if gs.reason:
        return [metric.not_computed(gs.reason, gs.attributes)]
    small_real = [g for g in gs.small if g in gs.real_counts.index]
    if not small_real:
        return []
    reason = MSG_SMALL_GROUPS.format(
        k=len(small_real), attrs=gs.name, min_rows=ctx.config.min_group_rows, other=gs.other
    )
    return [metric.not_computed(reason, gs.attributes, group=gs.other)]


def worst_of(
    metric: Metric,
    rows: list[MetricValue],
    reasons: list[str],
    largest: bool,
) -> MetricValue:
    """The table-level row: the worst computed attribute-set row (largest or smallest value).

    Args:
        metric: The metric producing the row.
        rows: Every attribute-set row (``group=None``) and per-group row of the metric.
        reasons: Why attribute sets were not computed (used when none was).
        largest: Whether the largest value is the worst.

    Returns:
        A row with the worst attribute set's value and baseline; details name that attribute
        set, its worst group (``group``, with that group's details) and list every set's value.
    """

    def pick(candidates: list[MetricValue]) -> MetricValue:
        values = np.array([r.value for r in candidates], dtype="float64")
        return candidates[int(np.argmax(values) if largest else np.argmin(values))]

    done = [r for r in rows if r.status == OK and r.value is not None]
    heads = [r for r in done if r.group is None]
    if not heads:
        return metric.not_computed(
            MSG_NO_SET.format(reasons=" ".join(reasons) or "no protected attribute is set.")
        )
    worst = pick(heads)
    groups = [r for r in done if r.group is not None and r.columns == worst.columns]
    worst_group = pick(groups) if groups else None
    details = {
        "attributes": list(worst.columns),
        "group": worst_group.group if worst_group else None,
        "group_details": worst_group.details if worst_group else None,
        "per_attribute_set": {attrs_name(r.columns): r.value for r in heads},
    }
    return metric.value(worst.value, baseline=worst.baseline, details=details)


def set_row(
    metric: Metric,
    gs: GroupSet,
    groups: list[MetricValue],
    largest: bool,
    details: dict[str, Any],
    empty_reason: str,
) -> MetricValue:
    """An attribute set's row from its per-group rows: the worst group value and baseline."""
    done = [r for r in groups if r.status == OK and r.value is not None]
    if not done:
        return metric.not_computed(empty_reason, gs.attributes, details=details)
    agg = max if largest else min
    baselines = [r.baseline for r in done if r.baseline is not None]
    return metric.value(
        agg(r.value for r in done),
        gs.attributes,
        baseline=agg(baselines) if baselines else None,
        details=details,
    )


def collect(
    metric: Metric,
    ctx: EvalContext,
    rows_of_set: Callable[[GroupSet], list[MetricValue]],
    largest: bool,
) -> list[MetricValue]:
    """Run ``rows_of_set`` on every comparable attribute set; prepend the table-level row.

    Attribute sets that cannot be compared, and pooled small groups, get not-computed rows.
    """
    rows: list[MetricValue] = []
    reasons: list[str] = []
    for gs in group_sets(ctx):
        if gs.reason:
            reasons.append(gs.reason)
        else:
            rows += rows_of_set(gs)
        rows += skipped_rows(metric, gs, ctx)
    return [worst_of(metric, rows, reasons, largest), *rows]
