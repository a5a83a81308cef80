"""Fidelity: every column real vs synthetic, correlation and pair-trend heatmaps, detection,
propensity (pMSE) and sample-level precision and recall."""

import streamlit as st

from core.figures import common, fidelity, sample_level
from ui.bootstrap import bootstrap
from ui.evaluation import from_report, run_report_header

store = bootstrap("Fidelity")
st.title("Fidelity")

shown = run_report_header(store)
report = shown.report

st.caption(common.privacy_note(report))
tab_cols, tab_pairs, tab_detect, tab_sample = st.tabs(
    ["Columns", "Pairs", "Detection", "Propensity, precision and recall"])

# Every figure and table is built once per report (from_report), not on every rerun.
with tab_cols:
    scores = from_report(shown, fidelity.column_scores)
    st.dataframe(scores, hide_index=True, width="stretch")
    names = list(scores["column"])
    show_all = st.toggle("Show every column's plot (worst first)", value=len(names) <= 16,
                         key="fid.all")
    chosen = names if show_all else st.multiselect(
        "Columns to plot", names, default=names[:6], key="fid.pick")
    grid = st.columns(2)
    for i, col in enumerate(chosen):
        with grid[i % 2]:
            st.plotly_chart(from_report(shown, fidelity.column_plot, col), key=f"fid.col.{i}")
    st.subheader("Coverage and invalid values")
    st.dataframe(from_report(shown, fidelity.coverage_table), hide_index=True, width="stretch")

with tab_pairs:
    method = st.radio("Correlation", ["pearson", "spearman"], horizontal=True, key="fid.method")
    st.plotly_chart(from_report(shown, fidelity.correlation_heatmaps, method), key="fid.corr")
    st.plotly_chart(from_report(shown, fidelity.pair_trend_heatmap), key="fid.pairs")

with tab_detect:
    det = report.top("fidelity.detection")
    if det is not None and det.status == "ok":
        base = "" if det.baseline is None else f" (real vs holdout: {det.baseline:.3f})"
        st.metric("Detection ROC AUC (0.5 = indistinguishable)", f"{det.value:.3f}",
                  help="A classifier trained to tell real rows from synthetic ones, "
                       "cross-validated." + base)
    st.plotly_chart(from_report(shown, fidelity.detection_features), key="fid.detect")
    st.plotly_chart(from_report(shown, fidelity.projection_scatter), key="fid.pca")

with tab_sample:
    st.dataframe(from_report(shown, sample_level.sample_level_table), hide_index=True,
                 width="stretch")
    st.plotly_chart(from_report(shown, sample_level.alpha_beta_curves), key="fid.alpha")
