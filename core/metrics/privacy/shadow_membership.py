"""Shadow-model membership inference: the generator audit's attack AUC, as a metric.

Distance measures (DCR, NNDR, the distance-based membership AUC) are heuristics: they can look
fine while real leakage goes unseen (Ganev & De Cristofaro 2023). The evidence is an attack
that retrains the generator: ``core.audit`` trains shadow generators with and without target
records and measures how well a classifier tells them apart from their synthetic output
(Stadler et al., USENIX Security 2022). That takes minutes, so it runs as its own job (``python
-m core audit RUN``, or "Audit the generator" on the Privacy page), not inside an evaluation:
here the metric is not computed, and the report views fill it in from the stored audit
(:meth:`ShadowMembershipInference.rows_from_audit`, called by ``core.evaluation``). Absent an
audit the gate check is not computed, never a pass.

The value is the attack's ROC AUC over every target's test shadows pooled: 0.5 means the
synthetic data do not reveal whether a record was trained on; 1.0 means they always do. Its
95% interval (Hanley & McNeil) and, in the details, the advantage and the ε lower bound overall
and per target come with it.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from core.metrics.context import EvalContext
from core.metrics.metric import Goal, Metric
from core.metrics.value import MetricValue

KEY = "privacy.shadow_membership_inference"
MSG_NO_AUDIT = (
    "no generator audit is stored for this run; it retrains the generator, so it runs as its own "
    "job: 'Audit the generator' on the Privacy page, or python -m core audit RUN"
)
MSG_IMPORTED = (
    "the run was imported from a file, so there is no generator to retrain and audit"
)
MSG_NO_TEST = "the audit's test shadows held only one kind (with or without the target)"


class ShadowMembershipInference(Metric):
    """ROC AUC of a shadow-model membership attack on the retrained generator (0.5 = no leak)."""

    key = KEY
    name = "Membership inference (shadow-model audit)"
    description = (
        "ROC AUC of an attack that retrains the generator with and without target records "
        "(the most isolated ones and random controls) and tells the two apart from the "
        "synthetic output (Stadler et al. 2022); 0.5 means membership is not revealed, 1.0 "
        "that it always is. Comes from the stored generator audit, with the attack advantage "
        "and an ε lower bound per target."
    )
    goal = Goal.MINIMIZE
    min_value = 0.5
    max_value = 1.0

    def compute(self, ctx: EvalContext) -> list[MetricValue]:
        """Not computed inside an evaluation: the audit is a job of its own (module docstring)."""
        return [self.not_computed(MSG_NO_AUDIT)]

    def rows_from_audit(self, audit: dict[str, Any], audit_id: str | None = None,
                        created_at: str | None = None) -> list[MetricValue]:
        """The table-level row from a stored audit (``AuditResult.to_dict()``).

        Args:
            audit: The audit's JSON-ready dict.
            audit_id: Its id in the store (shown with the figures).
            created_at: When it was stored (ISO text).

        Returns:
            One scored row: value = pooled test AUC, its 95% interval, ``n`` = test shadows,
            details with the overall and per-target figures and the audit's design and notes.
        """
        overall, design = audit["overall"], audit["design"]
        details = {
            "audit_id": audit_id, "created_at": created_at, "overall": overall,
            "targets": audit["targets"], "riskiest": audit.get("riskiest"),
            "design": design, "notes": audit.get("notes", []), "params": audit.get("params"),
            "generator": audit.get("generator"), "seconds": audit.get("seconds", {}),
            "threshold": audit.get("threshold"),
        }
        if overall.get("auc") is None:
            return [self.not_computed(MSG_NO_TEST, details=details)]
        row = self.value(overall["auc"], n=overall["test_shadows"], ci_low=design["auc_ci_low"],
                         ci_high=design["auc_ci_high"], details=details)
        return [replace(row, score=self.normalize(float(row.value)))]
