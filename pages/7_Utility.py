"""Utility: train on synthetic, test on real (TSTR) against train on real (TRTR)."""

import streamlit as st

from core.figures import utility
from ui.bootstrap import bootstrap
from ui.evaluation import from_report, run_report_header
from ui.text import md_escape

store = bootstrap("Utility")
st.title("Utility")

shown = run_report_header(store)
report = shown.report

target = report.schema.target
st.caption(
    f"A model trained on the synthetic rows and one trained on the real training rows both "
    f"predict '{target}' on the real holdout, which neither saw. The smaller the gap, the more "
    f"useful the synthetic data." if target else
    "No target column is set, so utility is not computed. Choose one on the Data page."
)
# Every figure and table is built once per report (from_report), not on every rerun.
note = from_report(shown, utility.baseline_note)
if note:
    st.info(md_escape(note), icon=":material/model_training:")
st.plotly_chart(from_report(shown, utility.tstr_vs_trtr), key="ut.bars")
st.dataframe(from_report(shown, utility.utility_table), hide_index=True, width="stretch")
st.plotly_chart(from_report(shown, utility.feature_importances), key="ut.imp")
