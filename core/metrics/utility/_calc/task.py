"""The prediction task behind the utility and fairness metrics: what kind of target, which label.

A categorical or boolean target is a classification task, a numerical one a regression task. The
positive outcome of a classification target is ``EvalConfig.positive_label`` or, for a binary
target, its rarer class in the training rows (">50K" in Adult).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from core.metrics.context import EvalContext

CLASSIFICATION, REGRESSION = "classification", "regression"

MSG_DATE_TARGET = (
    "The target '{target}' holds dates; utility and fairness metrics need a categorical, boolean "
    "or numerical target. Choose another target on the Data page."
)
MSG_NO_TARGET_VALUES = (
    "The training data has no value of '{target}', so there is nothing to predict. "
    "Choose another target on the Data page."
)
MSG_BAD_POSITIVE = (
    "The positive label '{label}' is not a value of '{target}' in the training data. "
    "Valid values: {valid}. Change positive_label in the evaluation settings."
)
MSG_NEED_POSITIVE = (
    "'{target}' has {k} classes, so there is no single positive outcome. "
    "Set positive_label in the evaluation settings (one of {valid})."
)


@dataclass(frozen=True)
class TargetTask:
    """The prediction task defined by the schema's target.

    Attributes:
        target: The target column.
        kind: ``"classification"`` or ``"regression"``.
        classes: Sorted classes seen in the training rows (empty for regression).
        positive: The positive outcome of a classification target, or None when it cannot be
            chosen (then ``positive_reason`` says why).
        positive_reason: Why there is no positive label, else None.
    """

    target: str
    kind: str
    classes: tuple[str, ...] = ()
    positive: str | None = None
    positive_reason: str | None = None

    @property
    def is_binary(self) -> bool:
        """Two classes in the training rows."""
        return self.kind == CLASSIFICATION and len(self.classes) == 2


def _listing(values: tuple[str, ...], limit: int = 10) -> str:
    shown = ", ".join(repr(v) for v in values[:limit])
    return shown + (f" and {len(values) - limit} more" if len(values) > limit else "")


def _choose_positive(
    target: str, counts: pd.Series, configured: str | None
) -> tuple[str | None, str | None]:
    classes = tuple(sorted(counts.index))
    if configured is not None:
        if str(configured) in classes:
            return str(configured), None
        return None, MSG_BAD_POSITIVE.format(
            label=configured, target=target, valid=_listing(classes)
        )
    if len(classes) == 2:
        # The rarer class; on a tie the one sorted last (deterministic).
        ordered = counts.sort_index().sort_values(kind="stable")
        return str(ordered.index[0]) if ordered.iloc[0] < ordered.iloc[1] else classes[1], None
    if len(classes) < 2:
        return (classes[0] if classes else None), None
    return None, MSG_NEED_POSITIVE.format(target=target, k=len(classes), valid=_listing(classes))


def target_task(ctx: EvalContext) -> TargetTask | str:
    """The task defined by ``ctx.schema.target``, or the reason there is none.

    Args:
        ctx: The evaluation context (its schema has a synthesised target).

    Returns:
        A :class:`TargetTask`, or a plain-language reason (str) when the target cannot be used.
    """

    def compute() -> TargetTask | str:
        target = ctx.schema.target
        if target is None or target not in ctx.columns:
            return "no target column is set (choose one on the Data page)"
        kind = ctx.schema.sdtype(target)
        if kind == "datetime":
            return MSG_DATE_TARGET.format(target=target)
        values = ctx.real[target].dropna()
        if values.empty:
            return MSG_NO_TARGET_VALUES.format(target=target)
        if kind == "numerical":
            return TargetTask(target, REGRESSION)
        counts = values.value_counts()
        positive, reason = _choose_positive(target, counts, ctx.config.positive_label)
        return TargetTask(
            target,
            CLASSIFICATION,
            classes=tuple(sorted(str(c) for c in counts.index)),
            positive=positive,
            positive_reason=reason,
        )

    return ctx.cached("utility:task", compute)
