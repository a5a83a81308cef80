"""Purge a signed-off dataset's real rows but keep the decision auditable.

The real rows and the holdout split go (and the load report loses every quoted value: rejected
lines, example cells); the dataset's record, schema versions, runs, synthetic rows, reports,
review decisions and sign-offs stay. Loading the dataset then says when and why it was purged
(:data:`core.datasets.MSG_REAL_PURGED`). Refused unless a run of the dataset has a current
sign-off 'approved'; ``force=True`` (CLI ``--force``, e.g. for an erasure request) purges
anyway and the log says so.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from core.errors import UserInputError
from core.lifecycle.access import raise_problems, request_problems
from core.lifecycle.erasure import erase, finish_pending
from core.store import Store
from core.store import datasets as datasets_q
from core.store import deletions as dq
from core.store import rewrite as rw
from core.store.datasets import DatasetInfo

MSG_NOT_SIGNED_OFF = (
    "Dataset '{name}' has no run signed off as approved, so its real rows are still needed to "
    "judge a synthetic copy. Sign off a run on the Review page first, or delete the whole "
    "dataset; to purge anyway (e.g. an erasure request), pass --force."
)
MSG_ALREADY_PURGED = (
    "The real rows of dataset '{name}' were already purged on {when:%Y-%m-%d %H:%M} UTC."
)
MSG_CONFIRM_PURGE = (
    "To purge the real rows of '{name}', type its name exactly; got '{typed}'. Nothing was purged."
)
MSG_PURGE_RUNNING = (
    "Dataset '{name}' has runs still running ({runs}). Wait until they finish, then purge it."
)
# What a purged load report keeps: counts and the file's format, never a value from it.
KEPT_LOAD_REPORT_KEYS = (
    "file_name", "file_format", "size_bytes", "encoding", "delimiter", "decimal", "sheet",
    "sheets", "data_lines", "rows_read", "rows_rejected",
)


def scrub_load_report(report: dict[str, Any]) -> dict[str, Any]:
    """The load report without anything that quotes the real rows.

    Example: ``{"rows_read": 9, "rejected": [{"text": "a,b"}]}`` ->
    ``{"rows_read": 9, "rejected": [], "coercions": [], "warnings": [], "nulls_mapped": {},
    "purged": True}``.
    """
    kept = {k: report[k] for k in KEPT_LOAD_REPORT_KEYS if k in report}
    return {**kept, "rejected": [], "coercions": [], "warnings": [], "nulls_mapped": {},
            "purged": True}


def purge_rows(
    store: Store, info: DatasetInfo, *, reason: str, who: str, role: str, forced: bool
) -> int:
    """Delete the real rows and log it (no checks, no erasure); return the log entry's id."""
    with store.transaction() as cur:
        running = dq.running_runs(cur, info.id)
        if running:
            raise UserInputError(MSG_PURGE_RUNNING.format(name=info.name,
                                                          runs=", ".join(running)))
        counts = dq.purge_real_rows(cur, info.id, json.dumps(scrub_load_report(info.load_report)))
        return dq.insert_deletion(
            cur, kind=dq.PURGE_REAL, target_id=info.id, target_name=info.name,
            dataset_id=info.id, counts=counts, real_rows=info.n_rows, synthetic_rows=0,
            reason=reason, who=who, role=role, forced=forced, created_at=datetime.now(UTC),
        )


def purge_real(
    store: Store,
    dataset_id: str,
    *,
    reason: str,
    who: str,
    role: str,
    force: bool = False,
    confirm: str | None = None,
) -> dq.Deletion:
    """Remove a dataset's real and holdout rows from the file and backups; keep the rest.

    Args:
        store: The open store.
        dataset_id: The dataset.
        reason: Why (recorded).
        who: Who asks (recorded).
        role: Their role; only ``reviewer`` may purge.
        force: Purge although no run is signed off as approved (recorded as forced).
        confirm: When given (the app), must equal the dataset's name.

    Returns:
        The log entry (``forced`` is True only when ``force`` was needed).

    Raises:
        UserInputError: Bad request, no approved sign-off without ``force``, or already
            purged; nothing was removed.
        NotFoundError: No such dataset.
    """
    problems = request_problems(reason, who, role)
    info = datasets_q.get_dataset(store, dataset_id)
    with store.cursor() as cur:
        done = dq.purge_of(cur, dataset_id)
        approved = dq.approved_signoffs(cur).get(dataset_id)
    if done is not None:
        raise_problems(problems)
        if done.erased_at is None:  # purged before a crash, erasure unfinished: finish it
            finish_pending(store)
            return dq.get_deletion(store, done.id)
        raise UserInputError(MSG_ALREADY_PURGED.format(name=info.name, when=done.created_at))
    if confirm is not None and confirm.strip() != info.name:
        problems.append(MSG_CONFIRM_PURGE.format(name=info.name, typed=confirm))
    if approved is None and not force:
        problems.append(MSG_NOT_SIGNED_OFF.format(name=info.name))
    raise_problems(problems)
    entry = purge_rows(store, info, reason=reason.strip(), who=who.strip(), role=role,
                       forced=approved is None)
    rw.step("deleted")
    erase(store)
    return dq.get_deletion(store, entry)
