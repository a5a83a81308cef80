"""Review: a domain expert judges every column (and may flag pairs), then signs off the run."""

import pandas as pd
import streamlit as st

from core.errors import UserInputError
from core.figures import fidelity
from core.figures.common import metric_name
from core.figures.replay import replay_of_column
from core.glossary import help_for, term_text
from core.review import (
    DECISION_WORDS,
    DECISIONS,
    SIGNOFFS,
    ReviewConflict,
    column_pairs,
    current_decisions,
    current_signoff,
    evidence_for,
    history,
    next_undecided,
    pair_targets,
    progress,
    record_decision,
    shown_text,
    sign_off,
    signoff_needs,
    status_label,
)
from ui import state
from ui.auth import identity
from ui.bootstrap import bootstrap
from ui.evaluation import run_report_header
from ui.glossary import glossary_expander
from ui.text import md_escape, show_error

LABELS = {"approve": "Approve", "reject": "Reject", "needs_work": "Needs work"}

store = bootstrap("Review")
st.title("Review")

run, policy, report, _ = run_report_header(store)
who = identity()

columns = list(report.schema.synth_columns)
decided = current_decisions(store, run.id)
done, total = progress(store, run.id, columns)
st.progress(done / total if total else 0.0, text=f"{done} of {total} columns reviewed")

idx_key = state.review_idx_key(run.id)
idx = min(st.session_state.get(idx_key, 0), len(columns) - 1)
labels = [status_label(c, decided[c].decision if c in decided else None) for c in columns]
idx = st.selectbox("Column", range(len(columns)), index=idx, format_func=labels.__getitem__,
                   key=state.review_pick_key(run.id, idx),
                   help="✓ approved · ✗ rejected · ⚠ needs work · ○ undecided")
st.session_state[idx_key] = idx
column = columns[idx]

# Evidence panels: what is open when the decision is saved is stored with it.
left, right = st.columns([3, 2])
with left:
    show_plot = st.toggle("Distribution plot", value=True,
                          key=state.review_panel_key(run.id, column, "plot"))
    if show_plot:
        st.plotly_chart(fidelity.column_plot(report, column), key="rv.plot")
    show_pairs = st.toggle("Pair trends with this column",
                           key=state.review_panel_key(run.id, column, "pairs"),
                           help=term_text("Pair trends"))
    if show_pairs:
        st.dataframe(pd.DataFrame(column_pairs(report, column), columns=["pair", "score"]),
                     hide_index=True, width="stretch",
                     column_config={"score": st.column_config.NumberColumn(format="%.3f")})
shown = ["scores"] + ["distribution plot"] * show_plot + ["pair trends"] * show_pairs
evidence = evidence_for(report, column, shown=shown)
with right:
    st.subheader("Scores for this column", help=term_text("Noise floor"))
    st.dataframe(
        pd.DataFrame([{"metric": metric_name(k), "value": v["value"], "noise floor": v["baseline"],
                       "status": v["status"]} for k, v in evidence["metrics"].items()]),
        hide_index=True, width="stretch",
        column_config={"value": st.column_config.NumberColumn(format="%.3f"),
                       "noise floor": st.column_config.NumberColumn(
                           format="%.3f", help=term_text("Noise floor"))},
    )
    for key in evidence["metrics"]:
        if help_for(key):
            st.caption(md_escape(help_for(key)))
    replay = replay_of_column(report, column)
    if replay is not None:  # rare real values in this column, shown by shape only
        text = f"Rare-value replay: {md_escape(replay['text'])}"
        if replay["examples"]:
            text += " Shapes of replayed values: " + md_escape(replay["examples"])
        if replay["over_limit"]:
            st.error(text, icon=":material/fingerprint:")
        else:
            st.caption(text)
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
    st.success(f"Signed off as {md_escape(signoff.label)} by {md_escape(signoff.reviewer)} at "
               f"{signoff.created_at:%Y-%m-%d %H:%M} UTC: {md_escape(signoff.reason)}",
               icon=":material/verified:")

if who is not None:
    reviewer, role = who
    with st.form(f"rv.form.{run.id}.{column}"):
        # Nothing is pre-selected: every decision is a choice the reviewer made.
        choice = st.radio("Decision", DECISIONS, format_func=LABELS.get, horizontal=True,
                          index=None, key=f"rv.choice.{column}")
        comment = st.text_area("Comment (required to reject)", key=f"rv.comment.{column}")
        save = st.form_submit_button("Save decision and go to the next column", type="primary",
                                     icon=":material/check:")
    st.caption(f"Saved with the decision as what you had open: {md_escape(', '.join(shown))}.")
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
                                index=None, key="rv.pair.choice")
            p_comment = st.text_input("Comment", key="rv.pair.comment")
            p_save = st.form_submit_button("Save pair decision")
        if p_save and pair:
            seen = pair_done.get(pair)
            try:
                record_decision(
                    store, run.id, pair, p_choice, p_comment, reviewer, role=role, kind="pair",
                    evidence=evidence_for(report, pair, kind="pair", shown=["pair list"]),
                    seen_id=seen.id if seen else None,
                    token=state.form_token(st.session_state, f"rv.pair.{run.id}"),
                )
            except UserInputError as exc:
                show_error(exc)
            else:
                state.rotate_token(st.session_state, f"rv.pair.{run.id}")
                st.success(f"Saved: {LABELS[p_choice]} for {pair}.")

    ready = done == total
    st.subheader("Sign-off", help=term_text("Sign-off"))
    if not ready:
        st.caption(f"Sign-off opens when every column has a decision ({total - done} to go).")
    needs = signoff_needs(store, run.id)
    with st.form(f"rv.signoff.{run.id}"):
        s_choice = st.radio("Run decision", SIGNOFFS, horizontal=True, key="rv.signoff.choice",
                            index=None, format_func=str.capitalize)
        reason = st.text_area("Reason", key="rv.signoff.reason")
        override = None
        if needs:
            st.warning(f"Approving this run overrides the review: {md_escape(needs)}. Say why "
                       "you approve it anyway; the override is shown with the sign-off "
                       "everywhere.", icon=":material/gavel:")
            override = st.text_area("Override reason (required to approve)",
                                    key="rv.signoff.override")
        s_save = st.form_submit_button("Sign off", disabled=not ready, icon=":material/verified:")
    if s_save:
        try:
            stored = sign_off(
                store, run.id, s_choice, reason, reviewer, role=role, columns=columns,
                override=override if s_choice == "approved" else None,
                token=state.form_token(st.session_state, f"rv.signoff.{run.id}"))
        except UserInputError as exc:
            show_error(exc)
        else:
            state.rotate_token(st.session_state, f"rv.signoff.{run.id}")
            st.session_state[state.FLASH] = f"Run signed off as {stored.label}."
            st.rerun()

st.subheader("History")
events = history(store, run.id)
if events:
    st.dataframe(
        pd.DataFrame([{"when": e.created_at, "who": e.reviewer, "role": e.role, "kind": e.kind,
                       "target": e.target,
                       "decision": DECISION_WORDS.get(e.decision, e.decision),
                       "comment": e.comment, "open when deciding": shown_text(e.evidence)}
                      for e in events]),
        hide_index=True, width="stretch",
        column_config={"when": st.column_config.DatetimeColumn(format="YYYY-MM-DD HH:mm")},
    )
st.caption(f"{len(events)} decision(s) recorded for this run.")
glossary_expander()
