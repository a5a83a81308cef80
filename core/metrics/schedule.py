"""How an evaluation runs its metrics: independent tasks, side by side in a few threads.

A task is the metrics that share inputs (``Metric.shared_inputs``, else the family): they run one
after another in registry order, so each shared input (encoded frames, nearest-neighbour
searches, fitted TSTR/TRTR models, Anonymeter's samples) is computed once through
``ctx.cached``, and always by the same metric, which keeps every value and every sampling note
as in a one-thread run. Tasks run in ``threads`` threads: NumPy, scikit-learn, Numba and Polars
release the GIL in their heavy parts, so on 2 cores two tasks take about the time of one.

Example: Anonymeter's linkability and inference attacks (one task: they seed NumPy's global
random state, so neither may run beside the other) run in one thread while the utility models
are fitted in the other.

Heavier tasks start first (``PRIORITY``), so no long task is left for the end; a task not
listed there starts after them, in registry order.

Threads share one process's GIL, and on Adult two threads took about the time of one. A caller
on a Dask worker passes a ``runner`` instead (``core.jobs.fanout``): each task then runs in a
worker process of its own through :func:`run_task`, on a fresh copy of the context (an empty
cache: a shared input two tasks both read, such as Anonymeter's samples, is computed in each,
with the same seed, so the values are those of one thread), and its samples come back with its
values. A table larger than ``config.max_rows`` stays in the threads of one process (its copies
would not fit a second worker's memory).
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass

from threadpoolctl import threadpool_limits

from core.errors import UserInputError
from core.metrics.context import EvalContext
from core.metrics.metric import Metric
from core.metrics.value import MetricValue

THREADS_ENV = "SYNTHREVIEW_EVAL_THREADS"
MAX_DEFAULT_THREADS = 4
MAX_LARGE_THREADS = 2  # tables larger than max_rows: the peak memory grows with each thread
# Longest first on Adult (bench/profile_eval.py measures them, 2026-12-05, seconds alone): the
# detection classifier 3.6, fidelity (alpha-precision, pMSE...) 3.3, Anonymeter's linkability and
# inference 1.8, the nearest-neighbour searches 2.0, Anonymeter's singling out 1.8, the utility
# models with the fairness figures on them 1.8, the group fidelity 0.7. With the two longest
# first on two workers, the rest fill in around them.
PRIORITY = ("detection", "fidelity", "anonymeter", "privacy", "singling_out", "utility",
            "fairness")

MSG_BAD_THREADS = (
    "SYNTHREVIEW_EVAL_THREADS is {value!r}; it must be a whole number of at least 1. Set it to "
    "e.g. 2, or unset it for the default (the cores, at most 4)."
)


def eval_threads(env: dict[str, str] | None = None, ctx: EvalContext | None = None) -> int:
    """Threads an evaluation uses: ``SYNTHREVIEW_EVAL_THREADS``, else the cores (at most 4).

    Without the setting, a table of more than ``config.max_rows`` rows is evaluated in at most
    ``MAX_LARGE_THREADS`` threads: there every metric samples ``max_rows`` rows and holds large
    intermediates. The 1,000,000-row report (``python -m bench.large``) peaks at 2.9 GiB in one
    thread and 3.2 GiB in two, under a worker's default memory limit
    (``SYNTHREVIEW_DASK_MEMORY``, 4 GiB); before the group labels shared their strings two
    threads took it to 4.6 GiB.
    """
    if ctx is None:
        return threads_for_rows(None, None, env)
    return threads_for_rows(max(len(ctx.real), len(ctx.holdout), len(ctx.synthetic)),
                            ctx.config.max_rows, env)


def threads_for_rows(rows: int | None, max_rows: int | None,
                     env: dict[str, str] | None = None) -> int:
    """:func:`eval_threads` for tables of at most ``rows`` rows (``None``: any size).

    Raises:
        UserInputError: ``SYNTHREVIEW_EVAL_THREADS`` is not a whole number of at least 1.
    """
    env = os.environ if env is None else env
    raw = env.get(THREADS_ENV, "").strip()
    if not raw:
        cores = max(1, min(MAX_DEFAULT_THREADS, os.cpu_count() or 1))
        if rows is not None and max_rows is not None and rows > max_rows:
            return min(MAX_LARGE_THREADS, cores)
        return cores
    try:
        value = int(raw)
    except ValueError:
        value = 0
    if value < 1:
        raise UserInputError(MSG_BAD_THREADS.format(value=raw))
    return value


@dataclass(frozen=True)
class Task:
    """Metrics that share inputs, run in registry order in one thread."""

    name: str
    metrics: tuple[Metric, ...]


@dataclass(frozen=True)
class Done:
    """What one metric returned and how long it took (seconds, in its thread)."""

    rows: list[MetricValue]
    seconds: float


@dataclass(frozen=True)
class TaskResult:
    """One task's values by metric key, and the samples it drew (``EvalContext.sampling``)."""

    done: dict[str, Done]
    sampling: tuple[tuple[str | None, int, int, str], ...]


# Runs the tasks elsewhere and yields each with its result as it finishes; closing the iterator
# (the job was cancelled) drops the tasks not yet finished.
TaskRunner = Callable[[EvalContext, Sequence[Task]], Iterator[tuple[Task, TaskResult]]]


def run_task(ctx: EvalContext, task: Task) -> TaskResult:
    """Run one task in this process on a fresh copy of ``ctx`` (what a sibling worker runs).

    OpenMP keeps one thread, as beside another task in threads: the other tasks run in the
    other worker processes on the same cores.
    """
    own = ctx.fresh()
    with threadpool_limits(limits=1, user_api="openmp"):
        done = _run_task(own, task)
    return TaskResult(done, tuple(own.sampling))


def task_name(metric: Metric) -> str:
    """The task a metric runs in: its shared inputs, else its family."""
    return metric.shared_inputs or metric.family


def plan(metrics: Sequence[Metric]) -> list[Task]:
    """The tasks of ``metrics``, heaviest first (``PRIORITY``), the rest in registry order."""
    groups: dict[str, list[Metric]] = {}
    for m in metrics:
        groups.setdefault(task_name(m), []).append(m)
    rank = {name: i for i, name in enumerate(PRIORITY)}
    order = sorted(groups, key=lambda name: (rank.get(name, len(PRIORITY)),
                                             list(groups).index(name)))
    return [Task(name, tuple(groups[name])) for name in order]


def _run_task(ctx: EvalContext, task: Task) -> dict[str, Done]:
    out = {}
    for metric in task.metrics:
        t0 = time.perf_counter()
        rows = metric.run(ctx)
        out[metric.key] = Done(rows, time.perf_counter() - t0)
    return out


def run_metrics(
    ctx: EvalContext,
    metrics: Sequence[Metric],
    threads: int | None = None,
    on_task_done: Callable[[int, int, str], None] | None = None,
    runner: TaskRunner | None = None,
) -> dict[str, Done]:
    """Compute ``metrics`` in their tasks, ``threads`` at a time; results by metric key.

    Args:
        ctx: The evaluation context (its cache is shared by all tasks).
        metrics: The metrics to compute (each key once).
        threads: Threads to use (default :func:`eval_threads` for ``ctx``); 1 runs every task
            in this one.
        on_task_done: Called in this thread as ``(tasks done, tasks, task name)`` after each
            task; an exception it raises (a cancelled job) stops the evaluation: tasks not yet
            started are dropped, running ones finish and are discarded.
        runner: Runs the tasks in other processes (``core.jobs.fanout``); used when there is
            more than one task and the tables are at most ``config.max_rows`` rows, else
            ``threads`` threads. The samples the tasks drew are added to ``ctx.sampling``.

    Returns:
        ``{metric key: Done}``; put them in order with the caller's own list.
    """
    tasks = plan(metrics)
    out: dict[str, Done] = {}
    rows = max(len(ctx.real), len(ctx.holdout), len(ctx.synthetic))
    if runner is not None and len(tasks) > 1 and rows <= ctx.config.max_rows:
        finished = runner(ctx, tasks)
        try:
            for i, (task, result) in enumerate(finished):
                out.update(result.done)
                ctx.sampling.extend(result.sampling)
                if on_task_done is not None:
                    on_task_done(i + 1, len(tasks), task.name)
        finally:
            close = getattr(finished, "close", None)
            if close is not None:
                close()
        return out
    threads = eval_threads(ctx=ctx) if threads is None else threads
    if threads <= 1 or len(tasks) <= 1:
        for i, task in enumerate(tasks):
            out.update(_run_task(ctx, task))
            if on_task_done is not None:
                on_task_done(i + 1, len(tasks), task.name)
        return out
    # One OpenMP thread per task thread: more would spin-wait against each other on a busy
    # machine (the fits set the same limit; set here, their own limit never restores more).
    with threadpool_limits(limits=1, user_api="openmp"):
        pool = ThreadPoolExecutor(max_workers=min(threads, len(tasks)),
                                  thread_name_prefix="metrics")
        try:
            pending: dict[Future, Task] = {pool.submit(_run_task, ctx, t): t for t in tasks}
            done_count = 0
            while pending:
                finished, _ = wait(pending, return_when=FIRST_COMPLETED)
                for future in finished:
                    task = pending.pop(future)
                    out.update(future.result())
                    done_count += 1
                    if on_task_done is not None:
                        on_task_done(done_count, len(tasks), task.name)
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
    return out
