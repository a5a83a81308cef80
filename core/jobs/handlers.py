"""One handler per job kind: the owner's steps around the worker's compute step.

Each runs in the job's thread of the owner process and returns the id of what it stored (a run,
a report or an audit). Only a result that came back complete is stored; a cancel stores nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from core.demo import DEMO_GENERATOR, find_demo
from core.evaluation import EvalPlan, latest_report_id, prepare_evaluation, store_evaluation
from core.jobs.worker import (
    JobCancelledError,
    JobFailedError,
    run_audit,
    run_evaluate,
    run_generate,
    run_import,
)
from core.runs import (
    GenerateInputs,
    ImportInputs,
    complete_runs,
    discard_generate,
    finish_generate,
    prepare_generate,
    start_generate,
    store_import,
)

if TYPE_CHECKING:
    from core.audit.run import AuditInputs
    from core.jobs.manager import JobContext


def generate_job(ctx: JobContext, inputs: GenerateInputs, span: tuple[float, float] = (0, 1),
                 prefix: str = "") -> str:
    """Record the run ``running``, fit on a worker, store the rows; return the run id."""
    run_id = start_generate(ctx.store, inputs)
    try:
        result = ctx.compute(run_generate, inputs, "generate", span, prefix)
    except JobCancelledError:
        discard_generate(ctx.store, run_id)
        raise
    except JobFailedError as exc:
        finish_generate(ctx.store, run_id, None, exc.message)
        raise JobFailedError(exc.message, result_id=run_id) from None
    finish_generate(ctx.store, run_id, result)
    return run_id


def import_job(ctx: JobContext, inputs: ImportInputs) -> str:
    """Check an uploaded file on a worker, then store it as a run; return the run id.

    A file that does not fit the dataset fails the job with the reason; nothing is stored.
    """
    result = ctx.compute(run_import, inputs, "import")
    return store_import(ctx.store, inputs, result).id


def evaluate_job(ctx: JobContext, plan: EvalPlan, span: tuple[float, float] = (0, 1),
                 prefix: str = "") -> str:
    """Evaluate on a worker and store the report (or reuse a stored one); return its id."""
    if plan.reused is not None:
        ctx.running()
        return latest_report_id(ctx.store, plan.reused.run_id)
    report = ctx.compute(run_evaluate, plan.inputs, "evaluate", span, prefix)
    return store_evaluation(ctx.store, plan.inputs, report)


def audit_job(ctx: JobContext, inputs: AuditInputs) -> str:
    """Audit the run's generator on a worker and store the result; return the audit's id."""
    from core.audit.stored import store_audit  # deferred: scikit-learn's attack models

    result = ctx.compute(run_audit, inputs, "audit")
    return store_audit(ctx.store, inputs, result, job_id=ctx.job_id)


def demo_job(ctx: JobContext) -> str:
    """The Demo's run: the Adult sample, a GaussianCopula fit, its report; return the report id.

    The same steps as ``core.demo.ensure_demo``, with the fit and the evaluation on workers.
    """
    from core.datasets import add_sample

    ctx.running()
    found = find_demo(ctx.store)
    if found is not None:
        return latest_report_id(ctx.store, found[0].id)
    ctx.progress(0.02, "loading the Adult sample")
    info, _ = add_sample(ctx.store)
    ctx.check_cancelled()
    runs = [r for r in complete_runs(ctx.store, info.id) if r.generator == DEMO_GENERATOR]
    if runs:
        run_id = runs[0].id
    else:
        inputs = prepare_generate(ctx.store, info.id, DEMO_GENERATOR, seed=0)
        run_id = generate_job(ctx, inputs, (0.05, 0.4), "generating: ")
    plan = prepare_evaluation(ctx.store, run_id)
    return evaluate_job(ctx, plan, (0.4, 1.0), "evaluating: ")
