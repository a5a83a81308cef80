"""``python -m core.jobs.local_cluster WORKERS MEMORY``: host the embedded LocalCluster.

The app's (or the CLI's) process starts this as a child and connects with ``Client(address)``,
exactly as it would to a team's scheduler. Hosting the cluster in its own process keeps the
worker processes clean: Python's ``spawn`` re-imports the parent's ``__main__`` in every new
process, and in a Streamlit server ``__main__`` is whichever page script is running.
Each worker starts with ``core.jobs.warmup`` as a preload: it imports every metric and loads
the compiled kernels before it takes a job, while the parent still reads the job's rows.
Prints the scheduler's address, then runs until its standard input closes (the parent exited,
or was killed), and stops the cluster.
"""

from __future__ import annotations

import logging
import sys

LOCAL_HOST = "127.0.0.1"
# A task whose worker died fails at once (KilledWorker): the job manager starts the step again
# itself, with its inputs sent again, since they died with the worker (core/jobs/manager.py).
ALLOWED_FAILURES = 0
# Dask's statistical profiler samples every worker thread's stack every 10 ms, holding the GIL;
# nothing reads those profiles here (no dashboard). Off, the Adult evaluation's whole CLI process
# took 17.96 s instead of 18.35 s (farm-bench, 4 pairs, every pair faster).
WORKER_CONFIG = {"distributed.worker.profile.enabled": False}


def main(argv: list[str]) -> int:
    """Start the cluster, print its address, wait for stdin to close, stop it."""
    import dask
    from distributed import LocalCluster

    dask.config.set({"distributed.scheduler.allowed-failures": ALLOWED_FAILURES, **WORKER_CONFIG})
    workers, memory = int(argv[0]), argv[1]
    cluster = LocalCluster(
        n_workers=workers, threads_per_worker=1, processes=True, memory_limit=memory,
        host=LOCAL_HOST, dashboard_address=None, silence_logs=logging.ERROR,
        preload=["core.jobs.warmup"],
    )
    print(cluster.scheduler_address, flush=True)
    try:
        sys.stdin.read()
    finally:
        cluster.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
