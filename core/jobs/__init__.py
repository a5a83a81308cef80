"""Jobs: a fit, an evaluation or the Demo build, run by Dask workers and recorded in the store.

``JobManager`` (one per process owning the database) submits the work and stores the results;
``core.jobs.worker`` holds what runs on a worker; ``core.jobs.cluster`` says where that is.
"""

from core.jobs.cluster import ClusterSettings, close_all, connect
from core.jobs.manager import JobManager
from core.store.jobs import STATES, JobInfo, get_job, jobs_signature, list_jobs

__all__ = ["STATES", "ClusterSettings", "JobInfo", "JobManager", "close_all", "connect",
           "get_job", "jobs_signature", "list_jobs"]
