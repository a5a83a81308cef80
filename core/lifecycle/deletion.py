"""Delete a dataset or a run with everything made from it, then erase it from the disk.

Deleting a dataset removes its real rows, holdout split, schema versions, runs, synthetic rows,
reports, review decisions and sign-offs, and jobs (any table with a ``dataset_id``, ``run_id``
or ``report_id`` column that refers to it). Deleting a run removes its synthetic rows,
reports, decisions, sign-offs and jobs. Both are logged (:mod:`core.store.deletions`) in the same
transaction, then :func:`core.lifecycle.erasure.erase` rewrites the file and the backups.

Example::

    delete_run(store, "9f8e7d6c5b4a", reason="bad fit", who="Ada", role="reviewer")
"""

from __future__ import annotations

from datetime import UTC, datetime

from core.errors import NotFoundError, UserInputError
from core.lifecycle.access import raise_problems, request_problems
from core.lifecycle.erasure import erase, finish_pending
from core.store import Store
from core.store import datasets as datasets_q
from core.store import deletions as dq
from core.store import rewrite as rw
from core.store import runs as runs_q

MSG_CONFIRM_NAME = (
    "To delete dataset '{name}', type its name exactly; got '{typed}'. Nothing was deleted."
)
MSG_CONFIRM_RUN = "To delete run '{id}', type its id exactly; got '{typed}'. Nothing was deleted."
MSG_STILL_RUNNING = (
    "Dataset '{name}' has runs still running ({runs}). Wait until they finish, then delete it."
)
MSG_RUN_RUNNING = "Run '{id}' is still running. Wait until it finishes, then delete it."


def delete_dataset(
    store: Store,
    dataset_id: str,
    *,
    reason: str,
    who: str,
    role: str,
    confirm: str | None = None,
) -> dq.Deletion:
    """Delete a dataset and everything made from it, from the file and from the backups.

    Args:
        store: The open store.
        dataset_id: The dataset.
        reason: Why (recorded).
        who: Who asks (recorded).
        role: Their role; only ``reviewer`` may delete.
        confirm: When given (the app), must equal the dataset's name.

    Returns:
        The log entry, with the rows removed per table and ``erased_at`` set.

    Raises:
        UserInputError: Bad reason, name, role or confirmation, or runs still running;
            nothing was deleted.
        NotFoundError: No such dataset (and no unfinished deletion of it).
    """
    problems = request_problems(reason, who, role)
    try:
        info = datasets_q.get_dataset(store, dataset_id)
    except NotFoundError:
        raise_problems(problems)
        if (left := dq.pending_for(store, dq.DATASET, dataset_id)) is not None:
            finish_pending(store)  # deleted before a crash, erasure unfinished: finish it
            return dq.get_deletion(store, left.id)
        raise
    if confirm is not None and confirm.strip() != info.name:
        problems.append(MSG_CONFIRM_NAME.format(name=info.name, typed=confirm))
    raise_problems(problems)
    with store.transaction() as cur:
        running = dq.running_runs(cur, dataset_id)
        if running:
            raise UserInputError(MSG_STILL_RUNNING.format(name=info.name,
                                                          runs=", ".join(running)))
        counts, synthetic = dq.delete_dataset_rows(cur, dataset_id)
        entry = dq.insert_deletion(
            cur, kind=dq.DATASET, target_id=dataset_id, target_name=info.name,
            dataset_id=dataset_id, counts=counts, real_rows=info.n_rows,
            synthetic_rows=synthetic, reason=reason.strip(), who=who.strip(), role=role,
            forced=False, created_at=datetime.now(UTC),
        )
    rw.step("deleted")
    erase(store)
    return dq.get_deletion(store, entry)


def delete_run(
    store: Store,
    run_id: str,
    *,
    reason: str,
    who: str,
    role: str,
    confirm: str | None = None,
) -> dq.Deletion:
    """Delete a run: its synthetic rows, reports, decisions, sign-offs and jobs; then erase.

    Args and Raises: as :func:`delete_dataset`; ``confirm`` must equal the run id.

    Returns:
        The log entry.
    """
    problems = request_problems(reason, who, role)
    try:
        run = runs_q.get_run(store, run_id)
    except NotFoundError:
        raise_problems(problems)
        if (left := dq.pending_for(store, dq.RUN, run_id)) is not None:
            finish_pending(store)
            return dq.get_deletion(store, left.id)
        raise
    if confirm is not None and confirm.strip() != run.id:
        problems.append(MSG_CONFIRM_RUN.format(id=run.id, typed=confirm))
    raise_problems(problems)
    if run.status == runs_q.RUNNING:
        raise UserInputError(MSG_RUN_RUNNING.format(id=run.id))
    with store.transaction() as cur:
        counts, synthetic = dq.delete_run_rows(cur, run_id)
        entry = dq.insert_deletion(
            cur, kind=dq.RUN, target_id=run_id,
            target_name=f"{run.generator} run of {run.dataset_name}",
            dataset_id=run.dataset_id, counts=counts, real_rows=0, synthetic_rows=synthetic,
            reason=reason.strip(), who=who.strip(), role=role, forced=False,
            created_at=datetime.now(UTC),
        )
    rw.step("deleted")
    erase(store)
    return dq.get_deletion(store, entry)
