"""Generate: fit a generator on the training rows, or import a synthetic file made elsewhere."""

import streamlit as st

from core.config import Limits
from core.datasets import get_dataset
from core.errors import UserInputError
from core.generators.registry import fitting_generators
from core.runs import get_run
from ui import jobs, state
from ui.bootstrap import bootstrap
from ui.nav import link
from ui.text import md_escape, show_error

store = bootstrap("Generate")
st.title("Generate")

ds_id = st.session_state.get(state.DATASET_ID)
if not ds_id:
    st.info("Choose or add a dataset on the Data page first.")
    link("pages/2_Data.py", label="Go to Data", icon=":material/table_view:")
    st.stop()
info = get_dataset(store, ds_id)
train_rows = info.n_rows - info.n_holdout
st.text(f"Dataset: {info.name} ({info.id}) — the generator learns from {train_rows:,} training "
        f"rows; {info.n_holdout:,} holdout rows stay unseen.")


def _show_result(run) -> None:  # noqa: ANN001 - RunInfo
    if run.is_complete:
        st.success(f"Run {run.id} complete: {run.n_rows:,} synthetic rows.")
        if run.fit_seconds is not None:
            c = st.columns(3)
            c[0].metric("Fit", f"{run.fit_seconds:.1f} s")
            c[1].metric("Sample", f"{run.sample_seconds:.1f} s")
            c[2].metric("Peak memory", f"{run.peak_memory_mb:,.0f} MiB")
        link("pages/4_Preview.py", label="Preview it side by side", icon=":material/compare:")
    else:
        st.error(f"Run {run.id} {run.status}: {md_escape(run.error)}")


def _show_done(job) -> None:  # noqa: ANN001 - JobInfo: the newest finished fit of this dataset
    if job.result_id is None:
        jobs.failure(job)
        return
    run = get_run(store, job.result_id)
    if run.is_complete and job.id in st.session_state.get(state.MY_JOBS, []):
        st.session_state[state.GENERATE_RESULT] = run.id
        st.session_state[state.RUN_ID] = run.id
    _show_result(run)


fit_tab, upload_tab = st.tabs(["Fit a generator", "Upload a synthetic file"])
with fit_tab:
    gens = {g.key: g for g in fitting_generators()}
    key = st.selectbox("Generator", list(gens), format_func=lambda k: gens[k].label,
                       key="gen.generator")
    gen = gens[key]
    st.caption(gen.description)
    params = {}
    cols = st.columns(max(1, len(gen.params)))
    for col, p in zip(cols, gen.params, strict=False):
        wkey = f"gen.param.{key}.{p.name}"
        if p.kind == "bool":
            params[p.name] = col.checkbox(p.name, value=p.default, help=p.help, key=wkey)
        elif p.kind == "choice":
            params[p.name] = col.selectbox(p.name, p.choices, index=p.choices.index(p.default),
                                           help=p.help, key=wkey)
        elif p.kind == "int":
            params[p.name] = col.number_input(p.name, int(p.minimum), int(p.maximum),
                                              int(p.default), step=1, help=p.help, key=wkey)
        else:
            params[p.name] = col.number_input(p.name, float(p.minimum), float(p.maximum),
                                              float(p.default), help=p.help, key=wkey)
    c1, c2 = st.columns(2)
    n_rows = c1.number_input("Rows to generate", 1, gen.max_sample_rows, train_rows, step=1000,
                             key="gen.rows")
    seed = c2.number_input("Seed", 0, 2**31 - 1, 0, step=1, key="gen.seed")
    if st.button("Generate", type="primary", key="gen.run", icon=":material/play_arrow:"):
        try:  # the fit runs as a job on a Dask worker: leaving the page does not stop it
            job_id = jobs.manager().submit_generate(
                ds_id, key, n_rows=int(n_rows), seed=int(seed), params=params,
                started_by=jobs.current_user(),
            )
        except UserInputError as exc:
            show_error(exc)
        else:
            jobs.remember(job_id)
    jobs.live(jobs.jobs_of("generate", dataset_id=ds_id), _show_done, key="gen.jobs")

with upload_tab:
    limits = Limits.from_env()
    st.caption("A synthetic table made by another tool. It must have the dataset's columns "
               "(identifier columns may be left out); it is checked before anything is stored.")
    up = st.file_uploader(f"CSV, Parquet or Excel, up to {limits.max_file_mb} MiB",
                          type=["csv", "tsv", "txt", "parquet", "xlsx"], key="gen.upload")
    if st.button("Import", key="gen.import", disabled=up is None, type="primary"):
        try:  # the file is read and checked as a job on a Dask worker, like a fit
            job_id = jobs.manager().submit_import(ds_id, up.getvalue(), up.name, limits=limits,
                                                  started_by=jobs.current_user())
        except UserInputError as exc:
            show_error(exc)
        else:
            jobs.remember(job_id)
    jobs.live(jobs.jobs_of("import", dataset_id=ds_id), _show_done, key="gen.imports")
