"""The Review page's parts, each a fragment that reruns on its own.

Saving a decision reruns only what the decision changes, not the page: a column decision reruns
the column review (progress, picker, evidence, the form) and the history count, a pair decision
the pair form and the count. The save itself runs in the form's ``on_click`` callback, before
the rerun, with what the reviewer saw when the form was drawn (the evidence, the decision id seen,
the form's token), so one click is one write and the rerun draws the result at once. Figures and
tables come from the per-report caches (:func:`ui.evaluation.from_report`); the history table is
read only when asked for. A sign-off reruns the whole page: the sign-off shows everywhere.
"""

from __future__ import annotations

from typing import Any

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
    decision_count,
    evidence_for,
    history,
    next_undecided,
    pair_targets,
    progress_of,
    record_decision,
    shown_text,
    sign_off,
    signoff_needs,
    status_label,
)
from core.store import Store
from ui import state
from ui.evaluation import ShownReport, from_report, shared_figure
from ui.text import md_escape, show_error

LABELS = {"approve": "Approve", "reject": "Reject", "needs_work": "Needs work"}
SAVE_COLUMN = "Save decision and go to the next column"
SAVE_PAIR = "Save pair decision"
PAIR_BOX = "Pair (lowest pair-trend scores first)"
# Fragment keys: a save's callback reruns exactly the parts it changed.
COLUMN, PAIRS, SIGNOFF, HISTORY = "rv.column", "rv.pairs", "rv.signoff", "rv.history"
Who = tuple[str, str]  # (reviewer name, role), from ui.auth.identity


def _show_error(form: str) -> None:
    """The error the last save of ``form`` gave, once."""
    exc = st.session_state.pop(state.review_error_key(form), None)
    if exc is not None:
        show_error(exc)


@st.fragment(key=COLUMN)
def column_review(store: Store, shown: ShownReport, who: Who | None) -> None:
    """Progress, the column picker, the column's evidence and its decision form."""
    run, report = shown.run, shown.report
    columns = list(report.schema.synth_columns)
    # A save's rerun draws the decisions its callback read just after writing (one query less)
    just_read = st.session_state.pop(state.REVIEW_DECIDED, None)
    decided = (just_read[1] if just_read is not None and just_read[0] == run.id
               else current_decisions(store, run.id))
    done, total = progress_of(decided, columns)
    st.progress(done / total if total else 0.0, text=f"{done} of {total} columns reviewed")
    saved = st.session_state.pop(state.REVIEW_SAVED, None)
    if saved:
        st.success(saved)

    idx_key = state.review_idx_key(run.id)
    idx = min(st.session_state.get(idx_key, 0), len(columns) - 1)
    labels = [status_label(c, decided[c].decision if c in decided else None) for c in columns]
    pick_key = state.review_pick_key(run.id, idx)
    idx = st.selectbox("Column", range(len(columns)), index=idx, format_func=labels.__getitem__,
                       key=pick_key, help="✓ approved · ✗ rejected · ⚠ needs work · ○ undecided",
                       # the column stays picked when a click on another page comes with it
                       on_change=state.copy_pick, args=(st.session_state, pick_key, idx_key))
    st.session_state[idx_key] = idx
    column = columns[idx]

    # Evidence panels: what is open when the decision is saved is stored with it.
    left, right = st.columns([3, 2])
    with left:
        show_plot = st.toggle("Distribution plot", value=True,
                              key=state.review_panel_key(run.id, column, "plot"))
        if show_plot:
            st.plotly_chart(shared_figure(shown, fidelity.column_plot, column), key="rv.plot")
        show_pairs = st.toggle("Pair trends with this column",
                               key=state.review_panel_key(run.id, column, "pairs"),
                               help=term_text("Pair trends"))
        if show_pairs:
            st.dataframe(pd.DataFrame(from_report(shown, column_pairs, column),
                                      columns=["pair", "score"]),
                         hide_index=True, width="stretch",
                         column_config={"score": st.column_config.NumberColumn(format="%.3f")})
    panels = ("scores",) + ("distribution plot",) * show_plot + ("pair trends",) * show_pairs
    evidence = from_report(shown, evidence_for, column, shown=panels)
    with right:
        _scores(shown, column, evidence)
        current = decided.get(column)
        if current:
            st.info(f"Current decision: {LABELS[current.decision]} by "
                    f"{md_escape(current.reviewer)} at {current.created_at:%Y-%m-%d %H:%M}" +
                    (f" — {md_escape(current.comment)}" if current.comment else ""))

    # The decision the reviewer saw when the column was shown: a write based on an older one
    # conflicts.
    seen_key = state.review_seen_key(run.id, column)
    if seen_key not in st.session_state or st.session_state.get(state.REVIEW_LAST_COL) != column:
        st.session_state[seen_key] = current.id if current else None
    st.session_state[state.REVIEW_LAST_COL] = column

    signoff = current_signoff(store, run.id)
    if signoff:
        st.success(md_escape(signoff.sentence), icon=":material/verified:")
    if who is None:
        return
    token = state.form_token(st.session_state, f"rv.{run.id}.{column}")
    with st.form(f"rv.form.{run.id}.{column}"):
        # Nothing is pre-selected: every decision is a choice the reviewer made.
        st.radio("Decision", DECISIONS, format_func=LABELS.get, horizontal=True, index=None,
                 key=f"rv.choice.{column}")
        st.text_area("Comment (required to reject)", key=f"rv.comment.{column}")
        st.form_submit_button(
            SAVE_COLUMN, type="primary", icon=":material/check:", on_click=_save_column,
            args=(store, shown, column, evidence, st.session_state[seen_key], token, who,
                  current is not None and current.decision == "reject"))
    st.caption(f"Saved with the decision as what you had open: {md_escape(', '.join(panels))}.")
    _show_error("column")


def _scores(shown: ShownReport, column: str, evidence: dict[str, Any]) -> None:
    """The column's scores beside their noise floors, their help, and its rare-value replay."""
    st.subheader("Scores for this column", help=term_text("Noise floor"))
    # A static table: a handful of rows redrawn after every save (a data grid costs the browser
    # more to draw than the whole scores panel is worth)
    st.table(pd.DataFrame(
        [{"metric": metric_name(k), "value": _three(v["value"]),
          "noise floor": _three(v["baseline"]), "status": v["status"]}
         for k, v in evidence["metrics"].items()]).set_index("metric"))
    # The explanations of this column's type (the TV complement for categories), each once
    # though several metrics share one; folded, so the decision form stays near the plot
    sdtype = shown.report.schema.sdtype(column)
    texts = dict.fromkeys(filter(None, (help_for(k, sdtype) for k in evidence["metrics"])))
    if texts:
        with st.expander("What these scores mean", icon=":material/help:"):
            for text in texts:
                st.caption(md_escape(text))
    replay = from_report(shown, replay_of_column, column)
    if replay is not None:  # rare real values in this column, shown by shape only
        text = f"Rare-value replay: {md_escape(replay['text'])}"
        if replay["examples"]:
            text += " Shapes of replayed values: " + md_escape(replay["examples"])
        if replay["over_limit"]:
            st.error(text, icon=":material/fingerprint:")
        else:
            st.caption(text)


def _three(value: float | None) -> str:
    return "—" if value is None else f"{value:.3f}"


def _save_column(store: Store, shown: ShownReport, column: str, evidence: dict[str, Any],
                 seen_id: int | None, token: str, who: Who, was_rejected: bool) -> None:
    """The column form's callback: store the decision, move on, rerun what it changed."""
    run_id = shown.run.id
    columns = list(shown.report.schema.synth_columns)
    choice = st.session_state.get(f"rv.choice.{column}")
    seen_key = state.review_seen_key(run_id, column)
    reviewer, role = who
    rerun = [COLUMN, HISTORY]
    try:
        record_decision(
            store, run_id, column, choice, st.session_state.get(f"rv.comment.{column}", ""),
            reviewer, role=role, kind="column", evidence=evidence, seen_id=seen_id, token=token)
    except ReviewConflict as exc:
        st.session_state[state.review_error_key("column")] = exc
        st.session_state[seen_key] = exc.current.id  # now seen: a resubmit may override
    except UserInputError as exc:
        st.session_state[state.review_error_key("column")] = exc
    else:
        # A repeated click (same token) stored nothing new and lands here again: the same
        # next column and the same message, so it changes nothing either.
        state.rotate_token(st.session_state, f"rv.{run_id}.{column}")
        st.session_state.pop(seen_key, None)
        decided = current_decisions(store, run_id)
        st.session_state[state.REVIEW_DECIDED] = (run_id, decided)
        st.session_state[state.review_idx_key(run_id)] = next_undecided(
            columns, decided, columns.index(column))
        st.session_state[state.REVIEW_SAVED] = f"Saved: {LABELS[choice]} for '{column}'."
        done, total = progress_of(decided, columns)
        if done == total or choice == "reject" or was_rejected:
            rerun.append(SIGNOFF)  # it may open, or need (or no longer need) an override
    st.rerun(rerun)


@st.fragment(key=PAIRS)
def pair_form(store: Store, shown: ShownReport, who: Who) -> None:
    """Flag a pair of columns (the lowest pair-trend scores first)."""
    run_id = shown.run.id
    pairs = from_report(shown, pair_targets)
    token = state.form_token(st.session_state, f"rv.pair.{run_id}")
    with st.form(f"rv.pair.{run_id}"):
        st.selectbox(PAIR_BOX, pairs, key="rv.pair")
        st.radio("Decision", DECISIONS, format_func=LABELS.get, horizontal=True, index=None,
                 key="rv.pair.choice")
        st.text_input("Comment", key="rv.pair.comment")
        st.form_submit_button(SAVE_PAIR, on_click=_save_pair, args=(store, shown, token, who))
    _show_error("pair")
    saved = st.session_state.pop(state.REVIEW_PAIR_SAVED, None)
    if saved:
        st.success(saved)


def _save_pair(store: Store, shown: ShownReport, token: str, who: Who) -> None:
    """The pair form's callback: store the decision, rerun the form and the history count.

    The form does not show a pair's current decision, so the one seen is the one current when
    the save is made: only a decision stored at the same moment conflicts.
    """
    pair = st.session_state.get("rv.pair")
    if not pair:
        return
    run_id = shown.run.id
    choice = st.session_state.get("rv.pair.choice")
    reviewer, role = who
    seen = current_decisions(store, run_id, kind="pair").get(pair)
    try:
        record_decision(
            store, run_id, pair, choice, st.session_state.get("rv.pair.comment", ""), reviewer,
            role=role, kind="pair",
            evidence=from_report(shown, evidence_for, pair, kind="pair", shown=("pair list",)),
            seen_id=seen.id if seen else None, token=token)
    except UserInputError as exc:  # a ReviewConflict too
        st.session_state[state.review_error_key("pair")] = exc
    else:
        state.rotate_token(st.session_state, f"rv.pair.{run_id}")
        st.session_state[state.REVIEW_PAIR_SAVED] = f"Saved: {LABELS[choice]} for {pair}."
    st.rerun([PAIRS, HISTORY])


@st.fragment(key=SIGNOFF)
def signoff_form(store: Store, shown: ShownReport, who: Who) -> None:
    """The run's sign-off: open once every column has a decision; an override when needed."""
    run_id = shown.run.id
    columns = list(shown.report.schema.synth_columns)
    done, total = progress_of(current_decisions(store, run_id), columns)
    reviewer, role = who
    st.subheader("Sign-off", help=term_text("Sign-off"))
    if done < total:
        st.caption(f"Sign-off opens when every column has a decision ({total - done} to go).")
    needs = signoff_needs(store, run_id)
    with st.form(f"rv.signoff.{run_id}"):
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
        s_save = st.form_submit_button("Sign off", disabled=done < total,
                                       icon=":material/verified:")
    if s_save:
        try:
            stored = sign_off(
                store, run_id, s_choice, reason, reviewer, role=role, columns=columns,
                override=override if s_choice == "approved" else None,
                token=state.form_token(st.session_state, f"rv.signoff.{run_id}"))
        except UserInputError as exc:
            show_error(exc)
        else:
            state.rotate_token(st.session_state, f"rv.signoff.{run_id}")
            st.session_state[state.FLASH] = f"Run signed off as {stored.label.rstrip('.')}."
            st.rerun()  # the whole page: the sign-off is shown at the top and on every part


@st.fragment(key=HISTORY)
def history_panel(store: Store, run_id: str) -> None:
    """How many decisions the run has; every one of them only when asked for."""
    st.subheader("History")
    count = decision_count(store, run_id)
    if count and st.toggle("Show every decision (who, when, what was open)",
                           key=state.review_history_key(run_id)):
        st.dataframe(
            pd.DataFrame([{"when": e.created_at, "who": e.reviewer, "role": e.role,
                           "kind": e.kind, "target": e.target,
                           "decision": DECISION_WORDS.get(e.decision, e.decision),
                           "comment": e.comment, "open when deciding": shown_text(e.evidence)}
                          for e in history(store, run_id)]),
            hide_index=True, width="stretch",
            column_config={"when": st.column_config.DatetimeColumn(format="YYYY-MM-DD HH:mm")},
        )
    st.caption(f"{count} decision(s) recorded for this run.")
