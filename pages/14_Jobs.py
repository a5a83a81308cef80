"""Jobs: the fits, evaluations and Demo builds of this server, queued, running and recent."""

import streamlit as st

from core.jobs import list_jobs
from ui import jobs
from ui.bootstrap import bootstrap

store = bootstrap("Jobs")
st.title("Jobs")
st.caption("Fits, evaluations and the Demo build run on Dask workers, not in the page: leaving "
           "a page or closing the tab does not stop them. You may cancel the jobs you started.")


def _panel() -> None:
    items = list_jobs(store, limit=100)
    active = [j for j in items if j.is_active]
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


st.fragment(_panel, run_every=1)()  # live: new jobs from other sessions appear too
