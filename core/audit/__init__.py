"""The generator audit: a shadow-model membership attack on a run's generator.

``run_audit(inputs, progress) -> AuditResult`` is the pure compute (:mod:`core.audit.run`);
``prepare_audit`` / ``compute_audit`` / ``store_audit`` are its steps around the store
(:mod:`core.audit.stored`), run as a job by ``core.jobs``. The stored result becomes the metric
``privacy.shadow_membership_inference`` in every report view (``core.evaluation``).
"""

from core.audit.result import AttackFigures, AuditResult, TargetResult
from core.audit.run import DEFAULT_BUDGET_S, DEFAULT_TARGETS, AuditInputs, run_audit
from core.audit.stored import compute_audit, prepare_audit, store_audit, stored_audit

__all__ = ["DEFAULT_BUDGET_S", "DEFAULT_TARGETS", "AttackFigures", "AuditInputs", "AuditResult",
           "TargetResult", "compute_audit", "prepare_audit", "run_audit", "store_audit",
           "stored_audit"]
