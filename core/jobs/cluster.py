"""Where jobs run: a team's Dask scheduler, or an embedded ``LocalCluster`` of worker processes.

``SYNTHREVIEW_DASK_SCHEDULER=tcp://host:8786`` points every process at a team's cluster; without
it, the first job starts a ``LocalCluster`` on 127.0.0.1 (no dashboard, hosted by a child
process: ``core/jobs/local_cluster.py``) with
``SYNTHREVIEW_DASK_WORKERS`` worker processes (default: cores - 1, at least 2) of one thread each,
each limited to ``SYNTHREVIEW_DASK_MEMORY`` (default 4GiB). Either way the same ``Client`` API is
used. One client per process and settings (the app's job manager and the CLI share it).
"""

from __future__ import annotations

import atexit
import os
import subprocess
import sys
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from core.errors import UserInputError

SCHEDULER_ENV = "SYNTHREVIEW_DASK_SCHEDULER"
WORKERS_ENV = "SYNTHREVIEW_DASK_WORKERS"
MEMORY_ENV = "SYNTHREVIEW_DASK_MEMORY"
DEFAULT_MEMORY = "4GiB"

MSG_BAD_WORKERS = (
    "SYNTHREVIEW_DASK_WORKERS is {value!r}; it must be a whole number of at least 1. Set it to "
    "e.g. 1, or unset it for the default (cores - 1, at least 2)."
)
MSG_NO_SCHEDULER = (
    "Could not reach the Dask scheduler at {address!r} ({detail}). Start it (dask scheduler), "
    "check SYNTHREVIEW_DASK_SCHEDULER, or unset it to use workers on this machine."
)


def default_workers() -> int:
    """Cores - 1 (one core stays free for the app or the CLI), at least 2.

    Two, even on two cores: an evaluation runs its tasks of metrics on both workers side by
    side (``core.jobs.fanout``; the README's jobs section has the figures); and one fit no
    longer waits for another to finish. Each idle, warmed-up worker holds its imports in memory.
    """
    return max(2, (os.cpu_count() or 2) - 1)


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


MSG_LOCAL_FAILED = (
    "The local Dask cluster did not start (exit status {code}). Check that distributed is "
    "installed (make install), or point SYNTHREVIEW_DASK_SCHEDULER at a running scheduler."
)

_LOCK = threading.Lock()
_CLIENTS: dict[ClusterSettings, tuple[Any, Any]] = {}  # settings -> (Client, host process|None)
_ROOT = Path(__file__).resolve().parents[2]


def _start_local(settings: ClusterSettings) -> tuple[str, subprocess.Popen]:
    # The cluster lives in a child process (core/jobs/local_cluster.py says why).
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(_ROOT), env.get("PYTHONPATH")) if p)
    proc = subprocess.Popen(
        [sys.executable, "-m", "core.jobs.local_cluster", str(settings.workers),
         settings.memory_limit], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
        env=env, cwd=str(_ROOT),
    )
    address = (proc.stdout.readline() if proc.stdout else "").strip()
    if not address:
        code = proc.wait(timeout=30)
        raise UserInputError(MSG_LOCAL_FAILED.format(code=code))
    return address, proc


def load_client_library() -> None:
    """Import Dask's client library now, on the calling thread.

    A Streamlit script thread inserts its page's folder at the head of ``sys.path`` and removes
    it when the run ends; an import on another thread that walks ``sys.path`` at that moment can
    skip an entry and report an installed package missing (CI once saw a job fail with "No module
    named 'distributed'"). The job manager calls this where it is created, so its job threads
    never import the package themselves.
    """
    import distributed  # noqa: F401  (loaded for its side effect: in sys.modules from now on)


def connect(settings: ClusterSettings | None = None) -> Any:
    """The process's Dask ``Client`` for ``settings`` (started on first use, then reused).

    Raises:
        UserInputError: the configured scheduler cannot be reached, or the local one did not start.
    """
    from distributed import Client  # deferred: only processes that run jobs load distributed

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
        address, proc = _start_local(settings)
        client = Client(address, set_as_default=False)
        _CLIENTS[settings] = (client, proc)
        return client


def close_all(wait: bool = True) -> None:
    """Close every client and stop the local clusters this process started.

    ``wait=False`` (the CLI, once its job is stored): tell each host to stop its cluster and
    return at once; the host stops its workers and exits on its own, without holding the
    command's exit back for the seconds that takes.
    """
    with _LOCK:
        items = list(_CLIENTS.values())
        _CLIENTS.clear()
    for client, proc in items:
        client.close()
        if proc is not None:
            proc.stdin.close()  # the host stops its cluster when its stdin closes
            if not wait:
                continue
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()


atexit.register(close_all)
