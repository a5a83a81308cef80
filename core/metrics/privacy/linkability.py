"""Anonymeter's linkability risk across two halves of the quasi-identifiers.

See :mod:`core.metrics.privacy._calc.anonymeter` for how the attacks are run.
"""

from __future__ import annotations

from typing import Any

# At import, not in compute: metrics run in threads, and a library half-imported by one thread
# can be seen by another (scikit-learn looks for polars, which Anonymeter imports, in sys.modules).
from anonymeter.evaluators import LinkabilityEvaluator

from core.metrics.context import EvalContext
from core.metrics.privacy._calc.anonymeter import AnonymeterRisk, anonymeter_frames
from core.metrics.value import MetricValue

MSG_FEW_QI = (
    "the linkability attack needs at least 2 quasi-identifiers to split between two "
    "datasets; {n} set (choose them on the Data page)"
)


class LinkabilityRisk(AnonymeterRisk):
    """Anonymeter linkability risk across two halves of the quasi-identifiers."""

    key = "privacy.linkability"
    name = "Linkability"
    description = (
        "Anonymeter's excess success of linking two halves of a training record's "
        "quasi-identifiers through the same nearest synthetic row; 0.0 is no risk, 1.0 every "
        "record is linked."
    )

    def compute(self, ctx: EvalContext) -> list[MetricValue]:
        """Risk with aux columns = first and second half of the quasi-identifiers."""
        qis = [q for q in ctx.schema.quasi_identifiers if q in ctx.columns]
        if len(qis) < 2:
            return [self.not_computed(MSG_FEW_QI.format(n=len(qis)))]
        half = (len(qis) + 1) // 2
        aux = (qis[:half], qis[half:])
        ori, syn, control = anonymeter_frames(ctx)
        attacks = min(ctx.config.anonymeter_attacks, len(ori), len(control))

        def evaluate() -> Any:
            return LinkabilityEvaluator(
                ori, syn, aux_cols=aux, n_attacks=attacks, control=control
            ).evaluate(n_jobs=-1)

        return [self._risk_row(ctx, evaluate, details={"aux_cols": [aux[0], aux[1]]})]
