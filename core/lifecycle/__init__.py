"""The end of a dataset's life: delete datasets and runs, purge real rows, erase them from disk.

``deletion`` deletes a dataset or a run with everything made from it, ``purge`` removes a
signed-off dataset's real rows but keeps its runs, reports and decisions, ``erasure`` rewrites
the database file and its backups so that no removed value stays in them, ``retention`` purges
real rows a set number of days after sign-off, and ``access`` says who may do it. Every removal
is logged in the ``deletions`` table (what, how many rows, who, when, why; never the data).
"""

from core.lifecycle.access import CAN_DELETE, MSG_ROLE_CANNOT_DELETE
from core.lifecycle.deletion import delete_dataset, delete_run
from core.lifecycle.erasure import Erasure, erase, finish_pending
from core.lifecycle.purge import purge_real
from core.lifecycle.retention import RETENTION_ENV_VAR, retention_days, run_retention
from core.store.deletions import Deletion, list_deletions

__all__ = [
    "CAN_DELETE",
    "MSG_ROLE_CANNOT_DELETE",
    "RETENTION_ENV_VAR",
    "Deletion",
    "Erasure",
    "delete_dataset",
    "delete_run",
    "erase",
    "finish_pending",
    "list_deletions",
    "purge_real",
    "retention_days",
    "run_retention",
]
