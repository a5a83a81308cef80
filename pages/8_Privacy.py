"""Privacy: distances to training rows, attacks, per-group risk, and the riskiest rows."""

import streamlit as st

from core.drilldown import copied_rows, mask_real_frame, riskiest_pairs
from core.errors import UserInputError
from core.figures import audit, common, fairness, privacy
from core.review import ReviewConflict, current_decisions, record_decision
from ui import state
from ui.audit import audit_button
from ui.auth import identity
from ui.bootstrap import bootstrap
from ui.evaluation import from_report, from_tables, run_report_header, run_tables
from ui.text import md_escape, show_error

store = bootstrap("Privacy")
st.title("Privacy")

shown = run_report_header(store)
run, report = shown.run, shown.report

st.caption(common.privacy_note(report))
# Every figure and table is built once per report (from_report), not on every rerun.
st.info(md_escape(from_report(shown, privacy.evidence_summary)), icon=":material/policy:")

st.subheader("Evidence: distances beside attacks")
st.dataframe(from_report(shown, privacy.evidence_matrix), hide_index=True, width="stretch")
st.caption("Distance measures say how close synthetic rows sit to training rows; attacks try to "
           "exploit it. Distance measures are heuristics; attacks are the evidence. Where the "
           "two disagree, trust the attacks and look closer at the drill-down below.")

st.subheader("What each figure says")
st.dataframe(from_report(shown, privacy.privacy_summary), hide_index=True, width="stretch")

c1, c2 = st.columns(2)
with c1:
    st.plotly_chart(from_report(shown, privacy.dcr_distributions), key="pr.dcr")
with c2:
    st.plotly_chart(from_report(shown, privacy.dcr_share), key="pr.share")
st.plotly_chart(from_report(shown, privacy.anonymeter_risks), key="pr.anon")
sets = from_report(shown, fairness.attribute_sets)
if sets:
    every = "every protected attribute and intersection"
    attrs = st.selectbox("Privacy risk per group of", [every, *sets], key="pr.group.attrs")
    st.plotly_chart(from_report(shown, privacy.privacy_by_group,
                                None if attrs == every else attrs), key="pr.groups")

st.subheader("Generator audit: a membership attack that retrains the generator")
st.caption(audit.HEURISTICS)
if audit.has_audit(report):
    overall = audit.overall_figures(report)
    m1, m2, m3 = st.columns(3)
    m1.metric("Attack AUC (0.5 = no leak)", common.fmt(overall["auc"]),
              help=f"95% interval {common.fmt(overall['ci_low'])}–"
              f"{common.fmt(overall['ci_high'])}, over {overall['test_shadows']} test shadows.")
    m2.metric("Advantage (TPR − FPR)", common.fmt(overall["advantage"]))
    m3.metric("ε lower bound (95%)", common.fmt(overall["epsilon_lower"]))
    st.info(md_escape(audit.audit_summary(report)), icon=":material/policy:")
    st.plotly_chart(from_report(shown, audit.audit_targets), key="pr.audit")
    st.dataframe(audit.audit_table(report), hide_index=True, width="stretch")
    for note in audit.audit_notes(report):
        st.caption(md_escape(note))
    try:
        audit_train, _ = run_tables(store, run)
    except UserInputError as exc:  # purged: the figures above come from the stored audit
        show_error(exc)
    else:
        at = audit.riskiest_row(report)
        if at is not None and at < len(audit_train):
            st.markdown("**The riskiest target record**, masked like every display of real data:")
            st.dataframe(mask_real_frame(audit_train, audit_train.iloc[[at]], report.schema,
                                         report.config["min_group_rows"]), width="stretch")
    if run.generator != "uploaded":
        audit_button(run.id, again=True)
else:
    st.info(md_escape(audit.audit_summary(report)), icon=":material/policy:")
    if run.generator != "uploaded":
        audit_button(run.id)

replay = from_report(shown, privacy.replay_table)
if not replay.empty:
    st.subheader("Rare values replayed")
    worst = privacy.replay_of_column(report, replay["column"].iloc[0])
    if worst is not None and worst["over_limit"]:
        st.error(f"Column '{md_escape(worst['column'])}': {md_escape(worst['text'])}",
                 icon=":material/warning:")
    st.caption("Values that at most a few training rows and no holdout row have (a case number, "
               "a rare surname) can only come from those people. Examples show the shape of a "
               "value (X upper-case, x lower-case, # digit), never the value.")
    st.dataframe(replay.head(10), hide_index=True, width="stretch")

disclosure = from_report(shown, privacy.disclosure_table)
anonymity = privacy.anonymity_text(report)
if anonymity is not None or not disclosure.empty:
    st.subheader("Quasi-identifiers: k-anonymity, l-diversity, CAP disclosure")
    if anonymity is not None:
        st.caption(md_escape(anonymity))
    st.caption("For each protected attribute and the target: how many distinct values the "
               "rows sharing the other quasi-identifiers hold (l), and how often guessing it "
               "from those synthetic rows is right (CAP) for training rows and for holdout "
               "rows; the excess risk is the difference that the synthetic data add.")
    if not disclosure.empty:
        st.dataframe(disclosure, hide_index=True, width="stretch")

# Masked real rows, once per report (from_tables): masking reads every training row.
try:
    copied = from_tables(store, shown, copied_rows)
    pairs = from_tables(store, shown, riskiest_pairs, 20)
except UserInputError as exc:  # the real rows were purged: the figures above come from the report
    show_error(exc)
    st.stop()
if not copied.empty:
    copies = report.top("privacy.exact_copies")
    st.subheader("Exact copies of training rows")
    st.caption(f"{copies.details.get('count', len(copied)):,} synthetic rows copy a training row; "
               "the first ones are listed, masked like every display of real data.")
    st.dataframe(copied, width="stretch")

st.subheader("Riskiest synthetic rows next to their nearest real rows")
if pairs.empty:
    st.info("No distances were computed for this run.")
    st.stop()
st.dataframe(pairs, hide_index=True, width="stretch")
flags = current_decisions(store, run.id, kind="row")
st.caption("Flag a synthetic row for the reviewer (stored with your identity, role and the "
           "evidence).")
who = identity()  # the signed-in identity and its role when sign-in is on, as on Review
with st.form("pr.flag", clear_on_submit=True):
    row = st.selectbox("Synthetic row", list(pairs["synthetic row"]), key="pr.flag.row")
    comment = st.text_input("Why", key="pr.flag.comment")
    submitted = st.form_submit_button("Flag row", icon=":material/flag:", disabled=who is None)
if submitted and who is not None:
    reviewer, role = who
    target = f"synthetic row {row}"
    seen = flags.get(target)
    try:
        record_decision(
            store, run.id, target, "reject", comment, reviewer,
            role=role, kind="row",
            evidence=pairs[pairs["synthetic row"] == row].iloc[0].astype(str).to_dict(),
            seen_id=seen.id if seen else None,
            token=state.form_token(st.session_state, "pr.flag"),
        )
    except ReviewConflict as exc:
        show_error(exc)
    except UserInputError as exc:
        show_error(exc)
    else:
        state.rotate_token(st.session_state, "pr.flag")
        st.success(f"Flagged synthetic row {row}.")
if flags:
    st.caption("Flagged rows: " + ", ".join(sorted(flags)))
