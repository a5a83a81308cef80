"""Preview: real and synthetic rows side by side, counts, and per-column statistics."""

import streamlit as st

from core.datasets import get_dataset
from core.errors import UserInputError
from core.runs import complete_runs
from ui import state
from ui.bootstrap import bootstrap
from ui.nav import link
from ui.preview import MAX_ROWS, MIN_COUNT, run_preview
from ui.text import show_error

store = bootstrap("Preview")
st.title("Preview")

ds_id = st.session_state.get(state.DATASET_ID)
runs = complete_runs(store, ds_id)
if not runs:
    st.info("No complete run for this dataset yet. Generate one first.")
    link("pages/3_Generate.py", label="Go to Generate", icon=":material/model_training:")
    st.stop()

ids = [r.id for r in runs]
by_id = {r.id: r for r in runs}
current = st.session_state.get(state.RUN_ID)
run_id = st.selectbox(
    "Run", ids, index=ids.index(current) if current in ids else 0, key="preview.run",
    format_func=lambda i: f"{by_id[i].generator} · {by_id[i].n_rows:,} rows · "
    f"{by_id[i].created_at:%Y-%m-%d %H:%M} · {i}",
    on_change=state.copy_pick, args=(st.session_state, "preview.run", state.RUN_ID),
)
st.session_state[state.RUN_ID] = run_id
run = by_id[run_id]
info = get_dataset(store, ds_id)
try:
    preview = run_preview(store, run)  # masked rows and statistics, once per run
except UserInputError as exc:  # the real rows were purged
    show_error(exc)
    st.stop()

c = st.columns(4)
c[0].metric("Real training rows", f"{preview.n_real:,}")
c[1].metric("Synthetic rows", f"{preview.n_synthetic:,}")
c[2].metric("Columns compared", len(preview.schema.synth_columns))
c[3].metric("Identifier columns left out", len(preview.schema.identifiers))

n = st.slider("Rows to show", 5, MAX_ROWS, 20, 5, key="preview.n")
st.caption(f"Real values of categories with fewer than {MIN_COUNT} real rows are shown as "
           "'(rare)' and numbers beyond the real 1st–99th percentile are top-coded, as in every "
           "view of real data.")
left, right = st.columns(2)
with left:
    st.subheader("Real")
    st.dataframe(preview.real_head.head(n), hide_index=True)
with right:
    st.subheader("Synthetic")
    st.dataframe(preview.synthetic_head.head(n), hide_index=True)

st.subheader("Per-column statistics")
st.dataframe(preview.stats, hide_index=True, width="stretch")
st.caption(f"Schema version {run.schema_version} of dataset {info.name}.")
