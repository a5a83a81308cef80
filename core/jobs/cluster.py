"""Where jobs run: a team's Dask scheduler, or an embedded ``LocalCluster`` of worker processes.

``SYNTHREVIEW_DASK_SCHEDULER=tcp://host:8786`` points every process at a team's cluster; without
it, the first job starts a ``LocalCluster`` on 127.0.0.1 (no dashboard) with
``SYNTHREVIEW_DASK_WORKERS`` worker processes (default: cores - 1, at least 1) of one thread each,
each limited to ``SYNTHREVIEW_DASK_MEMORY`` (default 4GiB). Either way the same ``Client`` API is
used. One client per process and settings (the app's job manager and the CLI share it).
"""

from __future__ import annotations

import atexit
import logging
import os
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from core.errors import UserInputError

SCHEDULER_ENV = "SYNTHREVIEW_DASK_SCHEDULER"
WORKERS_ENV = "SYNTHREVIEW_DASK_WORKERS"
MEMORY_ENV = "SYNTHREVIEW_DASK_MEMORY"
DEFAULT_MEMORY = "4GiB"
LOCAL_HOST = "127.0.0.1"

MSG_BAD_WORKERS = (
    "SYNTHREVIEW_DASK_WORKERS is {value!r}; it must be a whole number of at least 1. Set it to "
    "e.g. 1, or unset it for the default (cores - 1)."
)
MSG_NO_SCHEDULER = (
    "Could not reach the Dask scheduler at {address!r} ({detail}). Start it (dask scheduler), "
    "check SYNTHREVIEW_DASK_SCHEDULER, or unset it to use workers on this machine."
)


def default_workers() -> int:
    """Cores - 1, at least 1: one core stays free for the app (or the CLI) itself."""
    return max(1, (os.cpu_count() or 2) - 1)


@dataclass(frozen=True)
class ClusterSettings:
    """Where jobs run: ``scheduler`` (a team's cluster) or a local cluster of ``workers``."""

    scheduler: str | None = None
    workers: int = 1
    memory_limit: str = DEFAULT_MEMORY

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> ClusterSettings:
        """Settings from the environment (see the module docstring)."""
        env = os.environ if env is None else env
        raw = env.get(WORKERS_ENV, "").strip()
        if raw:
            try:
                workers = int(raw)
            except ValueError:
                workers = 0
            if workers < 1:
                raise UserInputError(MSG_BAD_WORKERS.format(value=raw))
        else:
            workers = default_workers()
        return cls(scheduler=env.get(SCHEDULER_ENV, "").strip() or None, workers=workers,
                   memory_limit=env.get(MEMORY_ENV, "").strip() or DEFAULT_MEMORY)


_LOCK = threading.Lock()
_CLIENTS: dict[ClusterSettings, tuple[Any, Any]] = {}  # settings -> (Client, LocalCluster|None)


def connect(settings: ClusterSettings | None = None) -> Any:
    """The process's Dask ``Client`` for ``settings`` (started on first use, then reused).

    Raises:
        UserInputError: the configured scheduler cannot be reached.
    """
    from distributed import Client, LocalCluster  # deferred: only processes that run jobs

    settings = settings or ClusterSettings.from_env()
    with _LOCK:
        found = _CLIENTS.get(settings)
        if found is not None and found[0].status == "running":
            return found[0]
        if settings.scheduler:
            try:
                client = Client(settings.scheduler, timeout="10s", set_as_default=False)
            except (OSError, TimeoutError) as exc:
                raise UserInputError(MSG_NO_SCHEDULER.format(
                    address=settings.scheduler, detail=str(exc)[:200])) from None
            _CLIENTS[settings] = (client, None)
            return client
        cluster = LocalCluster(
            n_workers=settings.workers, threads_per_worker=1, processes=True,
            memory_limit=settings.memory_limit, host=LOCAL_HOST, dashboard_address=None,
            silence_logs=logging.ERROR,
        )
        client = Client(cluster, set_as_default=False)
        _CLIENTS[settings] = (client, cluster)
        return client


def close_all() -> None:
    """Close every client (and stop local clusters) this process started."""
    with _LOCK:
        items = list(_CLIENTS.values())
        _CLIENTS.clear()
    for client, cluster in items:
        client.close()
        if cluster is not None:
            cluster.close()


atexit.register(close_all)
