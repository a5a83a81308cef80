"""Report: export the HTML report, the report JSON and the synthetic data, each with the verdict,
the review decisions and the sign-off."""

import streamlit as st

from core.export import data_bytes, export_refusal, html_bytes, provenance, report_json_bytes
from core.glossary import term_text
from core.review import current_signoff
from ui.bootstrap import bootstrap
from ui.evaluation import run_report_header
from ui.glossary import glossary_expander
from ui.text import md_escape

store = bootstrap("Report")
st.title("Report and exports")

shown = run_report_header(store)
run, report = shown.run, shown.report

prov = provenance(store, run.id, report)
so = prov["signoff"]
c = st.columns(3)
c[0].metric("Verdict", report.verdict.outcome.upper(), help=report.verdict.summary)
c[1].metric("Review decisions", len(prov["decisions"]))
c[2].metric("Sign-off", ("approved with override" if so["override"] else so["decision"])
            if so else "not yet", help=term_text("Sign-off"))
signoff = current_signoff(store, run.id)
if signoff:
    st.caption(md_escape(signoff.sentence))
refusal = export_refusal(prov)
if refusal:
    st.warning(md_escape(refusal), icon=":material/block:")

st.subheader("Downloads")
st.caption("Every export carries the verdict, the review decisions and the sign-off. In the data "
           "exports, cells a spreadsheet would run as formulas (starting with =, +, -, @) are "
           "made inert with a leading apostrophe.")
d = st.columns(4)
d[0].download_button(
    "HTML report", data=lambda: html_bytes(store, run.id, report, prov),
    file_name=f"synthreview-report-{run.id}.html", mime="text/html", key="rep.html",
    icon=":material/description:", help="Self-contained: figures embedded, opens offline.",
)
d[1].download_button(
    "Report JSON", data=lambda: report_json_bytes(report, prov),
    file_name=f"synthreview-report-{run.id}.json", mime="application/json", key="rep.json",
    icon=":material/data_object:",
)
d[2].download_button(
    "Synthetic data (CSV, zipped)", data=lambda: data_bytes(store, run.id, "csv", prov)[0],
    file_name=f"synthetic-{run.id}.zip", mime="application/zip", key="rep.csv",
    icon=":material/table:", disabled=refusal is not None,
)
d[3].download_button(
    "Synthetic data (Parquet)", data=lambda: data_bytes(store, run.id, "parquet", prov)[0],
    file_name=f"synthetic-{run.id}.parquet", mime="application/octet-stream", key="rep.parquet",
    icon=":material/table:", disabled=refusal is not None,
)
if prov["attribution"]:
    st.caption(prov["attribution"])
glossary_expander()
