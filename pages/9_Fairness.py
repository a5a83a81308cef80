"""Fairness: representation, outcome rates, bias amplification, per-group model metrics and
per-group fidelity, for each protected attribute and intersection."""

import streamlit as st

from core.figures import common, fairness, headlines
from ui.bootstrap import bootstrap
from ui.evaluation import from_report, run_report_header
from ui.text import md_escape

store = bootstrap("Fairness")
st.title("Fairness")

shown = run_report_header(store)
report = shown.report

# Every figure and table is built once per report (from_report), not on every rerun.
sets = from_report(shown, fairness.attribute_sets)
if not sets:
    st.info("No protected attributes are set, so fairness is not computed. Choose them on the "
            "Data page (e.g. sex, race, age), then evaluate again.")
    st.stop()

st.caption(common.privacy_note(report))
st.info(md_escape(from_report(shown, headlines.fairness_headline)), icon=":material/balance:")
amp_col, att_col = st.columns(2)
with amp_col:
    st.plotly_chart(from_report(shown, fairness.bias_amplification), key="fa.amp")
with att_col:
    st.plotly_chart(from_report(shown, fairness.disparity_attenuation), key="fa.att")

c1, c2 = st.columns([2, 2])
attrs = c1.selectbox("Protected attribute or intersection", sets, key="fa.attrs")
groups = from_report(shown, fairness.groups, attrs)
reference = c2.selectbox("Reference group", ["(none)"] + groups, key=f"fa.ref.{attrs}")
reference = None if reference == "(none)" else reference

st.markdown("\n".join(f"- {md_escape(s)}" for s in
                        from_report(shown, headlines.gap_sentences, fairness.attributes_of(attrs))))

left, right = st.columns(2)
with left:
    st.plotly_chart(from_report(shown, fairness.representation, attrs), key="fa.rep")
with right:
    st.plotly_chart(from_report(shown, fairness.outcome_rates, attrs, reference),
                    key="fa.rates")

st.subheader("Models per group (Fairlearn MetricFrame on the holdout)")
st.caption("TSTR: trained on synthetic rows; TRTR: trained on real rows. Both predict the holdout.")
st.dataframe(from_report(shown, fairness.model_group_metrics, attrs), hide_index=True,
             width="stretch")
st.plotly_chart(from_report(shown, fairness.group_fidelity, attrs), key="fa.gfid")
