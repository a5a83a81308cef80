"""Compare: every run of the dataset side by side, and the privacy-vs-fidelity trade-off."""

import streamlit as st

from core.errors import UserInputError
from core.evaluation import stored_leaderboard
from core.figures import compare as figs
from ui import jobs, state
from ui.bootstrap import bootstrap
from ui.evaluation import pick_policy
from ui.text import show_error

store = bootstrap("Compare")
st.title("Compare runs")

ds_id = st.session_state.get(state.DATASET_ID)
if not ds_id:
    st.info("Choose a dataset on the Data page first.")
    st.stop()
policy = pick_policy()
rows, missing = stored_leaderboard(store, ds_id, policy)
if missing:
    st.info(f"{len(missing)} complete run(s) of this dataset have no report yet.")
    if st.button(f"Evaluate {len(missing)} run(s)", type="primary", key="cmp.go",
                 icon=":material/leaderboard:"):
        try:  # one job per run, on Dask workers: they queue and all finish
            for run_id in missing:
                jobs.remember(jobs.manager().submit_evaluate(
                    run_id, policy, started_by=jobs.current_user()))
        except UserInputError as exc:
            show_error(exc)
    jobs.live(lambda: [j for j in jobs.jobs_of("evaluate")() if j.inputs.get("run_id") in missing],
              None, key="cmp.jobs")
if not rows:
    st.info("No evaluated run yet: evaluate runs to rank them.")
    st.stop()
st.caption("Passing runs first, then by the mean of the family scores.")
st.dataframe(figs.leaderboard(rows), hide_index=True, width="stretch")
st.plotly_chart(figs.tradeoff_scatter(rows), key="cmp.scatter")
