"""The Demo's run: built once (sample, fit, evaluate) with progress, then found and reused."""

from __future__ import annotations

from core.datasets import SAMPLE_NAME, list_datasets
from core.demo import DEMO_GENERATOR, ensure_demo, find_demo, find_demo_run
from core.runs import list_runs


def test_no_demo_in_an_empty_store(store):
    assert find_demo(store) is None and find_demo_run(store) is None


def test_ensure_demo_builds_once_then_reuses(store):
    # Setup
    seen: list[tuple[float, str]] = []

    # Run
    run, report = ensure_demo(store, progress=lambda f, m: seen.append((f, m)))
    again_run, again_report = ensure_demo(store, progress=lambda f, m: seen.append((f, "again")))

    # Assert
    [sample] = [d for d in list_datasets(store) if d.name == SAMPLE_NAME]
    assert run.generator == DEMO_GENERATOR and run.is_complete and run.dataset_id == sample.id
    assert report.run_id == run.id and report.verdict.outcome in ("pass", "fail", "incomplete")
    fractions = [f for f, _ in seen]
    assert fractions == sorted(fractions) and seen[-1] == (1.0, "ready")
    assert any(m.startswith("generating: ") for _, m in seen)
    assert any(m.startswith("evaluating: ") for _, m in seen)
    assert (again_run.id, again_report) == (run.id, report)
    assert not any(m == "again" for _, m in seen)  # found, not rebuilt: no progress at all
    assert len(list_runs(store, sample.id)) == 1
    assert find_demo(store) == (run, report)
    assert find_demo_run(store) == run
