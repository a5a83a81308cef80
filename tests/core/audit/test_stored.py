"""An audit of a stored run: refused without a report, stored with it, shown in every report view
as privacy.shadow_membership_inference and judged by the gate (absent: not computed)."""

from __future__ import annotations

import shutil
from dataclasses import replace

import pytest

from core.audit import prepare_audit, run_audit, store_audit
from core.audit.run import MSG_NO_GENERATOR, MSG_TARGETS
from core.errors import UserInputError
from core.evaluation import evaluate_run, latest_audit_id, load_report, stored_report
from core.lifecycle.deletion import delete_run
from core.metrics.privacy.shadow_membership import KEY, MSG_IMPORTED, MSG_NO_AUDIT
from core.report import WARN_NOT_COMPUTED
from core.runs import generate, import_run
from core.store import Store
from core.store import audits as q
from core.store.reports import MSG_NO_REPORT, latest_report_id
from tests.core.audit.generators import Ignoring, Memorising
from tests.core.conftest import FAST_EVAL


@pytest.fixture()
def db(evaluated_template, db_file):
    db_file.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(evaluated_template["path"], db_file)
    s = Store(db_file)
    yield s, evaluated_template["run"], evaluated_template["dataset"]
    s.close()


def _audit(store, run_id, generator, **kw):
    inputs = prepare_audit(store, run_id, targets=3, shadows=16, **kw)
    # The stand-in generator has no parameters; the rows, schema and sizes are the run's.
    result = run_audit(replace(inputs, params={}), generator=generator)
    return inputs, result, store_audit(store, inputs, result, job_id="job1")


def test_without_an_audit_the_check_is_not_computed_never_a_pass(db):
    # Setup
    store, run_id, _ = db

    # Run
    report = stored_report(store, run_id)

    # Assert
    row = report.top(KEY)
    assert row.status == "not_computed" and row.reason == MSG_NO_AUDIT
    check = next(c for c in report.verdict.checks if c.key == KEY)
    assert check.status == "not_computed" and check.passed is None
    assert report.verdict.outcome != "pass"
    assert WARN_NOT_COMPUTED.format(key=KEY, reason=MSG_NO_AUDIT) in report.warnings
    assert latest_audit_id(store, run_id) is None


def test_a_stored_audit_fills_in_the_metric_and_the_gate_judges_it(db):
    # Setup
    store, run_id, _ = db
    before = stored_report(store, run_id)

    # Run: a memorising generator stands in for the run's (the stored inputs are the run's)
    inputs, result, audit_id = _audit(store, run_id, Memorising())
    report = stored_report(store, run_id)

    # Assert: the row comes from the stored audit, with its interval and details
    row = report.top(KEY)
    assert row.status == "ok" and row.value == result.overall.auc == 1.0
    assert (row.ci_low, row.ci_high) == (result.design["auc_ci_low"], result.design["auc_ci_high"])
    assert row.n == result.overall.test_shadows and row.score == 0.0
    assert row.details["audit_id"] == audit_id == latest_audit_id(store, run_id)
    assert row.details["overall"]["epsilon_lower"] == result.overall.epsilon_lower
    assert [t["index"] for t in row.details["targets"]] == [t.index for t in result.targets]
    # The gate: AUC 1.0 with its whole interval past the partner bound 0.60 fails
    check = next(c for c in report.verdict.checks if c.key == KEY)
    assert check.status == "fail" and check.value == 1.0 and check.max == 0.60
    assert report.verdict.outcome == "fail"
    assert not any(w.startswith(f"{KEY} was not computed") for w in report.warnings)
    assert report.families["privacy"] < before.families["privacy"]
    # Every view shows it: by id, reused evaluations, another policy
    assert load_report(store, latest_report_id(store, run_id)).top(KEY) == row
    again, reused = evaluate_run(store, run_id, "partner", FAST_EVAL)
    assert reused and again.top(KEY) == row
    public, _ = evaluate_run(store, run_id, "public", FAST_EVAL)
    assert next(c for c in public.verdict.checks if c.key == KEY).max == 0.55
    # Stored with the report it started from, with what was asked and the timings
    stored = q.get_audit(store, audit_id)
    assert stored.run_id == run_id and stored.report_id == inputs.report_id
    assert stored.job_id == "job1" and stored.params["targets"] == 3
    assert stored.seconds == result.seconds["total"] and stored.timings == result.seconds


def test_an_audit_that_finds_nothing_passes_and_the_newest_audit_is_shown(db, adult_small):
    # Setup
    store, run_id, _ = db
    _audit(store, run_id, Memorising())

    # Run
    _, result, audit_id = _audit(store, run_id, Ignoring(adult_small))
    report = stored_report(store, run_id)

    # Assert
    row = report.top(KEY)
    assert row.details["audit_id"] == audit_id and row.value == result.overall.auc
    check = next(c for c in report.verdict.checks if c.key == KEY)
    assert row.value <= 0.60 and check.status == "pass"
    assert q.count_audits(store, run_id) == 2


def test_an_audit_is_refused_without_a_report_for_an_import_and_for_bad_sizes(db, adult_small):
    # Setup
    store, run_id, ds = db
    fresh = generate(store, ds, "gaussian_copula", n_rows=100, seed=2)
    imported = import_run(store, ds, adult_small.head(80).to_csv(index=False).encode(), "x.csv")

    # Run / Assert
    with pytest.raises(UserInputError) as err:
        prepare_audit(store, fresh.id)
    assert err.value.message == MSG_NO_REPORT.format(run=fresh.id)
    with pytest.raises(UserInputError) as err:
        prepare_audit(store, imported.id)
    assert err.value.message == MSG_NO_GENERATOR.format(run=imported.id)
    with pytest.raises(UserInputError) as err:
        prepare_audit(store, run_id, targets=0)
    assert err.value.message == MSG_TARGETS.format(hi=100, value=0)
    assert q.count_audits(store, run_id) == 0


def test_an_imported_run_says_there_is_no_generator_to_audit(db, adult_small):
    # Setup
    store, _, ds = db
    imported = import_run(store, ds, adult_small.head(80).to_csv(index=False).encode(), "x.csv")

    # Run
    report, _ = evaluate_run(store, imported.id, "partner", FAST_EVAL)

    # Assert
    row = report.top(KEY)
    assert row.status == "not_computed" and row.reason == MSG_IMPORTED
    assert next(c for c in report.verdict.checks if c.key == KEY).status == "not_computed"


def test_deleting_a_run_deletes_its_audits(db):
    # Setup
    store, run_id, _ = db
    _audit(store, run_id, Memorising())

    # Run
    delete_run(store, run_id, reason="bad fit", who="Ada", role="reviewer")

    # Assert
    assert q.count_audits(store, run_id) == 0
