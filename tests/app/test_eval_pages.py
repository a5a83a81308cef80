"""The evaluation, review and report pages render a stored report and show their key elements."""

from __future__ import annotations

import pytest

from core.gate import get_policy
from core.review import current_signoff, history
from tests.app.conftest import page
from ui import state
from ui.bootstrap import _open_store


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
    # 15 column plots + correlation heatmaps + pair trends + detection + projection
    assert len(at.get("plotly_chart")) == 15 + 4


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


def test_review_page_decides_columns_and_refuses_reject_without_comment(evaluated_db):
    # Setup
    at = _open(evaluated_db, "pages/11_Review.py", **{state.REVIEWER: "Dana"})
    assert not at.exception
    assert at.get("progress")[0].proto.text == "0 of 15 columns reviewed"
    # Run: reject without a comment
    col = "age"
    at.radio(key=f"rv.choice.{col}").set_value("reject")
    at.button(key=f"FormSubmitter:rv.form.{evaluated_db['run']}.{col}-"
                  "Save decision and go to the next column").click().run()
    # Assert
    assert not at.exception
    assert "comment" in at.error[0].value.lower()
    # Run: approve
    at.radio(key=f"rv.choice.{col}").set_value("approve")
    at.button(key=f"FormSubmitter:rv.form.{evaluated_db['run']}.{col}-"
                  "Save decision and go to the next column").click().run()
    assert not at.exception
    assert at.get("progress")[0].proto.text == "1 of 15 columns reviewed"
    # the page moved on to the next undecided column
    assert at.selectbox(key=state.review_pick_key(evaluated_db["run"], 1)).value == 1
    store = _open_store(str(evaluated_db["path"].resolve()))  # the page's own store
    events = history(store, evaluated_db["run"])
    assert [(e.target, e.decision, e.reviewer) for e in events] == [("age", "approve", "Dana")]
    assert events[0].evidence["metrics"]["fidelity.column_shapes"]["status"] == "ok"
    assert current_signoff(store, evaluated_db["run"]) is None


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
    at = page("pages/13_Demo.py").run()
    assert not at.exception
    assert [h.value for h in at.header] == [
        "1 · What was generated", "2 · Is it faithful?", "3 · Is it fair?",
        "4 · Is it private?", "5 · What did the expert decide?"]
    assert len(at.get("plotly_chart")) == 5
    assert not at.button and not at.text_input  # read-only: nothing to click or type
    assert at.info[-1].value == "Not signed off yet: 0 of 15 columns reviewed by a domain expert."
