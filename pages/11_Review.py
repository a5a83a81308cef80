"""Review: a domain expert judges every column (and may flag pairs), then signs off the run."""

import pandas as pd
import streamlit as st

from core.errors import UserInputError
from core.figures import fidelity
from core.review import (
    DECISIONS,
    SIGNOFFS,
    ReviewConflict,
    current_decisions,
    current_signoff,
    evidence_for,
    history,
    next_undecided,
    pair_targets,
    progress,
    record_decision,
    sign_off,
)
from ui import state
from ui.auth import identity
from ui.bootstrap import bootstrap
from ui.evaluation import run_report_header
from ui.text import md_escape, show_error

LABELS = {"approve": "Approve", "reject": "Reject", "needs_work": "Needs work"}

store = bootstrap("Review")
st.title("Review")

run, policy, report = run_report_header(store)
who = identity()

columns = list(report.schema.synth_columns)
decided = current_decisions(store, run.id)
done, total = progress(store, run.id, columns)
st.progress(done / total if total else 0.0, text=f"{done} of {total} columns reviewed")

idx_key = state.review_idx_key(run.id)
idx = min(st.session_state.get(idx_key, 0), len(columns) - 1)
labels = [f"{'✓' if c in decided else '○'} {c}" for c in columns]
idx = st.selectbox("Column", range(len(columns)), index=idx, format_func=labels.__getitem__,
                   key=state.review_pick_key(run.id, idx))
st.session_state[idx_key] = idx
column = columns[idx]

left, right = st.columns([3, 2])
with left:
    st.plotly_chart(fidelity.column_plot(report, column), key="rv.plot")
evidence = evidence_for(report, column)
with right:
    st.subheader("Scores for this column")
    st.dataframe(
        pd.DataFrame([{"metric": k, "value": v["value"], "noise floor": v["baseline"],
                       "status": v["status"]} for k, v in evidence["metrics"].items()]),
        hide_index=True, width="stretch",
    )
    current = decided.get(column)
    if current:
        st.info(f"Current decision: {LABELS[current.decision]} by {md_escape(current.reviewer)} "
                f"at {current.created_at:%Y-%m-%d %H:%M}" +
                (f" — {md_escape(current.comment)}" if current.comment else ""))

# The decision the reviewer saw when the page rendered: a write based on an older one conflicts.
seen_key = state.review_seen_key(run.id, column)
if seen_key not in st.session_state or st.session_state.get(state.REVIEW_LAST_COL) != column:
    st.session_state[seen_key] = decided[column].id if column in decided else None
st.session_state[state.REVIEW_LAST_COL] = column

signoff = current_signoff(store, run.id)
if signoff:
    st.success(f"Signed off as {signoff.decision} by {md_escape(signoff.reviewer)} at "
               f"{signoff.created_at:%Y-%m-%d %H:%M} UTC: {md_escape(signoff.reason)}",
               icon=":material/verified:")

if who is not None:
    reviewer, role = who
    with st.form(f"rv.form.{run.id}.{column}"):
        choice = st.radio("Decision", DECISIONS, format_func=LABELS.get, horizontal=True,
                          key=f"rv.choice.{column}")
        comment = st.text_area("Comment (required to reject)", key=f"rv.comment.{column}")
        save = st.form_submit_button("Save decision and go to the next column", type="primary",
                                     icon=":material/check:")
    if save:
        try:
            record_decision(
                store, run.id, column, choice, comment, reviewer, role=role, kind="column",
                evidence=evidence, seen_id=st.session_state[seen_key],
                token=state.form_token(st.session_state, f"rv.{run.id}.{column}"),
            )
        except ReviewConflict as exc:
            show_error(exc)
            st.session_state[seen_key] = exc.current.id  # now seen: a resubmit may override
        except UserInputError as exc:
            show_error(exc)
        else:
            state.rotate_token(st.session_state, f"rv.{run.id}.{column}")
            st.session_state.pop(seen_key, None)
            st.session_state[idx_key] = next_undecided(columns, decided, idx)
            st.session_state[state.FLASH] = f"Saved: {LABELS[choice]} for '{column}'."
            st.rerun()

    with st.expander("Flag a pair of columns"):
        pairs = pair_targets(report)
        pair_done = current_decisions(store, run.id, kind="pair")
        with st.form(f"rv.pair.{run.id}"):
            pair = st.selectbox("Pair (lowest pair-trend scores first)", pairs, key="rv.pair")
            p_choice = st.radio("Decision", DECISIONS, format_func=LABELS.get, horizontal=True,
                                key="rv.pair.choice")
            p_comment = st.text_input("Comment", key="rv.pair.comment")
            p_save = st.form_submit_button("Save pair decision")
        if p_save and pair:
            seen = pair_done.get(pair)
            try:
                record_decision(
                    store, run.id, pair, p_choice, p_comment, reviewer, role=role, kind="pair",
                    evidence=evidence_for(report, pair, kind="pair"),
                    seen_id=seen.id if seen else None,
                    token=state.form_token(st.session_state, f"rv.pair.{run.id}"),
                )
            except UserInputError as exc:
                show_error(exc)
            else:
                state.rotate_token(st.session_state, f"rv.pair.{run.id}")
                st.success(f"Saved: {LABELS[p_choice]} for {pair}.")

    ready = done == total
    st.subheader("Sign-off")
    if not ready:
        st.caption(f"Sign-off opens when every column has a decision ({total - done} to go).")
    with st.form(f"rv.signoff.{run.id}"):
        s_choice = st.radio("Run decision", SIGNOFFS, horizontal=True, key="rv.signoff.choice",
                            format_func=str.capitalize)
        reason = st.text_area("Reason", key="rv.signoff.reason")
        s_save = st.form_submit_button("Sign off", disabled=not ready, icon=":material/verified:")
    if s_save:
        try:
            sign_off(store, run.id, s_choice, reason, reviewer, role=role, columns=columns,
                     token=state.form_token(st.session_state, f"rv.signoff.{run.id}"))
        except UserInputError as exc:
            show_error(exc)
        else:
            state.rotate_token(st.session_state, f"rv.signoff.{run.id}")
            st.session_state[state.FLASH] = f"Run signed off as {s_choice}."
            st.rerun()

st.subheader("History")
events = history(store, run.id)
if events:
    st.dataframe(
        pd.DataFrame([{"when": e.created_at, "who": e.reviewer, "role": e.role, "kind": e.kind,
                       "target": e.target, "decision": LABELS.get(e.decision, e.decision),
                       "comment": e.comment} for e in events]),
        hide_index=True, width="stretch",
    )
st.caption(f"{len(events)} decision(s) recorded for this run.")
