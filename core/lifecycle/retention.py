"""A retention limit: purge real rows a set number of days after a run was signed off.

Off unless ``SYNTHREVIEW_RETENTION_DAYS=N`` is set. The app runs it once per process at start
(``ui.bootstrap``) and ``python -m core retention run`` runs it by hand or from cron. A dataset is
due when a run of it has a current sign-off 'approved' at least N days old; its real rows are
purged like :func:`core.lifecycle.purge.purge_real` (runs, reports and decisions kept), logged
with the role ``system``, and all due datasets are erased from the disk in one rewrite.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta

from core.errors import UserInputError
from core.lifecycle.access import SYSTEM_ROLE
from core.lifecycle.erasure import erase
from core.lifecycle.purge import purge_rows
from core.store import Store
from core.store import datasets as datasets_q
from core.store import deletions as dq

RETENTION_ENV_VAR = "SYNTHREVIEW_RETENTION_DAYS"
RETENTION_WHO = "retention policy"
MSG_BAD_DAYS = (
    "SYNTHREVIEW_RETENTION_DAYS must be a whole number of days, 1 or more; got {value!r}. Fix "
    "it, or unset it to keep real rows until they are purged by hand."
)
REASON = "Retention limit: {days} day(s) after the sign-off of {when:%Y-%m-%d %H:%M} UTC."


def retention_days() -> int | None:
    """The retention limit in days from the environment, or None when it is off.

    Raises:
        UserInputError: The variable is set but not a whole number >= 1.
    """
    raw = os.environ.get(RETENTION_ENV_VAR, "").strip()
    if not raw:
        return None
    try:
        days = int(raw)
    except ValueError:
        raise UserInputError(MSG_BAD_DAYS.format(value=raw)) from None
    if days < 1:
        raise UserInputError(MSG_BAD_DAYS.format(value=raw))
    return days


def run_retention(
    store: Store, days: int | None = None, now: datetime | None = None
) -> list[dq.Deletion]:
    """Purge the real rows of every dataset whose approved sign-off is ``days`` old.

    Args:
        store: The open store.
        days: The limit; by default :func:`retention_days` (nothing happens when it is off).
        now: The current time (UTC); tests pass one.

    Returns:
        The log entries of the purges done now (empty when none was due).
    """
    days = retention_days() if days is None else days
    if days is None:
        return []
    now = now or datetime.now(UTC)
    with store.cursor() as cur:
        signed = dq.approved_signoffs(cur)
        due = [(ds_id, when) for ds_id, when in sorted(signed.items())
               if now - when >= timedelta(days=days) and dq.purge_of(cur, ds_id) is None]
    entries = []
    for ds_id, when in due:
        info = datasets_q.get_dataset(store, ds_id)
        entries.append(purge_rows(
            store, info, reason=REASON.format(days=days, when=when),
            who=RETENTION_WHO, role=SYSTEM_ROLE, forced=False,
        ))
    if entries:
        erase(store)
    return [dq.get_deletion(store, e) for e in entries]
