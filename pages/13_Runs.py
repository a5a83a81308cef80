"""Runs: every dataset and run, with status, timings, generator and parameters."""

import json

import streamlit as st

from core.datasets import list_datasets
from core.review import current_signoffs
from core.runs import list_runs
from ui import state
from ui.bootstrap import bootstrap
from ui.lifecycle import deletions_log, run_panel
from ui.nav import go

store = bootstrap("Runs")
st.title("Runs")

datasets = list_datasets(store)
st.subheader("Datasets")
st.dataframe(
    [{"id": d.id, "name": d.name, "rows": d.n_rows, "columns": d.n_columns,
      "holdout": d.n_holdout, "runs": d.n_runs, "source": d.source_name,
      "schema version": d.schema_version, "added": d.created_at} for d in datasets],
    hide_index=True, width="stretch",
)

st.subheader("Runs")
names = {d.id: d.name for d in datasets}
choice = st.selectbox("Dataset", ["(all)"] + list(names), key="runs.dataset",
                      format_func=lambda i: i if i == "(all)" else f"{names[i]} · {i}")
runs = list_runs(store, None if choice == "(all)" else choice)
if not runs:
    st.info("No runs yet. Fit a generator on the Generate page.")
    deletions_log(store)
    st.stop()
signoffs = current_signoffs(store, [r.id for r in runs])
st.dataframe(
    [{"id": r.id, "dataset": r.dataset_name, "generator": r.generator, "status": r.status,
      "sign-off": signoffs[r.id].label if r.id in signoffs else "",
      "rows": r.n_rows, "fit s": r.fit_seconds, "sample s": r.sample_seconds,
      "peak MiB": r.peak_memory_mb, "seed": r.seed,
      "parameters": json.dumps(r.params, sort_keys=True), "created": r.created_at,
      "error": r.error or ""} for r in runs],
    hide_index=True, width="stretch",
    column_config={"fit s": st.column_config.NumberColumn(format="%.1f"),
                   "sample s": st.column_config.NumberColumn(format="%.2f"),
                   "peak MiB": st.column_config.NumberColumn(format="%.0f")},
)
complete = [r for r in runs if r.is_complete]
if complete:
    ids = [r.id for r in complete]
    gens = {r.id: r.generator for r in complete}
    pick = st.selectbox("Open a run", ids, key="runs.pick",
                        format_func=lambda i: f"{i} · {gens[i]}")
    if st.button("Make it the current run", key="runs.open"):
        run = next(r for r in complete if r.id == pick)
        st.session_state[state.DATASET_ID] = run.dataset_id
        st.session_state[state.RUN_ID] = run.id
        st.session_state[state.FLASH] = f"Run {run.id} is now the current run."
        go("pages/4_Preview.py")

run_panel(store, runs)
deletions_log(store)
