"""The settings of one evaluation: a frozen :class:`EvalConfig`."""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from typing import Any

from core.errors import UserInputError


@dataclass(frozen=True)
class EvalConfig:
    """Settings of one evaluation. Frozen; unknown keys fail and list the valid ones.

    Attributes:
        seed: Seed for every random choice (samples, folds, attacks).
        max_rows: Rows per table above which a metric samples (and says so in ``n``).
        max_rows_detection: Rows per side used to train the real-vs-synthetic classifier.
        max_rows_anonymeter: Rows per side used by Anonymeter's attacks.
        anonymeter_attacks: Number of attacks per Anonymeter evaluator.
        kway_k: Columns per k-way marginal.
        kway_combinations: Random column combinations scored by the k-way marginal metric.
        bins: Bins for numerical columns in contingency and marginal metrics.
        cv_folds: Cross-validation folds for the detection classifier.
        min_group_rows: Groups with fewer real rows are not scored separately (too noisy) and are
            grouped as "other" in anything shown to people.
        numeric_group_bins: Numerical protected attributes (e.g. age) are cut into at most this many
            quantile groups.
        positive_label: The target value counted as the positive outcome; None picks the rarer
            class of a binary target (e.g. ">50K" in Adult). For a numerical target give the
            number as text ("1"; "1.0" means the same).
        rare_value_k: A training value is rare when it occurs at most this many times (and never
            in the holdout); the rare-value replay check counts synthetic rows that hold one.
    """

    seed: int = 0
    max_rows: int = 100_000
    max_rows_detection: int = 20_000
    max_rows_anonymeter: int = 5_000
    anonymeter_attacks: int = 500
    kway_k: int = 3
    kway_combinations: int = 50
    bins: int = 10
    cv_folds: int = 3
    min_group_rows: int = 5
    numeric_group_bins: int = 4
    positive_label: str | None = None
    rare_value_k: int = 1

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> EvalConfig:
        """Build from a dict, refusing unknown keys."""
        data = dict(data or {})
        valid = {f.name for f in fields(cls)}
        unknown = sorted(set(data) - valid)
        if unknown:
            raise UserInputError(
                f"Unknown evaluation setting(s): {', '.join(unknown)}. "
                f"Valid settings: {', '.join(sorted(valid))}."
            )
        return cls(**data)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict."""
        return asdict(self)
