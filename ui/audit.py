"""The Privacy page's "Audit the generator" button and the audit job's live progress.

The page only enqueues the audit (``manager().submit_audit``) and returns; the job's progress is
read from its row every second (``ui.jobs.live``), so leaving the page and coming back shows the
same bar, and the page reruns with the stored audit once the job has finished.
"""

from __future__ import annotations

import streamlit as st

from core.audit import DEFAULT_BUDGET_S, DEFAULT_TARGETS
from core.errors import UserInputError
from core.jobs import JobInfo
from ui import jobs
from ui.text import show_error

BUTTON = "Audit the generator"
HELP = (
    "Retrains the run's generator on shadow training sets from the holdout, with and without "
    "each target record, and attacks it. A job on the Dask workers: about {minutes:.0f} minutes "
    "with the default budget; you may leave the page."
)


def audit_button(run_id: str, again: bool = False) -> None:
    """The button that queues the run's audit, its settings, and the live job panel."""
    select = jobs.jobs_of("audit", run_id=run_id)
    busy = any(j.is_active for j in select())
    with st.expander("Audit settings", expanded=False):
        targets = st.number_input("Target records", 1, 100, DEFAULT_TARGETS, key=f"au.n.{run_id}",
                                  help="The most isolated training records, about 30% random "
                                  "controls.")
        budget = st.number_input("Budget (seconds)", 10, 86_400, int(DEFAULT_BUDGET_S), step=30,
                                 key=f"au.budget.{run_id}", help="Shadows per target are chosen "
                                 "to fit it, timed on the first fits.")
    label = f"{BUTTON} again" if again else BUTTON
    if st.button(label, type="secondary" if again else "primary", key=f"au.go.{run_id}",
                 icon=":material/policy:", disabled=busy,
                 help=HELP.format(minutes=DEFAULT_BUDGET_S / 60)):
        try:
            job_id = jobs.manager().submit_audit(run_id, targets=int(targets),
                                                 budget_s=float(budget),
                                                 started_by=jobs.current_user())
        except UserInputError as exc:
            show_error(exc)
            return
        jobs.remember(job_id)
    jobs.live(select, _audit_done, key=f"au.jobs.{run_id}")


def _audit_done(job: JobInfo) -> None:
    if not job.is_complete:
        jobs.failure(job)
