"""Demo: a read-only story for stakeholders, on a ready Adult run."""

import streamlit as st

from core.demo import demo_answer, find_demo_run
from core.figures import fairness, fidelity, overview, privacy
from core.review import current_signoff, progress
from ui import jobs
from ui.bootstrap import bootstrap
from ui.evaluation import from_report, shown_report, verdict_box
from ui.glossary import glossary_expander
from ui.text import md_escape

store = bootstrap("Demo")
st.title("Can we use this synthetic census table?")

run = find_demo_run(store)
shown = None if run is None else shown_report(store, run)
if shown is None:  # built once, as a job on a Dask worker: leaving the page does not stop it
    st.info("Preparing the demo (first start only): the Adult sample, a GaussianCopula fit and "
            "its evaluation. This page updates by itself.")
    demo_jobs = jobs.jobs_of("demo")()
    last = demo_jobs[0] if demo_jobs else None
    if last is None or last.state not in ("failed", "queued", "running"):
        jobs.manager().submit_demo(started_by=jobs.current_user())
    elif last.state == "failed" and st.button("Try again", key="demo.retry"):
        jobs.manager().submit_demo(started_by=jobs.current_user())
        st.rerun()
    jobs.live(jobs.jobs_of("demo"), jobs.failure, key="demo.jobs")
    st.stop()
report = shown.report  # every figure below is built once per report (from_report)
sizes = report.sizes
signoff = current_signoff(store, run.id)
st.markdown(f"**{md_escape(demo_answer(report, signoff))}**")

st.header("1 · What was generated")
st.markdown(
    f"A **GaussianCopula** model learned from **{sizes['real']:,}** real census records (UCI "
    f"Adult) and produced **{sizes['synthetic']:,}** synthetic ones. Another "
    f"**{sizes['holdout']:,}** real records were kept aside to check the result fairly."
)
verdict_box(report)
st.plotly_chart(from_report(shown, overview.family_scores), key="demo.families")

st.header("2 · Is it faithful?")
scores = from_report(shown, fidelity.column_scores)
shapes = report.top("fidelity.column_shapes")
st.markdown(
    f"Column by column, the synthetic data matches the real distributions with an average "
    f"score of **{shapes.value:.0%}**." if shapes and shapes.value is not None else
    "Column similarity was not computed."
)
c1, c2 = st.columns(2)
names = list(scores["column"])
with c1:
    st.plotly_chart(from_report(shown, fidelity.column_plot, names[-1]), key="demo.best")
with c2:
    st.plotly_chart(from_report(shown, fidelity.column_plot, names[0]), key="demo.worst")
st.caption("Left: the best-kept column. Right: the one that differs most.")

st.header("3 · Is it fair?")
st.plotly_chart(from_report(shown, fairness.bias_amplification), key="demo.fair")
st.caption("Bars show whether the gap in outcomes between groups grew in the synthetic data.")

st.header("4 · Is it private?")
st.markdown(md_escape(from_report(shown, privacy.evidence_summary)))
st.plotly_chart(from_report(shown, privacy.dcr_share), key="demo.private")

st.header("5 · What did the expert decide?")
columns = list(report.schema.synth_columns)
done, total = progress(store, run.id, columns)
if signoff:
    st.success(md_escape(signoff.sentence), icon=":material/verified:")
else:
    st.info(f"Not signed off yet: {done} of {total} columns reviewed by a domain expert.")
glossary_expander(["Noise floor", "DCR", "Bias amplification", "Verdict", "Sign-off"],
                  label="What the words mean")
st.caption("Data: UCI Adult (Becker & Kohavi, 1996), CC BY 4.0, https://doi.org/10.24432/C5XW20.")
