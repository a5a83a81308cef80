"""Follow a job from a terminal: a progress bar on stderr; Ctrl-C cancels the job.

Used by every CLI command that runs a job (``generate``, ``import`` and ``evaluate`` in
``core/cli.py``, ``audit`` in ``core/cli_audit.py``).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

BAR_WIDTH = 30


def terminal_progress(enabled: bool) -> Callable[[float, str], None] | None:
    """A callback drawing ``[#####.....]  50% message`` on stderr (None when not a terminal)."""
    if not enabled:
        return None
    last = {"text": ""}

    def show(fraction: float, message: str) -> None:
        done = int(BAR_WIDTH * fraction)
        text = f"\r[{'#' * done}{'.' * (BAR_WIDTH - done)}] {fraction:4.0%} {message}"
        if text != last["text"]:
            sys.stderr.write(text.ljust(70))
            sys.stderr.flush()
            last["text"] = text
        if fraction >= 1.0:
            sys.stderr.write("\n")

    return show


def follow(manager: Any, job_id: str, who: str = "cli (Ctrl-C)") -> Any:
    """Wait for a job with the progress bar (on a terminal); Ctrl-C cancels it.

    Returns:
        The finished job (``core.jobs.JobInfo``). The manager is shut down afterwards.
    """
    try:
        return manager.wait(job_id, progress=terminal_progress(sys.stderr.isatty()))
    except KeyboardInterrupt:
        manager.cancel(job_id, who)
        raise
    finally:
        manager.shutdown()
        from core.jobs.cluster import close_all

        close_all(wait=False)  # the cluster stops on its own; the command need not wait
