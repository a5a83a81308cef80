"""Compare: every run of the dataset side by side, and the privacy-vs-fidelity trade-off."""

import streamlit as st

from core.errors import UserInputError
from core.evaluation import evaluate_run, stored_leaderboard
from core.figures import compare as figs
from ui import state
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
        bar = st.progress(0.0, text="Evaluating…")
        try:
            for i, run_id in enumerate(missing):
                evaluate_run(store, run_id, policy, progress=lambda f, m, i=i: bar.progress(
                    (i + f) / len(missing), text=f"run {i + 1} of {len(missing)}: {m}"))
        except UserInputError as exc:
            show_error(exc)
        else:
            st.rerun()
if not rows:
    st.info("No evaluated run yet: evaluate runs to rank them.")
    st.stop()
st.caption("Passing runs first, then by the mean of the family scores.")
st.dataframe(figs.leaderboard(rows), hide_index=True, width="stretch")
st.plotly_chart(figs.tradeoff_scatter(rows), key="cmp.scatter")
