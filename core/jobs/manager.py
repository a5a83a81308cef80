"""The job manager of the process that owns the database: submit, follow, store, cancel.

``submit_*`` checks the request in the caller's thread (a bad parameter raises
``UserInputError`` at once and stores nothing), records the job ``queued`` and returns its id.
A small thread per job then sends the inputs to a Dask worker, copies the worker's progress into
the job row (its own cursor), and stores the result in the owner process only when the future
completed. Cancel cancels the future; nothing of a cancelled job is stored.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from core.errors import SynthreviewError
from core.jobs import handlers
from core.jobs import requests as mailbox
from core.jobs.cluster import ClusterSettings, connect, load_client_library
from core.jobs.worker import (
    PROGRESS,
    STARTED,
    JobCancelledError,
    JobFailedError,
    Outcome,
    topic,
)
from core.metrics.config import EvalConfig
from core.store import Store
from core.store import jobs as q

if TYPE_CHECKING:
    from core.evaluation import EvalPlan

log = logging.getLogger(__name__)

MSG_CANCELLED = "Cancelled by {who}."
MSG_WORKER_LOST = (
    "The Dask worker running this job stopped ({detail}); a common cause is running out of "
    "memory (the limit is SYNTHREVIEW_DASK_MEMORY per worker). Try fewer rows or epochs, or "
    "raise the limit."
)
MSG_RESTARTED = "(started again: its first worker stopped) "
MSG_DROPPED = "the cluster dropped the step ({status}), with the data it held"
MSG_BUG = "The job stopped on an unexpected error: {kind}: {text}"
REQUEST_POLL_S = 0.5
MSG_NOT_ACTIVE = "Job '{id}' is {state}; only a queued or running job can be cancelled."


class JobContext:
    """What a handler uses: the store, progress, and ``compute`` on a Dask worker."""

    def __init__(self, manager: JobManager, job_id: str, cancel: threading.Event) -> None:
        self.manager = manager
        self.store = manager.store
        self.job_id = job_id
        self._cancel = cancel
        self._last: tuple[float, str] | None = None
        self._seen = 0  # events of the job's topic already read

    def running(self, worker: str | None = None) -> None:
        """Mark the job running (on ``worker``, when known)."""
        q.set_running(self.store, self.job_id, worker)

    def progress(self, fraction: float, message: str) -> None:
        """Record progress (only when it changed)."""
        if self._last != (fraction, message):
            self._last = (fraction, message)
            q.set_progress(self.store, self.job_id, fraction, message)

    def check_cancelled(self) -> None:
        """Raise :class:`JobCancelledError` once a cancel was asked for."""
        if self._cancel.is_set():
            raise JobCancelledError(self.job_id)

    def compute(
        self, fn: Callable[..., Outcome], inputs: Any, stage: str,
        span: tuple[float, float] = (0, 1), prefix: str = "",
    ) -> Any:
        """Run ``fn(job_id, inputs)`` on a worker; follow its progress; return its value.

        A worker that dies while it runs the step (killed, out of memory, its machine lost) takes
        the step's inputs with it; the step is started once more from the beginning, with the
        inputs sent again, and the job's message says so. A second loss fails the job.

        Raises:
            JobCancelledError: cancelled (the future is cancelled; nothing comes back).
            JobFailedError: the work failed (``Outcome.error``) or the worker was lost twice.
        """
        self._seen = 0
        try:
            outcome = self._attempt(fn, inputs, stage, span, prefix, 1)
        except _WorkerLostError as first:
            log.warning("job %s: worker lost (%s); starting the step again", self.job_id,
                        first.detail)
            try:
                outcome = self._attempt(fn, inputs, stage, span, MSG_RESTARTED + prefix, 2)
            except _WorkerLostError as second:
                raise JobFailedError(MSG_WORKER_LOST.format(detail=second.detail)) from None
        if outcome.cancelled:
            raise JobCancelledError(self.job_id)
        if outcome.error is not None:
            if outcome.detail:
                log.error("job %s failed on a worker:\n%s", self.job_id, outcome.detail)
            raise JobFailedError(outcome.error)
        return outcome.value

    def _attempt(self, fn: Callable[..., Outcome], inputs: Any, stage: str,
                 span: tuple[float, float], prefix: str, attempt: int) -> Outcome:
        self.check_cancelled()
        client = self.manager.client()
        data = client.scatter(inputs, hash=False)
        key = task_key(self.job_id, stage) + ("" if attempt == 1 else f"-{attempt}")
        future = client.submit(fn, self.job_id, data, key=key, pure=False)
        lo, hi = span
        if attempt > 1:
            self.progress(lo, prefix + "starting")
        try:
            while True:
                if self._cancel.is_set():
                    future.cancel()
                    raise JobCancelledError(self.job_id)
                done = future.done()
                events = client.get_events(topic(self.job_id))
                for _, msg in events[self._seen:]:
                    if msg.get("kind") == STARTED:
                        self.running(msg.get("worker"))
                    elif msg.get("kind") == PROGRESS:
                        self.progress(lo + (hi - lo) * float(msg["fraction"]),
                                      prefix + str(msg["message"]))
                self._seen = len(events)
                if done:
                    break
                time.sleep(self.manager.poll_seconds)
            if future.status == "error":
                exc = future.exception()
                raise _WorkerLostError(f"{type(exc).__name__}: {exc}"[:300])
            if future.status != "finished":  # its inputs went with a dead worker
                raise _WorkerLostError(MSG_DROPPED.format(status=future.status))
            return future.result()
        finally:
            data.release()


class _WorkerLostError(Exception):
    """A step's worker (or the data it held) was lost; ``detail`` says how."""

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


def task_key(job_id: str, stage: str) -> str:
    """The Dask key of a job's stage (``generate`` or ``evaluate``): one per job and stage."""
    return f"synthreview-{stage}-{job_id}"


class JobManager:
    """One per process that owns the store (the app caches it; the CLI makes one per command).

    Args:
        store: The open store (this process is its only writer).
        settings: Where to run (default: from the environment).
        poll_seconds: How often each job thread reads the worker's progress.
        serve_requests: Answer ``jobs cancel`` / ``jobs list`` sent by other processes of this
            machine, which cannot open the database while this process holds it
            (``core.jobs.requests``); on for a store in a file.
    """

    def __init__(self, store: Store, settings: ClusterSettings | None = None,
                 poll_seconds: float = 0.3, serve_requests: bool = True) -> None:
        self.store = store
        self.settings = settings or ClusterSettings.from_env()
        self.poll_seconds = poll_seconds
        load_client_library()  # here, not in a job thread: see load_client_library
        self._lock = threading.Lock()
        self._active: dict[str, tuple[threading.Thread, threading.Event, list[str]]] = {}
        self._stop = threading.Event()
        self._watcher: threading.Thread | None = None
        if serve_requests and not getattr(store, "read_only", False):
            self._watcher = threading.Thread(target=self._serve, name="job-requests",
                                             daemon=True)
            self._watcher.start()

    # -- requests from other processes ------------------------------------------------------
    def _serve(self) -> None:
        while not self._stop.wait(REQUEST_POLL_S):
            try:
                for nonce, request in mailbox.claim(self.store.path):
                    mailbox.reply(self.store.path, nonce, self.answer(request))
            except Exception:  # never let the watcher die: log and go on
                log.exception("answering job requests failed")

    def answer(self, request: dict[str, Any]) -> dict[str, Any]:
        """The answer to one request from another process (``core.jobs.requests``)."""
        from core.errors import UserInputError

        action = request.get("action")
        try:
            if action == mailbox.CANCEL:
                who = str(request.get("who") or "another process")
                return {"job": self.cancel(str(request.get("job")), who).to_dict()}
            if action == mailbox.LIST:
                return {"jobs": [j.to_dict() for j in q.list_jobs(self.store)]}
        except UserInputError as exc:
            return {"error": exc.message}
        return {"error": f"Unknown request {action!r}."}

    def client(self) -> Any:
        """The Dask client (a local cluster is started on first use)."""
        return connect(self.settings)

    def warm_up(self) -> threading.Thread:
        """Connect (start the local cluster) in the background; return the thread.

        The CLI calls it before it reads a job's rows, so the cluster and its workers start
        meanwhile. A failure here is left for the job's own ``client()`` call to report.
        """
        def connect_quietly() -> None:
            try:
                self.client()
            except Exception:  # the job's client() raises it again, as a job failure
                log.debug("warm-up connect failed", exc_info=True)

        thread = threading.Thread(target=connect_quietly, name="jobs-warm-up", daemon=True)
        thread.start()
        return thread

    # -- submitting -------------------------------------------------------------------------
    def submit_generate(
        self, dataset_id: str, generator: str, *, n_rows: int | None = None, seed: int = 0,
        params: dict[str, Any] | None = None, started_by: str | None = None,
    ) -> str:
        """Queue a fit; return the job id. Bad parameters raise ``UserInputError`` (no job)."""
        from core.runs import prepare_generate

        inputs = prepare_generate(self.store, dataset_id, generator, n_rows=n_rows, seed=seed,
                                  params=params)
        job_inputs = {"dataset_id": dataset_id, "generator": inputs.generator,
                      "n_rows": inputs.n_rows, "seed": seed, "params": inputs.params}
        return self._start("generate", job_inputs, started_by, handlers.generate_job, inputs)

    def submit_import(
        self, dataset_id: str, data: bytes, file_name: str, *, limits: Any = None,
        started_by: str | None = None,
    ) -> str:
        """Queue the import of a synthetic file made elsewhere; return the job id.

        An unknown dataset or a file over the size limit raises ``UserInputError`` (no job); a
        file that does not fit the dataset's columns fails the job with the reason.
        """
        from core.runs import prepare_import

        inputs = prepare_import(self.store, dataset_id, data, file_name, limits)
        job_inputs = {"dataset_id": dataset_id, "file_name": file_name, "bytes": len(data)}
        return self._start("import", job_inputs, started_by, handlers.import_job, inputs)

    def submit_evaluate(
        self, run_id: str, policy: str, *, config: EvalConfig | None = None, force: bool = False,
        started_by: str | None = None, plan: EvalPlan | None = None,
    ) -> str:
        """Queue an evaluation; a stored report for the same inputs completes it at once.

        ``plan``: what ``prepare_evaluation`` returned for the same arguments, when the caller
        has it already (the rows are then not read a second time).
        """
        from core.evaluation import prepare_evaluation

        if plan is None:
            plan = prepare_evaluation(self.store, run_id, policy, config, force)
        job_inputs = {"run_id": run_id, "policy": policy, "force": force,
                      "config": (config or EvalConfig()).to_dict()}
        return self._start("evaluate", job_inputs, started_by, handlers.evaluate_job, plan)

    def submit_audit(
        self, run_id: str, *, targets: int | None = None, shadows: int | None = None,
        budget_s: float | None = None, started_by: str | None = None,
    ) -> str:
        """Queue a generator audit of a run (``core.audit``); bad sizes raise at once."""
        from core.audit.stored import prepare_audit

        inputs = prepare_audit(self.store, run_id, targets=targets, shadows=shadows,
                               budget_s=budget_s)
        job_inputs = {"run_id": run_id, "report_id": inputs.report_id, "targets": inputs.targets,
                      "shadows": inputs.shadows, "budget_s": inputs.budget_s}
        return self._start("audit", job_inputs, started_by, handlers.audit_job, inputs)

    def submit_demo(self, started_by: str | None = None) -> str:
        """Queue the Demo build, or return the one already queued or running."""
        for job in q.list_jobs(self.store, kind="demo", limit=5):
            if job.is_active and self.is_running_here(job.id):
                return job.id
        return self._start("demo", {}, started_by, handlers.demo_job)

    def _start(self, kind: str, inputs: dict[str, Any], started_by: str | None,
               handler: Callable[..., str], *args: Any) -> str:
        job_id = q.create_job(self.store, kind, inputs, started_by)
        cancel = threading.Event()
        who: list[str] = []
        thread = threading.Thread(target=self._run, args=(job_id, cancel, who, handler, args),
                                  name=f"job-{kind}-{job_id}", daemon=True)
        with self._lock:
            self._active[job_id] = (thread, cancel, who)
        thread.start()
        return job_id

    def _run(self, job_id: str, cancel: threading.Event, who: list[str],
             handler: Callable[..., str], args: tuple) -> None:
        ctx = JobContext(self, job_id, cancel)
        try:
            result_id = handler(ctx, *args)
            q.finish_job(self.store, job_id, q.COMPLETE, result_id=result_id)
        except JobCancelledError:
            q.finish_job(self.store, job_id, q.CANCELLED,
                         error=MSG_CANCELLED.format(who=who[0] if who else "someone"))
        except JobFailedError as exc:
            q.finish_job(self.store, job_id, q.FAILED, error=exc.message,
                         result_id=exc.result_id)
        except SynthreviewError as exc:
            q.finish_job(self.store, job_id, q.FAILED, error=getattr(exc, "message", str(exc)))
        except Exception as exc:  # a bug: recorded in plain words, logged with its traceback
            log.exception("job %s failed", job_id)
            q.finish_job(self.store, job_id, q.FAILED,
                         error=MSG_BUG.format(kind=type(exc).__name__, text=str(exc)[:300]))
        finally:
            with self._lock:
                self._active.pop(job_id, None)

    # -- following and cancelling -----------------------------------------------------------
    def is_running_here(self, job_id: str) -> bool:
        """True while this process's thread follows the job."""
        with self._lock:
            return job_id in self._active

    def cancel(self, job_id: str, who: str) -> q.JobInfo:
        """Cancel a queued or running job; return it once it is no longer active.

        Raises:
            UserInputError: the job is not queued or running.
        """
        from core.errors import UserInputError

        job = q.get_job(self.store, job_id)
        if not job.is_active:
            raise UserInputError(MSG_NOT_ACTIVE.format(id=job_id, state=job.state))
        with self._lock:
            entry = self._active.get(job_id)
        if entry is None:  # no thread follows it here: nothing can finish it but this
            q.finish_job(self.store, job_id, q.CANCELLED, error=MSG_CANCELLED.format(who=who))
            return q.get_job(self.store, job_id)
        thread, event, names = entry
        names.append(who)
        event.set()
        thread.join(timeout=30)
        return q.get_job(self.store, job_id)

    def wait(self, job_id: str, progress: Callable[[float, str], None] | None = None,
             timeout: float | None = None) -> q.JobInfo:
        """Block until the job is no longer active, reporting progress; return it."""
        deadline = None if timeout is None else time.monotonic() + timeout
        last = None
        while True:
            job = q.get_job(self.store, job_id)
            if progress is not None and (job.progress, job.message) != last and job.is_active:
                last = (job.progress, job.message)
                progress(job.progress, job.message or job.state)
            if not job.is_active:
                with self._lock:
                    entry = self._active.get(job_id)
                if entry is not None:
                    entry[0].join(timeout=5)
                return job
            if deadline is not None and time.monotonic() > deadline:
                return job
            time.sleep(0.2)

    def stop_serving(self) -> None:
        """Stop answering requests from other processes (jobs already running go on)."""
        self._stop.set()

    def shutdown(self, timeout: float = 10) -> None:
        """Cancel what is still active and wait for the job threads (the CLI, at exit)."""
        self._stop.set()
        with self._lock:
            entries = list(self._active.values())
        for _, event, names in entries:
            names.append("shutdown")
            event.set()
        for thread, _, _ in entries:
            thread.join(timeout=timeout)
