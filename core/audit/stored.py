"""An audit of a stored run: gather its inputs (owner), compute (anywhere), store the result.

The same three steps as a fit or an evaluation (``core.runs``, ``core.evaluation``): the owner
process checks the request and loads the rows (``prepare_audit``), a Dask worker computes
(``compute_audit``), the owner stores the result in one transaction (``store_audit``). A run
must have a stored report first: the audit is stored with it, and completes its privacy
evidence.
"""

from __future__ import annotations

from collections.abc import Callable

from core.audit.result import AuditResult
from core.audit.run import (
    DEFAULT_BUDGET_S,
    DEFAULT_TARGETS,
    MSG_NO_GENERATOR,
    AuditInputs,
    check_request,
    run_audit,
    shadow_size,
)
from core.datasets import load_dataset
from core.errors import UserInputError
from core.runs import require_complete
from core.store import Store
from core.store import audits as q
from core.store.reports import MSG_NO_REPORT, latest_report_id


def prepare_audit(
    store: Store, run_id: str, *, targets: int | None = None, shadows: int | None = None,
    budget_s: float | None = None,
) -> AuditInputs:
    """Check the request and load the run's rows (owner process; nothing is stored).

    Raises:
        UserInputError: bad sizes, an imported run, a run never evaluated, purged real rows,
            or a holdout too small for shadow training sets.
    """
    targets = DEFAULT_TARGETS if targets is None else targets
    budget_s = DEFAULT_BUDGET_S if budget_s is None else budget_s
    targets, shadows, budget_s = check_request(targets, shadows, budget_s)
    run = require_complete(store, run_id)
    from core.generators.registry import get_generator  # deferred: SDV and torch take seconds

    gen = get_generator(run.generator)
    if getattr(gen, "imports", False):
        raise UserInputError(MSG_NO_GENERATOR.format(run=run_id))
    report_id = latest_report_id(store, run_id)
    if report_id is None:
        raise UserInputError(MSG_NO_REPORT.format(run=run_id))
    ds = load_dataset(store, run.dataset_id, run.schema_version)
    inputs = AuditInputs(
        run_id=run_id, generator=run.generator, params=dict(run.params), train=ds.train,
        reference=ds.holdout, schema=ds.schema, targets=targets, shadows=shadows,
        budget_s=budget_s, seed=run.seed or 0, report_id=report_id,
    )
    shadow_size(gen, inputs)  # a holdout too small is refused now, not on a worker
    return inputs


def compute_audit(inputs: AuditInputs,
                  progress: Callable[[float, str], None] | None = None) -> AuditResult:
    """Run the audit (pure: no store; runs on a Dask worker or in this process)."""
    return run_audit(inputs, progress)


def store_audit(store: Store, inputs: AuditInputs, result: AuditResult,
                job_id: str | None = None) -> str:
    """Store a computed audit with the run's report (one transaction); return its id."""
    params = {"targets": inputs.targets, "shadows": inputs.shadows, "budget_s": inputs.budget_s,
              "seed": inputs.seed, "shadow_rows": inputs.shadow_rows}
    return q.save_audit(store, run_id=inputs.run_id, report_id=inputs.report_id, job_id=job_id,
                        params=params, result_json=result.to_json(),
                        seconds=result.seconds.get("total"), timings=result.seconds)


def stored_audit(store: Store, run_id: str) -> tuple[q.AuditRow, AuditResult] | None:
    """The run's newest stored audit and its result, or None when it was never audited."""
    row = q.latest_audit(store, run_id)
    return None if row is None else (row, AuditResult.from_json(row.result_json))
