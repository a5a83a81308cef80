"""A fit started in the browser is a job: it survives leaving the page and shows in a new tab."""

from __future__ import annotations

import re
import time

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from core.runs import list_runs
from core.store import Store
from core.store import jobs as q
from tests.browser.conftest import Server, nav, settle, wait_idle


@pytest.fixture()
def small_db(tmp_path, adult_small):
    from core.datasets import add_dataset

    path = tmp_path / "db" / "synthreview.duckdb"
    store = Store(path)
    add_dataset(store, adult_small.head(200), {"file_name": "adult_200.csv"}, name="Adult 200",
                source_name="adult_200.csv", target="class", protected=["sex"],
                quasi_identifiers=["age", "sex"])
    store.close()
    return path


def _choose(page, label: str, option: str) -> None:  # noqa: ANN001 - playwright Page
    box = page.get_by_test_id("stSelectbox").filter(has_text=label)
    box.locator("input").click()
    page.get_by_role("option", name=option, exact=True).click()


def _set_number(page, label: str, value: int) -> None:  # noqa: ANN001 - playwright Page
    box = page.get_by_label(label, exact=True)
    box.fill(str(value))
    box.press("Enter")
    settle(page)


def _start_ctgan(page, url: str, epochs: int) -> None:  # noqa: ANN001
    page.goto(url + "/Generate")
    wait_idle(page)
    _choose(page, "Generator", "CTGAN")
    page.get_by_label("epochs", exact=True).wait_for()
    wait_idle(page)
    _set_number(page, "epochs", epochs)
    _set_number(page, "Rows to generate", 50)
    page.get_by_role("button", name="Generate").click()


def test_a_fit_keeps_running_across_pages_and_tabs_then_completes(small_db, page):
    server = Server(small_db)
    try:
        server.start()
        # Setup: a 2-epoch CTGAN fit started on the Generate page
        _start_ctgan(page, server.url, epochs=2)
        page.get_by_text(re.compile(r"^(Queued|Running)")).first.wait_for(timeout=60_000)
        # Run: go to two other pages, then open the Generate page in a new tab (a new session)
        nav(page, "Overview")
        nav(page, "Runs")
        other = page.context.new_page()
        other.goto(server.url + "/Generate")
        wait_idle(other)
        # Assert: the new tab follows the same job to the end
        other.get_by_text(re.compile(r"Run \w+ complete: 50 synthetic rows")).wait_for(
            timeout=600_000)
        other.goto(server.url + "/Jobs")
        wait_idle(other)
        other.get_by_text("Nothing is queued or running.").wait_for(timeout=60_000)
        other.close()
    finally:
        server.kill()
    store = Store(small_db)
    jobs = q.list_jobs(store)
    store.close()
    assert [(j.kind, j.state) for j in jobs] == [("generate", "complete")]
    assert jobs[0].worker.startswith("tcp://127.0.0.1:") and jobs[0].result_id


def test_cancel_from_the_jobs_page(small_db, page):
    server = Server(small_db)
    try:
        server.start()
        # Setup: a long fit, running
        _start_ctgan(page, server.url, epochs=2000)
        page.get_by_text(re.compile(r"^Running on tcp://")).first.wait_for(timeout=300_000)
        # Run: cancel it from the Jobs page (same session: it is one's own job)
        nav(page, "Jobs")
        # The panel redraws every second, and a click that lands mid-redraw is dropped by the
        # browser: click again while the job is still listed (a second cancel is a no-op).
        done = page.get_by_text("Nothing is queued or running.")
        deadline = time.monotonic() + 300  # bounded; a loaded machine needs more than a minute
        # Between two redraws the button may be missing for a moment: only the idle text ends
        # the loop (a missing button there once ended it before the job was cancelled).
        while time.monotonic() < deadline and not done.count():
            try:
                page.get_by_role("button", name="Cancel").first.click(timeout=10_000)
                done.wait_for(timeout=15_000)
            except PlaywrightTimeout:
                continue
        done.wait_for(timeout=120_000)
    finally:
        server.kill()
    store = Store(small_db)
    jobs = q.list_jobs(store)
    runs = len(list_runs(store))
    store.close()
    assert [(j.kind, j.state) for j in jobs] == [("generate", "cancelled")]
    assert runs == 0


def test_three_sessions_start_fits_at_once_and_all_complete(small_db, browser):
    server = Server(small_db)
    contexts = [browser.new_context() for _ in range(3)]
    try:
        server.start()
        pages = [c.new_page() for c in contexts]
        # Setup: three sessions on the Generate page, each with a 2-epoch CTGAN fit ready
        for p in pages:
            p.goto(server.url + "/Generate")
            wait_idle(p)
            _choose(p, "Generator", "CTGAN")
            p.get_by_label("epochs", exact=True).wait_for()
            wait_idle(p)
            _set_number(p, "epochs", 2)
            _set_number(p, "Rows to generate", 50)
        # Run: the three click Generate one right after the other
        for p in pages:
            p.get_by_role("button", name="Generate").click()
        # Assert: each session sees a fit finish (the page shows the dataset's newest finished
        # job, whoever started it), then the Jobs page has nothing left queued or running
        for p in pages:
            p.get_by_text(re.compile(r"Run \w+ complete: 50 synthetic rows")).wait_for(
                timeout=600_000)
        pages[0].goto(server.url + "/Jobs")
        wait_idle(pages[0])
        pages[0].get_by_text("Nothing is queued or running.").wait_for(timeout=600_000)
    finally:
        for c in contexts:
            c.close()
        server.kill()
    store = Store(small_db)
    jobs = q.list_jobs(store)
    runs = list_runs(store)
    store.close()
    assert sorted((j.kind, j.state) for j in jobs) == [("generate", "complete")] * 3
    assert sorted(j.result_id for j in jobs) == sorted(r.id for r in runs)
    assert {r.status for r in runs} == {"complete"} and len(runs) == 3


def _upload(page, path) -> None:  # noqa: ANN001 - playwright page
    """Put ``path`` in the page's file uploader and wait for the rerun it starts to finish."""
    page.locator("input[type='file']").set_input_files(str(path))
    page.get_by_test_id("stFileUploader").get_by_text(path.name, exact=True).wait_for()
    settle(page, start_within_ms=5_000)
    wait_idle(page)


def test_an_uploaded_synthetic_file_is_checked_as_a_job_and_stored(small_db, page, tmp_path,
                                                                   adult_small):
    good = tmp_path / "made elsewhere.csv"
    adult_small.sample(80, random_state=3).to_csv(good, index=False)
    bad = tmp_path / "wrong columns.csv"
    adult_small.drop(columns=["occupation"]).head(80).to_csv(bad, index=False)
    server = Server(small_db)
    try:
        server.start()
        page.goto(server.url + "/Generate")
        wait_idle(page)
        page.get_by_role("tab", name="Upload a synthetic file").click()
        # Run: a file without one of the dataset's columns, then a good one. Each is clicked
        # once its upload's rerun is over (a click during a rerun can be dropped: no job)
        _upload(page, bad)
        page.get_by_role("button", name="Import").click()
        # Assert: the refusal names the column; then the good file becomes a complete run
        page.get_by_text(re.compile(r"Failed job \w+: .*occupation")).wait_for(timeout=300_000)
        _upload(page, good)
        page.get_by_role("button", name="Import").click()
        page.get_by_text(re.compile(r"Run \w+ complete: 80 synthetic rows")).wait_for(
            timeout=300_000)
    finally:
        server.kill()
    store = Store(small_db)
    jobs = q.list_jobs(store)
    runs = list_runs(store)
    store.close()
    assert sorted((j.kind, j.state) for j in jobs) == [("import", "complete"),
                                                       ("import", "failed")]
    assert [(r.generator, r.n_rows) for r in runs] == [("uploaded", 80)]


def test_an_evaluation_left_mid_way_completes_and_shows_in_a_new_tab(small_db, page):
    from core.datasets import list_datasets
    from core.runs import generate

    store = Store(small_db)
    (ds,) = [d.id for d in list_datasets(store)]
    run = generate(store, ds, "gaussian_copula", seed=0)
    store.close()
    server = Server(small_db)
    try:
        server.start()
        page.goto(server.url + "/Overview")
        wait_idle(page)
        # Run: start the evaluation, leave for two other pages, close the tab
        page.get_by_role("button", name="Evaluate").click()
        page.get_by_text(re.compile(r"^(Queued|Running)")).first.wait_for(timeout=60_000)
        nav(page, "Runs")
        nav(page, "Data")
        other = page.context.new_page()
        page.close()
        # Assert: a new tab's Overview shows the stored report
        other.goto(server.url + "/Overview")
        wait_idle(other)
        other.get_by_role("heading", name="Acceptance gate").wait_for(timeout=600_000)
        other.close()
    finally:
        server.kill()
    store = Store(small_db)
    jobs = q.list_jobs(store)
    store.close()
    assert [(j.kind, j.state) for j in jobs] == [("evaluate", "complete")]
    assert jobs[0].inputs["run_id"] == run.id and jobs[0].result_id
