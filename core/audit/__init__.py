"""The generator audit: a shadow-model membership attack on a run's generator.

``run_audit(inputs, progress) -> AuditResult`` is the pure compute (:mod:`core.audit.run`);
``prepare_audit`` / ``compute_audit`` / ``store_audit`` are its steps around the store
(:mod:`core.audit.stored`), run as a job by ``core.jobs``. The stored result becomes the metric
``privacy.shadow_membership_inference`` in every report view (``core.evaluation``).

The names below are loaded on first use (as in ``core.jobs``): the CLI's parser and the Privacy
page read the defaults without importing the attack (scikit-learn, Numba: over a second).
"""

from __future__ import annotations

import importlib
from typing import Any

_WHERE = {
    "AttackFigures": "core.audit.result", "AuditResult": "core.audit.result",
    "TargetResult": "core.audit.result", "DEFAULT_BUDGET_S": "core.audit.defaults",
    "DEFAULT_TARGETS": "core.audit.defaults", "AuditInputs": "core.audit.run",
    "run_audit": "core.audit.run", "compute_audit": "core.audit.stored",
    "prepare_audit": "core.audit.stored", "store_audit": "core.audit.stored",
    "stored_audit": "core.audit.stored",
}

__all__ = ["DEFAULT_BUDGET_S", "DEFAULT_TARGETS", "AttackFigures", "AuditInputs", "AuditResult",
           "TargetResult", "compute_audit", "prepare_audit", "run_audit", "store_audit",
           "stored_audit"]


def __getattr__(name: str) -> Any:
    """``from core.audit import run_audit``: import the defining module on first use."""
    if name not in _WHERE:
        raise AttributeError(f"module 'core.audit' has no attribute {name!r}")
    return getattr(importlib.import_module(_WHERE[name]), name)
