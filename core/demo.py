"""The stakeholder demo: a ready, evaluated GaussianCopula run of the Adult sample."""

from __future__ import annotations

from collections.abc import Callable

from core.datasets import SAMPLE_NAME, add_sample, list_datasets
from core.evaluation import evaluate_run, latest_report_id, stored_report
from core.report import Report
from core.review import use_answer
from core.runs import complete_runs, generate
from core.store import Store
from core.store.reviews import SignOff
from core.store.runs import RunInfo

DEMO_GENERATOR = "gaussian_copula"


def find_demo_run(store: Store) -> RunInfo | None:
    """The newest evaluated GaussianCopula run of the Adult sample, without loading its report."""
    for ds in list_datasets(store):
        if ds.name != SAMPLE_NAME:
            continue
        for run in complete_runs(store, ds.id):
            if run.generator == DEMO_GENERATOR and latest_report_id(store, run.id) is not None:
                return run
    return None


def find_demo(store: Store) -> tuple[RunInfo, Report] | None:
    """The newest evaluated GaussianCopula run of the Adult sample and its report, if any."""
    run = find_demo_run(store)
    report = None if run is None else stored_report(store, run.id)
    return None if report is None else (run, report)


def ensure_demo(
    store: Store, progress: Callable[[float, str], None] | None = None
) -> tuple[RunInfo, Report]:
    """The demo run and its report, built (sample, fit, evaluate) when missing."""
    found = find_demo(store)
    if found is not None:
        return found
    say = progress or (lambda f, m: None)
    say(0.02, "loading the Adult sample")
    info, _ = add_sample(store)
    runs = [r for r in complete_runs(store, info.id) if r.generator == DEMO_GENERATOR]
    if runs:
        run = runs[0]
    else:
        run = generate(store, info.id, DEMO_GENERATOR, seed=0,
                       progress=lambda f, m: say(0.05 + 0.35 * f, f"generating: {m}"))
    report, _ = evaluate_run(store, run.id,
                             progress=lambda f, m: say(0.4 + 0.6 * f, f"evaluating: {m}"))
    say(1.0, "ready")
    return run, report


def demo_answer(report: Report, signoff: SignOff | None) -> str:
    """The Demo's answer to "Can we use this synthetic census table?", from verdict and sign-off.

    Example: ``"Not yet: it fails 2 of 13 checks of policy 'internal' (...), and no expert has
    signed it off."`` (:func:`core.review.use_answer`).
    """
    return use_answer(report.verdict, signoff)
