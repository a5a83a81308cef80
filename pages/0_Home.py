"""Home: what synthreview does and where the current dataset and run stand."""

import streamlit as st

from core.datasets import get_dataset, list_datasets
from core.runs import list_runs
from ui import state
from ui.bootstrap import bootstrap
from ui.nav import link

store = bootstrap("Home")

st.title("synthreview")
st.markdown(
    "Decide whether a **synthetic copy** of a sensitive table is good enough to use: load a real "
    "table, generate synthetic rows with an SDV generator (or import a file made elsewhere), "
    "compare them side by side, and keep every run in one DuckDB file."
)

datasets = list_datasets(store)
runs = list_runs(store)
c1, c2, c3 = st.columns(3)
c1.metric("Datasets", len(datasets))
c2.metric("Runs", len(runs))
c3.metric("Complete runs", sum(r.is_complete for r in runs))

ds_id = st.session_state.get(state.DATASET_ID)
if ds_id:
    ds = get_dataset(store, ds_id)
    st.subheader("Current dataset")
    st.text(f"{ds.name} — {ds.n_rows:,} rows × {ds.n_columns} columns "
            f"({ds.n_holdout:,} held out from the generators)")

st.subheader("Next steps")
link("pages/2_Data.py", label="Data: upload a table or use the Adult sample, set roles",
             icon=":material/table_view:")
link("pages/3_Generate.py", label="Generate: fit a generator or import a synthetic file",
             icon=":material/model_training:")
link("pages/4_Preview.py", label="Preview: real and synthetic rows side by side",
     icon=":material/compare:")
link("pages/13_Runs.py", label="Runs: every dataset and run, with status and timings",
             icon=":material/history:")
st.caption(
    "Sample data: UCI Adult (Becker & Kohavi, 1996), CC BY 4.0, https://doi.org/10.24432/C5XW20. "
    "SDV is licensed under the Business Source License 1.1."
)
