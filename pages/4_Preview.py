"""Preview: real and synthetic rows side by side, counts, and per-column statistics."""

import streamlit as st

from core.datasets import get_dataset, load_dataset
from core.drilldown import mask_real_frame
from core.errors import UserInputError
from core.metrics.config import EvalConfig
from core.preview import summary_stats
from core.runs import complete_runs, load_synthetic
from ui import state
from ui.bootstrap import bootstrap
from ui.nav import link
from ui.text import show_error

MIN_COUNT = EvalConfig().min_group_rows
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
)
st.session_state[state.RUN_ID] = run_id
run = by_id[run_id]
info = get_dataset(store, ds_id)
try:
    ds = load_dataset(store, ds_id, run.schema_version)
except UserInputError as exc:  # the real rows were purged
    show_error(exc)
    st.stop()
real = ds.train[list(ds.schema.synth_columns)]
synthetic = load_synthetic(store, run_id)

c = st.columns(4)
c[0].metric("Real training rows", f"{len(real):,}")
c[1].metric("Synthetic rows", f"{len(synthetic):,}")
c[2].metric("Columns compared", len(ds.schema.synth_columns))
c[3].metric("Identifier columns left out", len(ds.schema.identifiers))

n = st.slider("Rows to show", 5, 200, 20, 5, key="preview.n")
st.caption(f"Real values of categories with fewer than {MIN_COUNT} real rows are shown as "
           "'(rare)' and numbers beyond the real 1st–99th percentile are top-coded, as in every "
           "view of real data.")
left, right = st.columns(2)
with left:
    st.subheader("Real")
    st.dataframe(mask_real_frame(real, real.head(n), ds.schema, MIN_COUNT),
                 hide_index=True)
with right:
    st.subheader("Synthetic")
    st.dataframe(synthetic.head(n), hide_index=True)

st.subheader("Per-column statistics")
st.dataframe(summary_stats(real, synthetic, ds.schema), hide_index=True, width="stretch")
st.caption(f"Schema version {run.schema_version} of dataset {info.name}.")
