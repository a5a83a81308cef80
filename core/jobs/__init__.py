"""Jobs: a fit, an evaluation, a generator audit or the Demo build, run by Dask workers.

``JobManager`` (one per process owning the database) submits the work and stores the results;
``core.jobs.worker`` holds what runs on a worker; ``core.jobs.cluster`` says where that is.

The names below are loaded on first use: ``python -m core.jobs.local_cluster`` (the process
hosting the embedded cluster, whose module every worker process imports again) then starts
without importing pandas, SDV and every metric first.
"""

from __future__ import annotations

import importlib
from typing import Any

_WHERE = {
    "ClusterSettings": "core.jobs.cluster", "close_all": "core.jobs.cluster",
    "connect": "core.jobs.cluster", "JobManager": "core.jobs.manager",
    "STATES": "core.store.jobs", "JobInfo": "core.store.jobs", "get_job": "core.store.jobs",
    "jobs_signature": "core.store.jobs", "list_jobs": "core.store.jobs",
}

__all__ = ["STATES", "ClusterSettings", "JobInfo", "JobManager", "close_all", "connect",
           "get_job", "jobs_signature", "list_jobs"]


def __getattr__(name: str) -> Any:
    """``from core.jobs import JobManager``: import the defining module on first use."""
    if name not in _WHERE:
        raise AttributeError(f"module 'core.jobs' has no attribute {name!r}")
    return getattr(importlib.import_module(_WHERE[name]), name)
