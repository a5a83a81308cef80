"""What runs on a Dask worker: the pure compute steps, with progress sent back as events.

The worker gets the inputs (DataFrames, schema, parameters) and never opens the database. Progress
goes to the scheduler's event log under the job's topic (``log_event``); the owner process reads
it. An outcome (the result, or the reason in plain words) is returned rather than raised, so no
exception has to survive pickling.
"""

from __future__ import annotations

import time
import traceback
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from core.errors import SynthreviewError
from core.evaluation import EvalInputs, compute_evaluation
from core.jobs.fanout import sibling_runner
from core.runs import (
    GenerateInputs,
    ImportInputs,
    compute_generate,
    compute_import,
    failure_message,
)

if TYPE_CHECKING:
    from core.audit.run import AuditInputs

TOPIC = "synthreview-job-{id}"
STARTED, PROGRESS = "started", "progress"
_MIN_INTERVAL = 0.5  # seconds between two progress events with the same message


class JobCancelledError(Exception):
    """The job was cancelled while a worker ran it (raised inside the compute step)."""


class JobFailedError(Exception):
    """A job's work failed; ``message`` says why in plain words, ``result_id`` what was stored."""

    def __init__(self, message: str, result_id: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.result_id = result_id


@dataclass(frozen=True)
class Outcome:
    """What a worker hands back: ``value``, or ``error`` in plain words (``detail``: traceback)."""

    value: Any = None
    error: str | None = None
    detail: str | None = None
    cancelled: bool = False


def topic(job_id: str) -> str:
    """The event topic of a job's progress."""
    return TOPIC.format(id=job_id)


class WorkerProgress:
    """A progress callback on the worker: sends (fraction, message) events, notices a cancel.

    Outside a Dask worker (a plain call in tests) it only records the last value.
    """

    def __init__(self, job_id: str) -> None:
        self.topic = topic(job_id)
        self.last: tuple[float, str] = (0.0, "")
        self._sent = (-1.0, "", 0.0)
        try:
            from distributed import get_worker
            from distributed.worker import thread_state

            self._worker = get_worker()
            self._key = getattr(thread_state, "key", None)
        except (ImportError, ValueError):
            self._worker, self._key = None, None

    def started(self) -> None:
        """Tell the owner that a worker took the job (the event carries the worker's address)."""
        if self._worker is not None:
            self._worker.log_event(self.topic, {"kind": STARTED})

    def _cancelled(self) -> bool:
        if self._worker is None or self._key is None:
            return False
        ts = self._worker.state.tasks.get(self._key)
        return ts is None or ts.state in ("cancelled", "released", "forgotten")

    def __call__(self, fraction: float, message: str) -> None:
        """Record progress; raise :class:`JobCancelledError` once the job was cancelled."""
        if self._cancelled():
            raise JobCancelledError(message)
        self.last = (float(fraction), message)
        frac, text, at = self._sent
        now = time.monotonic()
        if self._worker is None or (message == text and now - at < _MIN_INTERVAL
                                    and fraction < 1.0):
            return
        if abs(fraction - frac) < 1e-9 and message == text:
            return
        self._sent = (float(fraction), message, now)
        self._worker.log_event(self.topic, {"kind": PROGRESS, "fraction": float(fraction),
                                            "message": message})


def _outcome(job_id: str, compute: Any, inputs: Any, explain: Any) -> Outcome:
    progress = WorkerProgress(job_id)
    progress.started()
    try:
        return Outcome(value=compute(inputs, progress))
    except JobCancelledError:
        return Outcome(cancelled=True)
    except SynthreviewError as exc:
        return Outcome(error=explain(exc))
    except Exception as exc:  # a library bug: the owner stores the reason, the traceback too
        return Outcome(error=explain(exc), detail=traceback.format_exc())


def run_generate(job_id: str, inputs: GenerateInputs) -> Outcome:
    """Fit and sample on the worker (``core.runs.compute_generate``)."""
    return _outcome(job_id, compute_generate, inputs,
                    lambda exc: failure_message(inputs, exc))


def run_evaluate(job_id: str, inputs: EvalInputs) -> Outcome:
    """Evaluate on the worker (``core.evaluation.compute_evaluation``).

    Its tasks of metrics run side by side on the cluster's idle workers (``core.jobs.fanout``).
    """
    def compute(job: EvalInputs, progress: WorkerProgress) -> Any:
        return compute_evaluation(job, progress, runner=sibling_runner())

    return _outcome(job_id, compute, inputs, _evaluation_failure)


def run_import(job_id: str, inputs: ImportInputs) -> Outcome:
    """Read and check an uploaded synthetic file on the worker (``core.runs.compute_import``)."""
    return _outcome(job_id, compute_import, inputs, _import_failure)


def _import_failure(exc: BaseException) -> str:
    if isinstance(exc, SynthreviewError):  # the refusal with every problem it lists
        problems = getattr(exc, "problems", None) or []
        return " ".join([getattr(exc, "message", str(exc)), *problems])
    return f"The file could not be imported: {type(exc).__name__}: {exc}"[:500]


def run_audit(job_id: str, inputs: AuditInputs) -> Outcome:
    """Audit the run's generator on the worker (``core.audit.compute_audit``)."""
    # deferred: the audit loads scikit-learn's attack models; an evaluation's owner need not
    from core.audit.stored import compute_audit

    return _outcome(job_id, compute_audit, inputs, _audit_failure)


def _audit_failure(exc: BaseException) -> str:
    if isinstance(exc, SynthreviewError):
        return getattr(exc, "message", str(exc))
    return f"The generator audit failed: {type(exc).__name__}: {exc}"[:500]


def _evaluation_failure(exc: BaseException) -> str:
    if isinstance(exc, SynthreviewError):
        return getattr(exc, "message", str(exc))
    return f"The evaluation failed: {type(exc).__name__}: {exc}"[:500]
