"""Jobs: the fits, evaluations and the Demo build of this server, queued, running and recent."""

import streamlit as st

from core.jobs import list_jobs
from ui import jobs
from ui.bootstrap import bootstrap

store = bootstrap("Jobs")
st.title("Jobs")
st.caption("Fits, evaluations and the Demo build run on Dask workers, not in the page: leaving "
           "a page or closing the tab does not stop them. You may cancel the jobs you started.")


def _panel(live: bool) -> None:
    items = list_jobs(store, limit=100)
    active = [j for j in items if j.is_active]
    if live and not active:
        st.rerun()  # the last active job finished: back to the cheap idle watch
    if not items:
        st.info("No jobs yet. Start a fit on the Generate page or an evaluation on Overview.")
        return
    st.subheader(f"Queued and running ({len(active)})")
    if not active:
        st.text("Nothing is queued or running.")
    for job in active:
        st.markdown(f"**{job.kind}** `{job.id}` · started by {job.started_by or 'unknown'}")
        jobs.show_progress(job, key="jobs.page")
    st.subheader("All jobs")
    st.dataframe(jobs.jobs_table(items), hide_index=True, width="stretch")


# While a job is active its progress is redrawn every second; otherwise the page only checks,
# cheaply, whether a job was added, started or finished (in this session or another).
if any(j.is_active for j in list_jobs(store, limit=100)):
    st.fragment(_panel, run_every=1)(live=True)
else:
    _panel(live=False)
    jobs.watch_jobs("jobs.page")
