"""Data: upload a real table or use the Adult sample; see the load report; edit types and roles."""

import streamlit as st

from core.config import Limits
from core.datasets import (
    DEFAULT_HOLDOUT,
    add_sample,
    add_upload,
    get_dataset,
    list_datasets,
    load_dataset,
    restored_note,
    update_schema,
)
from core.errors import UserInputError
from core.io.types import MARKER_TOKENS
from core.schema import SDTYPES
from ui import state
from ui.bootstrap import bootstrap
from ui.lifecycle import dataset_panel
from ui.text import md_escape, show_error

store = bootstrap("Data")
st.title("Data")

# -- choose or add a dataset --------------------------------------------------------------------
datasets = list_datasets(store)
state.sync_dataset_select(st.session_state)
left, right = st.columns([3, 2])
with left:
    if datasets:
        ids = [d.id for d in datasets]
        labels = {d.id: f"{d.name} · {d.n_rows:,} rows · {d.id}" for d in datasets}
        current = st.session_state.get(state.DATASET_ID)
        chosen = st.selectbox(
            "Current dataset", ids, index=ids.index(current) if current in ids else 0,
            format_func=labels.get, key=state.DATA_SELECT,
            # a pick that reaches the server with a click on another page is not lost
            on_change=state.dataset_picked, args=(st.session_state,),
        )
        if chosen != current:
            st.session_state[state.DATASET_ID] = chosen
            st.session_state[state.RUN_ID] = None
    else:
        st.info("No dataset yet: load the Adult sample or upload a table.")
with right:
    st.write("")
    if st.button("Load the Adult sample", key="data.sample", icon=":material/download:"):
        try:
            with st.spinner("Loading the Adult sample…"):
                info, created = add_sample(store)
        except UserInputError as exc:
            show_error(exc)
        else:
            state.select_dataset(st.session_state, info.id)
            st.session_state[state.FLASH] = (
                (restored_note(store, info) or "Adult sample loaded.") if created
                else "The Adult sample was already loaded; selected it."
            )
            st.rerun()

limits = Limits.from_env()
with st.expander("Upload a table", expanded=not datasets):
    upload = st.file_uploader(
        f"CSV, Parquet or Excel (.xlsx), up to {limits.max_file_mb} MiB",
        type=["csv", "tsv", "txt", "parquet", "xlsx"], key="data.upload",
    )
    c1, c2 = st.columns(2)
    name = c1.text_input("Dataset name", value=(upload.name.rsplit(".", 1)[0] if upload else ""),
                         key="data.name")
    holdout = c2.slider("Holdout share (never shown to generators)", 0.05, 0.5,
                        DEFAULT_HOLDOUT, 0.05, key="data.holdout")
    o1, o2 = st.columns(2)
    na_values = o1.multiselect(
        "Also read as missing, in every column", list(MARKER_TOKENS), key="data.na",
        accept_new_options=True, placeholder="Pick or type a token, e.g. N",
        help="Besides the usual empty, ?, NA, N/A, null, ... (compared after trimming spaces).",
    )
    auto_na = o2.checkbox(
        "Detect each column's own missing-value markers", value=True, key="data.auto_na",
        help="A column of numbers with one or two markers such as 'N', '.' or '*' in under half "
        "of its cells is read as numbers, the markers as missing. The load report lists them.",
    )
    if st.button("Add dataset", key="data.add", disabled=upload is None, type="primary"):
        try:
            info, created, report = add_upload(
                store, upload.getvalue(), upload.name, name=name, limits=limits,
                na_values=na_values, auto_na=auto_na, holdout_fraction=holdout,
            )
        except UserInputError as exc:
            show_error(exc)
        else:
            state.select_dataset(st.session_state, info.id)
            st.session_state[state.LAST_LOAD] = report
            st.session_state[state.FLASH] = (
                (restored_note(store, info) or f"Added dataset {info.id} ({info.n_rows:,} rows).")
                if created
                else f"This table is already stored as dataset {info.id}; selected it."
            )
            st.rerun()

ds_id = st.session_state.get(state.DATASET_ID)
if not ds_id:
    st.stop()
info = get_dataset(store, ds_id)
try:
    ds = load_dataset(store, ds_id)
except UserInputError as exc:  # the real rows were purged: only the record and the panel remain
    st.warning(md_escape(exc.message), icon=":material/mop:")
    dataset_panel(store, info, purged=True)
    st.stop()

# -- load report ----------------------------------------------------------------------------------
st.subheader("Load report")
rep = info.load_report
m = st.columns(5)
m[0].metric("Rows", f"{info.n_rows:,}")
m[1].metric("Columns", info.n_columns)
m[2].metric("Training rows", f"{info.n_rows - info.n_holdout:,}")
m[3].metric("Holdout rows", f"{info.n_holdout:,}")
m[4].metric("Rows rejected", f"{rep.get('rows_rejected', 0):,}")
facts = {
    "file": rep.get("file_name", info.source_name),
    "format": rep.get("file_format"),
    "encoding": rep.get("encoding"),
    "delimiter": repr(rep.get("delimiter")) if rep.get("delimiter") else None,
    "decimal mark": rep.get("decimal"),
    "sheet": rep.get("sheet"),
    "also read as missing": ", ".join(repr(t) for t in rep.get("na_values", [])),
    "per-column markers": None if rep.get("auto_na", True) else "not detected (turned off)",
    "holdout": f"{info.holdout_fraction:.0%}, seed {info.split_seed}"
    + (f", stratified on '{info.split_stratified_on}'" if info.split_stratified_on else ""),
}
st.dataframe(
    {"what": [k for k, v in facts.items() if v], "value": [str(v) for v in facts.values() if v]},
    hide_index=True, width=640,
)
if rep.get("nulls_mapped"):
    st.text("Values read as missing: " + ", ".join(
        f"{tok!r} × {n:,}" for tok, n in rep["nulls_mapped"].items()))
if rep.get("renamed"):
    st.markdown("**Columns renamed** — their name in the file was blank or already taken:")
    st.dataframe(rep["renamed"], hide_index=True, column_config={
        "original": "name in the file", "name": "now called"}, key="data.report.renamed")
if rep.get("markers"):
    st.markdown("**Missing-value markers per column** — read as missing, the rest as numbers:")
    st.dataframe(rep["markers"], hide_index=True, column_config={
        "token": "marker", "count": "cells read as missing"}, key="data.report.markers")
for line in rep.get("coercions", []):
    st.info(md_escape(line), icon=":material/sync_alt:")
for line in rep.get("warnings", []):
    st.warning(md_escape(line), icon=":material/warning:")
if rep.get("rows_rejected"):
    st.error(f"{rep['rows_rejected']:,} row(s) could not be read and were left out:")
    st.dataframe(rep.get("rejected", []), hide_index=True)

# -- schema and roles ------------------------------------------------------------------------------
st.subheader("Types and roles")
st.caption(
    f"Schema version {ds.schema_version}. Identifier columns (names, emails, IDs) are left out of "
    "synthesis and of every metric. Saving makes a new version; earlier runs keep theirs."
)
edited = st.data_editor(
    ds.schema.to_frame(),
    column_config={
        "column": st.column_config.TextColumn("column", disabled=True),
        "type": st.column_config.SelectboxColumn("type", options=list(SDTYPES), required=True),
        "date format": st.column_config.TextColumn("date format", help="e.g. %Y-%m-%d"),
        "why": st.column_config.TextColumn("why", disabled=True),
    },
    hide_index=True, num_rows="fixed", key=f"data.schema.{ds_id}.{ds.schema_version}",
    width="stretch", height=min(40 + 35 * len(ds.schema.columns), 720),
)
ids = [c for c in ds.schema.columns if c.sdtype == "identifier"]
if ids:
    st.caption("Left out as identifiers: " + "; ".join(
        f"**{md_escape(c.name)}** ({md_escape(c.reason or 'no reason recorded')})" for c in ids
    ) + ". Change a type in the table to keep a column.")
usable = [c for c in ds.schema.names if c not in set(edited.loc[edited["type"] == "identifier",
                                                                "column"])]
r1, r2, r3 = st.columns(3)
target_opts = ["(none)"] + usable
target = r1.selectbox(
    "Target (outcome to predict)", target_opts,
    index=target_opts.index(ds.schema.target) if ds.schema.target in usable else 0,
    key=f"data.target.{ds_id}.{ds.schema_version}",
)
protected = r2.multiselect(
    "Protected attributes (fairness)", usable,
    default=[p for p in ds.schema.protected if p in usable],
    key=f"data.protected.{ds_id}.{ds.schema_version}",
)
quasi = r3.multiselect(
    "Quasi-identifiers (privacy)", usable,
    default=[q for q in ds.schema.quasi_identifiers if q in usable],
    key=f"data.quasi.{ds_id}.{ds.schema_version}",
)
if st.button("Save types and roles", key="data.save_schema", type="primary"):
    try:
        new = ds.schema.with_frame(edited).with_roles(
            None if target == "(none)" else target, protected, quasi
        )
        version = update_schema(store, ds_id, new)
    except UserInputError as exc:
        show_error(exc)
    else:
        st.session_state[state.FLASH] = f"Saved schema version {version}."
        st.rerun()

dataset_panel(store, info, purged=False)
