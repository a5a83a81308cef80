"""``python -m core audit``: a real process on a real DuckDB file, as a user runs it."""

from __future__ import annotations

import json

from core.audit.run import MSG_SHADOWS
from core.datasets import add_dataset
from core.evaluation import evaluate_run, stored_report
from core.metrics.config import EvalConfig
from core.runs import generate
from core.store import Store
from core.store.reports import MSG_NO_REPORT
from tests.core.test_cli import cli

FAST = EvalConfig(anonymeter_attacks=50, max_rows_anonymeter=300, kway_combinations=5,
                  cv_folds=2)


def _db(tmp_path, adult_small, evaluate=True):
    path = tmp_path / "cli.duckdb"
    store = Store(path)
    info, _ = add_dataset(store, adult_small, {}, name="Adult small", source_name="a.csv",
                          target="class", protected=["sex"], quasi_identifiers=["age", "sex"])
    run = generate(store, info.id, "gaussian_copula", n_rows=480, seed=1)
    if evaluate:
        evaluate_run(store, run.id, "internal", FAST)
    store.close()
    return path, run.id


def test_audit_json_has_auc_advantage_and_epsilon_per_target_and_overall(tmp_path, adult_small):
    # Setup
    db, run_id = _db(tmp_path, adult_small)
    out = tmp_path / "audit.json"

    # Run
    done = cli(db, "audit", run_id, "--targets", "2", "--shadows", "8", "--json", str(out))

    # Assert
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["run_id"] == run_id and len(data["audit_id"]) == 12 and data["report_id"]
    for figures in [data["overall"], *data["targets"]]:
        assert {"auc", "advantage", "epsilon_lower"} <= set(figures)
        assert 0 <= figures["auc"] <= 1 and -1 <= figures["advantage"] <= 1
        assert figures["epsilon_lower"] >= 0
    assert len(data["targets"]) == 2 and data["design"]["shadows_per_target"] == 8
    assert [t["kind"] for t in data["targets"]] == ["vulnerable", "random"]
    lines = done.stdout.splitlines()
    assert lines[0].startswith(f"audit {data['audit_id']} of run {run_id} (gaussian_copula): "
                               "2 targets x 8 shadows of 60 rows")
    assert lines[1].startswith(f"  overall   AUC {data['overall']['auc']:.3f}")
    assert sum(line.startswith("  target ") for line in lines) == 2
    assert any("<- riskiest" in line for line in lines)
    assert lines[-1] == f"audit written to {out}"
    # Stored with the run's report: every report view shows it
    store = Store(db)
    row = stored_report(store, run_id).top("privacy.shadow_membership_inference")
    store.close()
    assert row.status == "ok" and row.value == data["overall"]["auc"]
    assert row.details["audit_id"] == data["audit_id"]


def test_audit_bad_input_is_one_line_and_exit_2(tmp_path, adult_small):
    # Setup
    db, run_id = _db(tmp_path, adult_small, evaluate=False)

    # Run
    odd = cli(db, "audit", run_id, "--shadows", "7", check=False)
    unevaluated = cli(db, "audit", run_id, check=False)

    # Assert
    assert odd.returncode == 2
    assert odd.stderr.strip() == "error: " + MSG_SHADOWS.format(lo=8, hi=200, value=7)
    assert unevaluated.returncode == 2
    assert unevaluated.stderr.strip() == "error: " + MSG_NO_REPORT.format(run=run_id)
