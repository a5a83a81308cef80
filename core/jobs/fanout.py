"""An evaluation's tasks of metrics as sibling Dask tasks, one worker process each, side by side.

The evaluation job runs on one worker. Its tasks of metrics (``core.metrics.schedule``) share
nothing across tasks, so instead of running them in threads of that one process (where they
share its GIL: on Adult two threads took about the time of one) it sends each to a worker of its
own: the job's thread secedes (``worker_client``), the context goes once to each worker used,
and each worker runs one task at a time, heaviest first, as a thread pool would. Only idle
workers are used (the job's own and any worker running nothing), so an evaluation never waits
behind another job's fit; with fewer than two the tasks run in threads as before.

A sibling whose worker is lost (killed, out of memory) is computed again here, in the job's
process: a task's values depend only on the context and the config's seed. Closing the
iterator (the job was cancelled) cancels the siblings still running; nothing they compute
comes back.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from core.metrics.context import EvalContext
from core.metrics.schedule import Task, TaskResult, TaskRunner, run_task

MIN_SLOTS = 2  # below this the tasks run in threads of the job's own process


def sibling_runner() -> TaskRunner | None:
    """A runner over the idle workers of this job's cluster, or ``None`` (threads).

    ``None`` outside a Dask worker, or when fewer than two worker threads are idle.
    """
    try:
        from distributed import get_client, get_worker

        worker = get_worker()
    except (ImportError, ValueError):
        return None
    slots = idle_slots(get_client(), worker.address)
    if len(slots) < MIN_SLOTS:
        return None

    def run(ctx: EvalContext, tasks: Sequence[Task]) -> Iterator[tuple[Task, TaskResult]]:
        return run_on_siblings(ctx, tasks, slots)

    return run


def idle_slots(client: Any, own: str) -> list[str]:
    """One entry per worker thread that may take a task now: the job's own worker first.

    The job's own worker counts with all its threads (the job's thread secedes while it waits);
    another worker counts only if it runs nothing now.
    """
    threads = client.nthreads()
    busy = client.processing()
    slots = [own] * int(threads.get(own, 1))
    for address in sorted(threads):
        if address != own and not busy.get(address):
            slots.extend([address] * int(threads[address]))
    return slots


def run_on_siblings(
    ctx: EvalContext, tasks: Sequence[Task], slots: Sequence[str]
) -> Iterator[tuple[Task, TaskResult]]:
    """Run ``tasks`` on the workers of ``slots``, one per slot at a time; yield as they finish."""
    from distributed import as_completed, worker_client
    from distributed.worker import thread_state

    prefix = f"{getattr(thread_state, 'key', None) or 'synthreview-evaluate'}-metrics"
    with worker_client() as client:
        data = client.scatter(ctx, workers=sorted(set(slots)), broadcast=True, hash=False)
        pending = list(tasks)
        running: dict[Any, tuple[Task, str]] = {}
        finished = as_completed()

        def start(slot: str) -> None:
            task = pending.pop(0)
            future = client.submit(run_task, data, task, key=f"{prefix}-{task.name}",
                                   workers=[slot], allow_other_workers=True, pure=False)
            running[future] = (task, slot)
            finished.add(future)

        for slot in list(slots)[:len(pending)]:
            start(slot)
        try:
            for future in finished:
                task, slot = running.pop(future)
                yield task, _result(future, ctx, task)
                if pending:
                    start(slot)
        finally:
            if running:
                client.cancel(list(running))
            data.release()


def _result(future: Any, ctx: EvalContext, task: Task) -> TaskResult:
    """A sibling's result; computed here again if its worker (or its copy of ctx) was lost."""
    from distributed.scheduler import KilledWorker

    if future.status == "finished":
        return future.result()
    if future.status == "error":
        exc = future.exception()
        if not isinstance(exc, KilledWorker):
            raise exc
    return run_task(ctx, task)
