"""The browser fixtures, defined once for the whole suite (imported by tests/conftest.py).

One session-scoped Playwright instance serves every test directory that drives Chromium; a
second ``sync_playwright()`` in the same thread would fail.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, SHOTS, Server, serve_copy


@pytest.fixture()
def server(tmp_path: Path) -> Iterator[Server]:
    srv = Server(tmp_path / "db" / "synthreview.duckdb")
    srv.db.parent.mkdir(parents=True, exist_ok=True)
    srv.start()
    yield srv
    srv.kill()


@pytest.fixture(scope="session")
def evaluated_sample_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database with the Adult sample, a 2,000-row GaussianCopula run and its report.

    Built once through the same core functions the app's jobs call (a real fit, a real
    evaluation), for the journeys that start from an evaluated run; generating and evaluating
    through the pages is the full journey's part (``test_a_full_review_journey_...``).
    """
    from core.datasets import add_sample
    from core.evaluation import evaluate_run
    from core.runs import generate
    from core.store import Store

    db = tmp_path_factory.mktemp("evaluated") / "synthreview.duckdb"
    store = Store(db)
    try:
        info, _ = add_sample(store)
        run = generate(store, info.id, "gaussian_copula", n_rows=2000)
        assert run.status == "complete", run.error
        evaluate_run(store, run.id)
    finally:
        store.close()
    return db


@pytest.fixture()
def evaluated_server(tmp_path: Path, evaluated_sample_db: Path) -> Iterator[Server]:
    """A server on a fresh copy of :func:`evaluated_sample_db`: the run its pages show."""
    srv = serve_copy(evaluated_sample_db, tmp_path)
    yield srv
    srv.kill()


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make test` (it installs Debian's chromium).")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    rep = outcome.get_result()
    setattr(item, f"rep_{rep.when}", rep)
    if rep.failed and rep.when == "call":  # what each live server printed, to see why
        for srv in Server.started:
            rep.sections.append((f"streamlit server on port {srv.port}", srv.log_tail()))


@pytest.fixture()
def page(browser, request):
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
    ctx.set_default_timeout(60_000)
    p = ctx.new_page()
    yield p
    rep = getattr(request.node, "rep_call", None)
    if rep is not None and rep.failed:  # keep what the browser showed when a journey failed
        SHOTS.mkdir(parents=True, exist_ok=True)
        for i, open_page in enumerate(ctx.pages):
            open_page.screenshot(path=str(SHOTS / f"FAILED-{request.node.name}-{i}.png"))
    ctx.close()
