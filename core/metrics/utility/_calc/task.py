"""The prediction task behind the utility and fairness metrics: what kind of target, which label.

A categorical or boolean target is a classification task. A numerical target is one too when it
has 2 to ``MAX_CLASSES`` distinct training values (a 0/1 outcome, a 1-5 rating), else a
regression task. The positive outcome of a classification target is ``EvalConfig.positive_label``
or, for a binary target, its rarer class in the training rows (">50K" in Adult).

Class labels are text. Numbers become labels without a trailing ``.0`` (``1``, ``1.0`` and
``1.00`` are all ``"1"``), so a 0/1 target read as integers from the real file and as floats
from SDV's output gives the same classes; read targets through :func:`target_values`.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from core.metrics.context import EvalContext, as_text

CLASSIFICATION, REGRESSION = "classification", "regression"
# A numerical target with at most this many distinct training values (and at least 2) is a
# classification target.
MAX_CLASSES = 20

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
        from_numbers: A classification target stored as numbers (labels via :func:`as_text`).
    """

    target: str
    kind: str
    classes: tuple[str, ...] = ()
    positive: str | None = None
    positive_reason: str | None = None
    from_numbers: bool = False

    @property
    def kind_text(self) -> str:
        """The target's kind in words: "categorical", "numerical", "numerical with 2 values"."""
        if self.kind == REGRESSION:
            return "numerical"
        if self.from_numbers:
            return f"numerical with {len(self.classes)} distinct values"
        return "categorical"

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


def target_values(task: TargetTask, values: pd.Series) -> pd.Series:
    """A target column as the task reads it: text labels (classification) or floats.

    Example: a 0/1 target read as ``[1.0, 0.0, NaN]`` -> ``["1", "0", NaN]``.
    """
    if task.kind == CLASSIFICATION:
        return as_text(values) if task.from_numbers else values
    return values.astype("float64")


def _number_label(configured: str | None) -> str | None:
    """A configured positive label for a numerical target: ``"1.0"`` -> ``"1"``."""
    if configured is None:
        return None
    try:
        return str(as_text(pd.Series([float(configured)])).iloc[0])
    except ValueError:
        return str(configured)


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
        configured = ctx.config.positive_label
        numbers = kind == "numerical"
        if numbers:
            if not 2 <= values.nunique() <= MAX_CLASSES:
                return TargetTask(target, REGRESSION)
            values, configured = as_text(values), _number_label(configured)
        counts = values.value_counts()
        positive, reason = _choose_positive(target, counts, configured)
        return TargetTask(
            target,
            CLASSIFICATION,
            classes=tuple(sorted(str(c) for c in counts.index)),
            positive=positive,
            positive_reason=reason,
            from_numbers=numbers,
        )

    return ctx.cached("utility:task", compute)
