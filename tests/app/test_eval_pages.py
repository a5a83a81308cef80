"""The evaluation, review and report pages render a stored report and show their key elements."""

from __future__ import annotations

import pytest

from core.gate import get_policy
from core.review import (
    MSG_NEEDS_OVERRIDE,
    MSG_NO_DECISION,
    MSG_NO_SIGNOFF_CHOICE,
    current_signoff,
    history,
    record_decision,
)
from tests.app.conftest import page
from ui import state
from ui.bootstrap import _open_store
from ui.text import md_escape


@pytest.fixture(autouse=True)
def _fresh_store_cache():
    _open_store.clear()
    yield
    _open_store.clear()


def _open(db, name, **session):
    at = page(name)
    at.session_state[state.DATASET_ID] = db["dataset"]
    at.session_state[state.RUN_ID] = db["run"]
    for k, v in session.items():
        at.session_state[k] = v
    return at.run()


def test_overview_shows_verdict_gate_scores_and_review_progress(evaluated_db):
    at = _open(evaluated_db, "pages/5_Overview.py")
    assert not at.exception
    gate = at.dataframe[1].value
    assert len(gate) == len(get_policy("internal").checks)
    assert set(gate["result"]) <= {"pass", "fail", "inconclusive (within noise)", "not computed"}
    # the new headline sentence (escaped for Markdown)
    assert any("under policy" in m.value and "internal" in m.value for m in at.markdown)
    assert [s.value for s in at.subheader][:2] == ["How it was generated", "Acceptance gate"]
    assert len(at.get("plotly_chart")) == 1
    boxes = [e.value for e in [*at.error, *at.success, *at.warning]]
    assert any("policy internal" in b and "checks pass" in b for b in boxes), boxes


def test_overview_without_a_report_offers_to_evaluate(seeded_db):
    at = page("pages/5_Overview.py")
    at.session_state[state.DATASET_ID] = seeded_db["dataset"]
    at.session_state[state.RUN_ID] = seeded_db["run"]
    at.run()
    assert not at.exception
    assert at.info[0].value.startswith("This run has not been evaluated yet.")
    assert at.button(key=f"eval.go.{seeded_db['run']}").label == "Evaluate"


def test_fidelity_page_plots_every_column_worst_first(evaluated_db):
    at = _open(evaluated_db, "pages/6_Fidelity.py")
    assert not at.exception
    scores = at.dataframe[0].value
    assert len(scores) == 15
    assert list(scores["score"]) == sorted(scores["score"])
    # 15 column plots + correlation heatmaps + pair trends + detection + projection + α/β curves
    assert len(at.get("plotly_chart")) == 15 + 5
    # pMSE, α-precision and β-recall with their holdout floors, each computed
    sample = next(d.value for d in at.dataframe if "rows per side" in d.value.columns)
    assert list(sample["measure"]) == ["pMSE ratio (propensity score)",
                                       "α-precision (one-class embedding)",
                                       "β-recall (one-class embedding)"]
    assert sample["value"].notna().all() and sample["holdout (noise floor)"].notna().all()


def test_utility_page(evaluated_db):
    at = _open(evaluated_db, "pages/7_Utility.py")
    assert not at.exception
    assert len(at.get("plotly_chart")) == 2
    assert "predict 'class'" in at.caption[0].value


def test_privacy_page_evidence_and_drilldown(evaluated_db):
    at = _open(evaluated_db, "pages/8_Privacy.py")
    assert not at.exception
    assert [s.value for s in at.subheader][:2] == ["Evidence: distances beside attacks",
                                                   "What each figure says"]
    assert len(at.get("plotly_chart")) == 4
    evidence = at.dataframe[0].value.set_index("evidence")
    assert evidence.loc["Authenticity (one-class embedding)", "kind"] == "distance"
    summary = at.dataframe[1].value.set_index("measure")
    assert 0.0 <= summary.loc["Authenticity (one-class embedding)", "value"] <= 1.0
    pairs = at.dataframe[-1].value
    assert "synthetic row" in pairs.columns and len(pairs) > 0


def test_fairness_page_attributes_and_reference_group(evaluated_db):
    at = _open(evaluated_db, "pages/9_Fairness.py")
    assert not at.exception
    assert at.selectbox(key="fa.attrs").options[:2] == ["sex", "race"]
    at.selectbox(key="fa.attrs").set_value("sex").run()
    at.selectbox(key="fa.ref.sex").set_value("sex=Female").run()
    assert not at.exception
    # amplification and attenuation side by side, shares, rates, group fidelity
    assert len(at.get("plotly_chart")) == 5
    assert "the gap to everyone else" in at.markdown[0].value


def test_compare_page_leaderboard(evaluated_db):
    at = _open(evaluated_db, "pages/10_Compare.py")
    assert not at.exception
    board = at.dataframe[0].value
    assert len(board) == 1
    assert len(at.get("plotly_chart")) == 1


SAVE = "Save decision and go to the next column"


def _save(at, run_id, col):
    at.button(key=f"FormSubmitter:rv.form.{run_id}.{col}-{SAVE}").click().run()


def test_review_page_explains_each_score_once(evaluated_db):
    # Setup: a protected column, whose fairness metrics share explanations
    run_id = evaluated_db["run"]
    at = _open(evaluated_db, "pages/11_Review.py", **{state.REVIEWER: "Dana"})
    pick = at.selectbox(key=state.review_pick_key(run_id, 0))
    sex = next(i for i in range(len(pick.proto.options))
               if pick.format_func(i).endswith(" sex — undecided"))
    # Run
    at = pick.set_value(sex).run()
    # Assert: every explanation once, those shared by two metrics too
    assert not at.exception
    names = [c.value.split("\\:")[0] for c in at.caption if "\\:" in c.value]
    assert len(names) == len(set(names)), names
    assert {"Bias amplification", "Demographic parity / equalized odds"} <= set(names), names
    # a category column: the TV complement explains its shape score, the KS complement does not
    assert "TV complement" in names and "KS complement" not in names
    assert "What these scores mean" in [e.proto.label for e in at.expander]


def test_review_page_decides_columns_and_refuses_reject_without_comment(evaluated_db):
    # Setup
    run_id = evaluated_db["run"]
    at = _open(evaluated_db, "pages/11_Review.py", **{state.REVIEWER: "Dana"})
    assert not at.exception
    assert at.get("progress")[0].proto.text == "0 of 15 columns reviewed"
    col = "age"
    # Nothing is pre-selected: saving without a choice is refused with a message
    assert at.radio(key=f"rv.choice.{col}").value is None
    _save(at, run_id, col)
    assert not at.exception
    assert at.error[0].value == md_escape(MSG_NO_DECISION.format(kind="column", target=col))
    # Run: reject without a comment
    at.radio(key=f"rv.choice.{col}").set_value("reject")
    _save(at, run_id, col)
    # Assert
    assert not at.exception
    assert "comment" in at.error[0].value.lower()
    # Run: approve, chosen explicitly, with the pair-trends panel opened as well
    at.toggle(key=state.review_panel_key(run_id, col, "pairs")).set_value(True).run()
    at.radio(key=f"rv.choice.{col}").set_value("approve")
    _save(at, run_id, col)
    assert not at.exception
    assert at.get("progress")[0].proto.text == "1 of 15 columns reviewed"
    # the page moved on to the next undecided column; the picker marks the decided one
    pick = at.selectbox(key=state.review_pick_key(run_id, 1))
    assert pick.value == 1
    assert pick.format_func(0) == "✓ age — approved" and pick.format_func(1).startswith("○ ")
    store = _open_store(str(evaluated_db["path"].resolve()))  # the page's own store
    events = history(store, run_id)
    assert [(e.target, e.decision, e.reviewer) for e in events] == [("age", "approve", "Dana")]
    assert events[0].evidence["metrics"]["fidelity.column_shapes"]["status"] == "ok"
    assert events[0].evidence["shown"] == ["scores", "distribution plot", "pair trends"]
    assert current_signoff(store, run_id) is None


def _recorded(at):
    return [c.value for c in at.caption if c.value.endswith("decision(s) recorded for this run.")]


def test_pair_decisions_update_the_count_and_the_history_is_read_only_when_asked(evaluated_db):
    # Setup: the Review page, signed in; nothing decided yet
    run_id = evaluated_db["run"]
    at = _open(evaluated_db, "pages/11_Review.py", **{state.REVIEWER: "Dana"})
    assert not at.exception
    toggle_key = state.review_history_key(run_id)
    assert _recorded(at) == ["0 decision(s) recorded for this run."]
    assert toggle_key not in [t.key for t in at.toggle]  # nothing to show yet
    pair = at.selectbox(key="rv.pair").value
    save = f"FormSubmitter:rv.pair.{run_id}-Save pair decision"
    # Run: approve the pair, then (same session, same pair) mark it as needing work
    at.radio(key="rv.pair.choice").set_value("approve")
    at.button(key=save).click().run()
    first = [s.value for s in at.success]
    history_shown = at.toggle(key=toggle_key).value
    tables_before = len(at.dataframe)
    at.toggle(key=toggle_key).set_value(True).run()
    with_history = at.dataframe[-1].value
    at.radio(key="rv.pair.choice").set_value("needs_work")
    at.button(key=save).click().run()
    # Assert: each save is shown and counted; the second is not refused as a conflict with
    # one's own first decision; the history table is drawn only once asked for
    assert not at.exception and not at.error
    assert first == [f"Saved: Approve for {pair}."]
    assert [s.value for s in at.success] == [f"Saved: Needs work for {pair}."]
    assert _recorded(at) == ["2 decision(s) recorded for this run."]
    assert history_shown is False and len(at.dataframe) == tables_before + 1
    assert list(with_history["who"]) == ["Dana"] and list(with_history["target"]) == [pair]
    assert list(at.dataframe[-1].value["decision"]) == ["needs work", "approved"]
    store = _open_store(str(evaluated_db["path"].resolve()))
    events = history(store, run_id)
    assert [(e.kind, e.target, e.decision) for e in events] == [
        ("pair", pair, "needs_work"), ("pair", pair, "approve")]
    assert events[0].seen_id == events[1].id


def _decide_all(store, run_id, reject=()):
    from core.report import Report
    from core.store.reports import latest_report

    columns = list(Report.from_json(latest_report(store, run_id)).schema.synth_columns)
    for c in columns:
        if c in reject:
            record_decision(store, run_id, c, "reject", "tail cut off", "Dana")
        else:
            record_decision(store, run_id, c, "approve", "", "Dana")
    return columns


def _store_failing_report(store, run_id):
    """Store the run's report again as its newest, judged by a policy no report can pass."""
    from dataclasses import replace

    from core.gate import Check, Policy, apply_gate
    from core.report import Report
    from core.store.reports import latest_report, save_report

    report = Report.from_json(latest_report(store, run_id))
    strict = Policy("internal", "", (Check("fidelity.column_shapes", 1.01, None, "Perfect."),))
    failing = replace(report, verdict=apply_gate(report.results, strict))
    assert failing.verdict.outcome == "fail"
    save_report(store, failing.to_json(), run_id, "failing-key")


def test_approving_a_failing_run_needs_an_override_shown_on_the_report_page(evaluated_db):
    # Setup: every column decided, the run's newest report fails
    from core.store import Store

    run_id = evaluated_db["run"]
    store = Store(evaluated_db["path"])
    _decide_all(store, run_id)
    _store_failing_report(store, run_id)
    store.close()
    at = _open(evaluated_db, "pages/11_Review.py", **{state.REVIEWER: "Dana"})
    assert not at.exception
    sign = f"FormSubmitter:rv.signoff.{run_id}-Sign off"
    # Run: nothing chosen, then approved without an override
    assert at.radio(key="rv.signoff.choice").value is None
    at.text_area(key="rv.signoff.reason").input("Good enough for the pilot.")
    at.button(key=sign).click().run()
    assert at.error[0].value == md_escape(MSG_NO_SIGNOFF_CHOICE.format(run=run_id))
    at.radio(key="rv.signoff.choice").set_value("approved")
    at.button(key=sign).click().run()
    refused = at.error[0].value
    at.text_area(key="rv.signoff.override").input("The board accepts the column shapes.")
    at.button(key=sign).click().run()
    # Assert
    assert not at.exception
    assert refused == md_escape(MSG_NEEDS_OVERRIDE.format(run=run_id, why="its verdict is FAIL"))
    page_store = _open_store(str(evaluated_db["path"].resolve()))
    signed = current_signoff(page_store, run_id)
    assert signed.label == "approved with override: The board accepts the column shapes."
    # the flash and the banner: one full stop each, the override after the reviewer's reason
    shown = [s.value.replace("\\", "") for s in at.success]
    assert "Run signed off as approved with override: The board accepts the column shapes." \
        in shown, shown
    assert (f"Signed off as approved with override by Dana at {signed.created_at:%Y-%m-%d %H:%M} "
            "UTC: Good enough for the pilot. Override: The board accepts the column shapes."
            in shown), shown
    report_page = _open(evaluated_db, "pages/12_Report.py")
    assert not report_page.exception
    assert report_page.metric[2].value == "approved with override"
    captions = [c.value.replace("\\", "") for c in report_page.caption]  # Markdown-escaped
    assert (f"Signed off as approved with override by Dana at {signed.created_at:%Y-%m-%d %H:%M} "
            "UTC: Good enough for the pilot. Override: The board accepts the column shapes."
            in captions), captions


def test_a_rejected_sign_off_closes_the_data_downloads_with_the_reason(evaluated_db):
    # Setup
    from core.review import sign_off
    from core.store import Store

    run_id = evaluated_db["run"]
    store = Store(evaluated_db["path"])
    columns = _decide_all(store, run_id, reject=("age",))
    sign_off(store, run_id, "rejected", "The age tail is cut off.", "Dana", columns=columns)
    store.close()
    # Run
    at = _open(evaluated_db, "pages/12_Report.py")
    # Assert
    assert not at.exception
    buttons = {b.proto.label: b.proto.disabled for b in at.get("download_button")}
    assert buttons == {"HTML report": False, "Report JSON": False,
                       "Synthetic data (CSV, zipped)": True, "Synthetic data (Parquet)": True}
    shown = at.warning[0].value.replace("\\", "")  # Markdown-escaped
    assert shown.startswith(f"The synthetic data of run '{run_id}' cannot be exported: it was "
                            "signed off as rejected by Dana at ")
    assert "(The age tail is cut off.)" in shown


def test_report_page_offers_every_export(evaluated_db):
    at = _open(evaluated_db, "pages/12_Report.py")
    assert not at.exception
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels == ["HTML report", "Report JSON", "Synthetic data (CSV, zipped)",
                      "Synthetic data (Parquet)"]


@pytest.fixture()
def demo_db(db_file, adult_small):
    """A database whose Adult-sample dataset has an evaluated GaussianCopula run (the demo)."""
    from core.datasets import SAMPLE_NAME, add_dataset
    from core.evaluation import evaluate_run
    from core.metrics.config import EvalConfig
    from core.runs import generate
    from core.store import Store as _Store

    store = _Store(db_file)
    info, _ = add_dataset(store, adult_small, {}, name=SAMPLE_NAME, source_name="adult.csv",
                          target="class", protected=["sex", "race"],
                          quasi_identifiers=["age", "sex"])
    run = generate(store, info.id, "gaussian_copula", n_rows=480, seed=0)
    evaluate_run(store, run.id, config=EvalConfig(anonymeter_attacks=100,
                                                  max_rows_anonymeter=400,
                                                  kway_combinations=10))
    store.close()
    return {"path": db_file, "dataset": info.id, "run": run.id}


def test_demo_page_tells_the_story_read_only(demo_db):
    at = page("pages/1_Demo.py").run()
    assert not at.exception
    assert [h.value for h in at.header] == [
        "1 · What was generated", "2 · Is it faithful?", "3 · Is it fair?",
        "4 · Is it private?", "5 · What did the expert decide?"]
    assert len(at.get("plotly_chart")) == 5
    assert not at.button and not at.text_input  # read-only: nothing to click or type
    assert at.info[-1].value == "Not signed off yet: 0 of 15 columns reviewed by a domain expert."
    # the first sentence under the question answers it
    answer = at.markdown[0].value.replace("\\", "")  # Markdown-escaped
    assert answer.startswith("**Not yet: ") and answer.endswith("no expert has signed it off.**")


def test_demo_page_says_who_signed_off_and_the_override_in_the_review_pages_words(demo_db):
    # Setup: one column rejected, the run approved anyway with a recorded override
    from core.review import current_signoff, sign_off
    from core.store import Store

    store = Store(demo_db["path"])
    run_id = demo_db["run"]
    columns = _decide_all(store, run_id, reject=("age",))
    sign_off(store, run_id, "approved", "Fine for the pilot.", "Dana", columns=columns,
             override="The age tail is not used in the pilot.")
    signed = current_signoff(store, run_id)
    store.close()
    # Run
    at = page("pages/1_Demo.py").run()
    # Assert: the sentence the Review page shows, not "approved with override: <override>"
    assert not at.exception
    shown = [s.value.replace("\\", "") for s in at.success]  # Markdown-escaped
    assert shown == [f"Signed off as approved with override by Dana at "
                     f"{signed.created_at:%Y-%m-%d %H:%M} UTC: Fine for the pilot. Override: "
                     "The age tail is not used in the pilot."], shown
