"""Evaluating stored runs: reports stored once and reused, re-judged per policy, leaderboards."""

from __future__ import annotations

from core.datasets import add_dataset, load_dataset
from core.evaluation import (
    cache_key,
    compare,
    evaluate_run,
    latest_report_id,
    load_report,
    stored_leaderboard,
    stored_report,
)
from core.metrics.config import EvalConfig
from core.runs import generate, import_run

FAST = EvalConfig(anonymeter_attacks=100, max_rows_anonymeter=600, kway_combinations=10)


def _dataset(store, adult_small):
    info, _ = add_dataset(store, adult_small, {}, name="a", source_name="a.csv", target="class",
                          protected=["sex"], quasi_identifiers=["age", "sex"])
    return info


def test_stored_report_reloads_identically_and_is_reused(store, adult_small):
    # Setup
    info, _ = add_dataset(store, adult_small, {}, name="a", source_name="a.csv", target="class",
                          protected=["sex"], quasi_identifiers=["age", "sex"])
    run = generate(store, info.id, "gaussian_copula", n_rows=400, seed=1)
    # Run
    first, reused1 = evaluate_run(store, run.id, "internal", FAST)
    again, reused2 = evaluate_run(store, run.id, "internal", FAST)
    public, reused3 = evaluate_run(store, run.id, "public", FAST)
    # Assert
    assert (reused1, reused2, reused3) == (False, True, True)
    assert again == first and again.to_json() == first.to_json()
    assert stored_report(store, run.id).policy == "public"
    assert public.results == first.results and public.verdict.policy == "public"


def test_compare_ranks_every_complete_run(store, adult_small):
    info, _ = add_dataset(store, adult_small, {}, name="a", source_name="a.csv", target="class",
                          protected=["sex"], quasi_identifiers=["age", "sex"])
    gc = generate(store, info.id, "gaussian_copula", n_rows=300, seed=1)
    ds = load_dataset(store, info.id)
    copy = import_run(store, info.id, ds.train.to_csv(index=False).encode(), "copy.csv")
    rows = compare(store, info.id, "internal", FAST)
    assert {r.run_id for r in rows} == {gc.id, copy.id}
    by = {r.run_id: r for r in rows}
    assert by[copy.id].verdict == "fail"  # a copy of the training rows never passes privacy
    assert by[copy.id].fidelity > by[gc.id].fidelity


def test_stored_leaderboard_reads_only_stored_reports(store, adult_small):
    # Setup
    info = _dataset(store, adult_small)
    done = generate(store, info.id, "gaussian_copula", n_rows=300, seed=1)
    todo = generate(store, info.id, "gaussian_copula", n_rows=300, seed=2)
    report, _ = evaluate_run(store, done.id, "internal", FAST)

    # Run
    rows, missing = stored_leaderboard(store, info.id, "public")

    # Assert
    assert [r.run_id for r in rows] == [done.id] and missing == [todo.id]
    assert rows[0].policy == "public"
    assert rows[0].verdict == report.with_policy("public").verdict.outcome
    assert stored_report(store, todo.id) is None and latest_report_id(store, todo.id) is None


def test_load_report_by_id_and_cache_key_follows_the_inputs(store, adult_small):
    # Setup
    info = _dataset(store, adult_small)
    run = generate(store, info.id, "gaussian_copula", n_rows=300, seed=1)
    report, _ = evaluate_run(store, run.id, "internal", FAST)

    # Run
    rid = latest_report_id(store, run.id)

    # Assert
    assert load_report(store, rid) == report
    assert cache_key(run.id, 1, FAST) == cache_key(run.id, 1, FAST)
    assert cache_key(run.id, 1, FAST) != cache_key(run.id, 2, FAST)
    assert cache_key(run.id, 1, FAST) != cache_key(run.id, 1, EvalConfig())


def test_force_twice_stores_two_reports_and_the_newest_is_found(store, adult_small):
    # Setup: 0002 made (cache_key, policy) unique, so a second forced report raised
    # DuckDB's ConstraintException; 0004 drops that
    info = _dataset(store, adult_small)
    run = generate(store, info.id, "gaussian_copula", n_rows=200, seed=1)
    evaluate_run(store, run.id, "internal", FAST)
    # Run
    evaluate_run(store, run.id, "internal", FAST, force=True)
    _, reused = evaluate_run(store, run.id, "internal", FAST, force=True)
    newest = latest_report_id(store, run.id)
    # Assert
    with store.cursor() as cur:
        n = cur.execute("SELECT count(*) FROM reports WHERE run_id = ?", [run.id]).fetchone()[0]
    assert n == 3 and reused is False
    found, reused_again = evaluate_run(store, run.id, "internal", FAST)
    assert reused_again and found == load_report(store, newest)


def test_reading_a_stored_report_imports_no_metric_module(evaluated_template, tmp_path):
    """`python -m core evaluate` prints the report it just stored; reading it back loaded every
    metric module (scipy.stats, scikit-learn...) through the registry, 2-3.7 s of the command."""
    import shutil
    import subprocess
    import sys
    from pathlib import Path

    from core.metrics.registry import BUILTIN_PATHS

    db = tmp_path / "copy.duckdb"
    shutil.copy(evaluated_template["path"], db)
    code = (
        "import sys, json\n"
        "from core.evaluation import latest_report_id, load_report\n"
        "from core.store import Store\n"
        f"store = Store({str(db)!r})\n"
        f"report = load_report(store, latest_report_id(store, {evaluated_template['run']!r}))\n"
        "print(json.dumps([report.verdict.outcome, sorted(m for m in sys.modules "
        "if m.startswith('core.metrics.'))]))\n"
    )
    root = Path(__file__).resolve().parents[2]
    out = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    import json

    outcome, loaded = json.loads(out.stdout.strip().splitlines()[-1])
    assert outcome in ("pass", "fail", "incomplete")
    metric_modules = {p.rpartition(".")[0] for p in BUILTIN_PATHS}
    # Only the audit's metric, which the report view fills in, is needed to read a report.
    assert metric_modules & set(loaded) == {"core.metrics.privacy.shadow_membership"}
