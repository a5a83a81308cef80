"""Utility: train on synthetic, test on real (TSTR) against train on real (TRTR)."""

import streamlit as st

from core.figures import utility
from ui.bootstrap import bootstrap
from ui.evaluation import run_report_header
from ui.text import md_escape

store = bootstrap("Utility")
st.title("Utility")

run, policy, report = run_report_header(store)

target = report.schema.target
st.caption(
    f"A model trained on the synthetic rows and one trained on the real training rows both "
    f"predict '{target}' on the real holdout, which neither saw. The smaller the gap, the more "
    f"useful the synthetic data." if target else
    "No target column is set, so utility is not computed. Choose one on the Data page."
)
note = utility.baseline_note(report)
if note:
    st.info(md_escape(note), icon=":material/model_training:")
st.plotly_chart(utility.tstr_vs_trtr(report), key="ut.bars")
st.dataframe(utility.utility_table(report), hide_index=True, width="stretch")
st.plotly_chart(utility.feature_importances(report), key="ut.imp")
