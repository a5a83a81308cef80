"""The Privacy page's generator audit: the button, the job's progress, and a stored audit."""

from __future__ import annotations

from dataclasses import replace

import pytest

from core.audit import prepare_audit, run_audit, store_audit
from core.datasets import load_dataset
from core.drilldown import mask_real_frame
from core.evaluation import stored_report
from core.lifecycle.purge import purge_real
from core.metrics.privacy.shadow_membership import MSG_NO_AUDIT
from core.store import Store
from core.store import jobs as q
from tests.app.conftest import page
from tests.core.audit.generators import Memorising
from ui import state
from ui.bootstrap import _open_store
from ui.text import md_escape

SECTION = "Generator audit: a membership attack that retrains the generator"


@pytest.fixture(autouse=True)
def _fresh_store_cache():
    _open_store.clear()
    yield
    _open_store.clear()


def _open(db, **session):
    at = page("pages/8_Privacy.py")
    at.session_state[state.DATASET_ID] = db["dataset"]
    at.session_state[state.RUN_ID] = db["run"]
    for k, v in session.items():
        at.session_state[k] = v
    return at.run()


def _store_audit(path, db):
    store = Store(path)
    inputs = prepare_audit(store, db["run"], targets=3, shadows=16)
    # The stand-in generator has no parameters; the rows, schema and sizes are the run's.
    result = run_audit(replace(inputs, params={}), generator=Memorising())
    store_audit(store, inputs, result)
    report = stored_report(store, db["run"])
    train = load_dataset(store, db["dataset"]).train
    store.close()
    return result, report, train


def test_a_stored_audit_is_shown_per_target_overall_and_the_riskiest_row_masked(evaluated_db):
    # Setup
    result, report, train = _store_audit(evaluated_db["path"], evaluated_db)

    # Run
    at = _open(evaluated_db)

    # Assert
    assert not at.exception
    assert SECTION in [s.value for s in at.subheader]
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Attack AUC (0.5 = no leak)"] == "1"
    assert metrics["ε lower bound (95%)"] == f"{result.overall.epsilon_lower:.3g}"
    assert len(at.get("plotly_chart")) == 4 + 1  # the page's four, and the per-target chart
    frames = [d.value for d in at.dataframe]
    table = next(f for f in frames if "training row" in f.columns)
    assert list(table["training row"]) == [t.index for t in result.targets]
    masked = mask_real_frame(train, train.iloc[[result.riskiest.index]], report.schema,
                             report.config["min_group_rows"])
    shown = next(f for f in frames if list(f.columns) == list(masked.columns) and len(f) == 1)
    assert shown.astype(str).values.tolist() == masked.astype(str).values.tolist()
    assert any("heuristics" in c.value and "attacks are the evidence" in c.value
               for c in at.caption)
    assert at.button(key=f"au.go.{evaluated_db['run']}").label == "Audit the generator again"


def test_without_an_audit_the_page_says_why_and_offers_the_button(evaluated_db):
    # Run
    at = _open(evaluated_db)

    # Assert
    assert not at.exception
    assert md_escape(f"Not computed: {MSG_NO_AUDIT}.") in [i.value for i in at.info]
    button = at.button(key=f"au.go.{evaluated_db['run']}")
    assert button.label == "Audit the generator" and not button.disabled
    assert len(at.get("plotly_chart")) == 4


def test_a_running_audit_shows_its_progress_from_the_job_record(evaluated_db):
    # Setup: the job row as the manager writes it (no cluster needed to render the page)
    store = Store(evaluated_db["path"])
    job = q.create_job(store, "audit", {"run_id": evaluated_db["run"]}, "anonymous")
    q.set_running(store, job, "tcp://127.0.0.1:40001")
    q.set_progress(store, job, 0.4, "target 3 of 10, shadow 2 of 12: fitting")
    store.close()

    # Run
    at = _open(evaluated_db, **{state.MY_JOBS: [job]})

    # Assert: its bar and a Cancel for one's own job; no second audit while it runs
    assert not at.exception
    bars = at.get("progress")
    assert any("target 3 of 10, shadow 2 of 12: fitting" in b.proto.text for b in bars)
    assert at.button(key=f"au.go.{evaluated_db['run']}").disabled
    assert f"au.jobs.{evaluated_db['run']}.cancel.{job}" in [b.key for b in at.button]
    # The Jobs page lists it like every other kind
    jobs_at = page("pages/14_Jobs.py").run()
    assert jobs_at.dataframe[0].value.set_index("job").loc[job, "kind"] == "audit"


def test_the_button_shows_why_an_audit_cannot_start(evaluated_db):
    # Setup: the real rows were purged (the report stays)
    store = Store(evaluated_db["path"])
    purge_real(store, evaluated_db["dataset"], reason="erasure request", who="Ada",
               role="reviewer", force=True)
    store.close()
    at = _open(evaluated_db)

    # Run
    at.button(key=f"au.go.{evaluated_db['run']}").click().run()

    # Assert: refused in plain words before any job exists
    assert not at.exception
    assert any("were purged" in e.value for e in at.error)
    store = Store(evaluated_db["path"])
    assert q.list_jobs(store, kind="audit") == []
    store.close()
