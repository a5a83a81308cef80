"""Overview of a run: verdict and gate, family scores, worst columns and pairs, warnings,
how it was generated, and review progress."""

import json

import streamlit as st

from core.figures import headlines, overview
from core.review import current_signoff, progress
from ui.bootstrap import bootstrap
from ui.evaluation import evaluate_button, from_report, run_report_header, verdict_box
from ui.nav import link
from ui.text import md_escape

store = bootstrap("Overview")
st.title("Overview")

shown = run_report_header(store)
run, policy, report = shown.run, shown.policy, shown.report

verdict_box(report)
# Every figure and table is built once per report (from_report), not on every rerun.
st.markdown(md_escape(from_report(shown, headlines.verdict_headline)))

left, right = st.columns([1, 1])
with left:
    st.plotly_chart(from_report(shown, overview.family_scores), key="ov.families")
with right:
    st.subheader("How it was generated")
    facts = {
        "generator": run.generator,
        "parameters": json.dumps(run.params, sort_keys=True),
        "seed": run.seed,
        "rows": f"{run.n_rows:,}",
        "fit": None if run.fit_seconds is None else f"{run.fit_seconds:.1f} s",
        "sample": None if run.sample_seconds is None else f"{run.sample_seconds:.1f} s",
        "peak memory": None if run.peak_memory_mb is None else f"{run.peak_memory_mb:,.0f} MiB",
        "evaluated on": f"{report.sizes['real']:,} training, {report.sizes['holdout']:,} holdout, "
                        f"{report.sizes['synthetic']:,} synthetic rows",
    }
    st.dataframe({"what": [k for k, v in facts.items() if v is not None],
                  "value": [str(v) for v in facts.values() if v is not None]},
                 hide_index=True, width="stretch")
    columns = list(report.schema.synth_columns)
    done, total = progress(store, run.id, columns)
    signoff = current_signoff(store, run.id)
    st.progress(done / total if total else 0.0,
                text=f"Review: {done} of {total} columns reviewed"
                + (f" · signed off: {signoff.decision}" if signoff else ""))
    link("pages/11_Review.py", label="Review column by column", icon=":material/rate_review:")

st.subheader("Acceptance gate")
st.dataframe(from_report(shown, overview.gate_table), hide_index=True, width="stretch")

c1, c2 = st.columns(2)
with c1:
    st.subheader("Worst columns")
    st.dataframe(from_report(shown, overview.worst_columns), hide_index=True, width="stretch")
with c2:
    st.subheader("Worst pairs")
    st.dataframe(from_report(shown, overview.worst_pairs), hide_index=True, width="stretch")

if report.warnings:
    st.subheader("Warnings")
    for w in report.warnings:
        st.warning(md_escape(w), icon=":material/warning:")

with st.expander("Re-evaluate"):
    st.caption("A stored report is reused when nothing changed; re-evaluate after editing roles.")
    evaluate_button(store, run.id, policy, label="Evaluate again")
