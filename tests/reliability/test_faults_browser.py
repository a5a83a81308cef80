"""Kill -9 of a real ``streamlit run`` server during a CTGAN fit started from the browser."""

from __future__ import annotations

import re

from core.runs import list_runs
from core.store import Store
from core.store import jobs as q
from core.store.runs import MSG_INTERRUPTED
from tests.browser.conftest import Server, decide, wait_idle
from tests.reliability.conftest import assert_seed_intact


def _choose(page, label: str, option: str) -> None:  # noqa: ANN001 - playwright Page
    box = page.get_by_test_id("stSelectbox").filter(has_text=label)
    box.locator("input").click()
    page.get_by_role("option", name=option, exact=True).click()


def _set_number(page, label: str, value: int) -> None:  # noqa: ANN001 - playwright Page
    box = page.get_by_label(label, exact=True)
    box.fill(str(value))
    box.press("Enter")
    wait_idle(page)


def _start_ctgan(page, url: str, epochs: int, rows: int) -> None:  # noqa: ANN001
    page.goto(url + "/Generate")
    wait_idle(page)
    _choose(page, "Generator", "CTGAN")
    page.get_by_label("epochs", exact=True).wait_for()  # CTGAN's parameters are drawn
    wait_idle(page)
    _set_number(page, "epochs", epochs)
    _set_number(page, "Rows to generate", rows)
    page.get_by_role("button", name="Generate").click()


def test_server_killed_during_a_fit_shows_the_run_interrupted_and_can_generate_again(
    seeded, page
):
    # Setup: a server on the seeded file; a long CTGAN fit started from the Generate page
    server = Server(seeded["path"])
    try:
        server.start()
        _start_ctgan(page, server.url, epochs=1000, rows=100)
        page.get_by_text(re.compile(r"epoch [1-9]\d* of 1000")).wait_for(timeout=120_000)
        # Run: SIGKILL the server mid-fit, then start a new one on the same file
        killed_pid = server.proc.pid
        server.kill()
        server.start()
        page.goto(server.url + "/Runs")
        wait_idle(page)
        # Assert: the Runs page lists the run as interrupted
        cell = page.locator("[role='gridcell']:has-text('interrupted')").first
        cell.wait_for(state="attached", timeout=30_000)  # the grid's hidden a11y mirror
        # Run: generate again from the browser
        _start_ctgan(page, server.url, epochs=2, rows=50)
        done = page.get_by_text(re.compile(r"Run [0-9a-f]{12} complete: 50 synthetic rows\."))
        done.wait_for(timeout=180_000)
        new_id = re.search(r"Run ([0-9a-f]{12})", done.inner_text()).group(1)
    finally:
        server.kill()
    # Assert: in the file, the killed run is interrupted with its reason; the new one complete
    store = Store(seeded["path"])
    try:
        ctgan = {r.id: r for r in list_runs(store) if r.generator == "ctgan"}
        fits = [j for j in q.list_jobs(store) if j.kind == "generate"]
    finally:
        store.close()
    # the killed server's job is interrupted with its reason; the new fit's job complete
    assert sorted(j.state for j in fits) == ["complete", "interrupted"]
    (lost,) = [j for j in fits if j.state == "interrupted"]
    assert lost.error == q.MSG_INTERRUPTED.format(pid=killed_pid) and lost.result_id is None
    interrupted = [r for r in ctgan.values() if r.status == "interrupted"]
    assert len(ctgan) == 2
    assert [r.error for r in interrupted] == [MSG_INTERRUPTED.format(pid=killed_pid)]
    assert ctgan[new_id].status == "complete" and ctgan[new_id].n_rows == 50
    assert_seed_intact(seeded)


def test_server_killed_during_an_evaluation_leaves_no_half_report(tmp_path, page):
    # Setup: the Adult sample with a full-size GaussianCopula run (evaluation takes seconds)
    from core.datasets import add_sample
    from core.runs import generate
    from core.store.reports import latest_report_id

    path = tmp_path / "db" / "synthreview.duckdb"
    store = Store(path)
    info, _ = add_sample(store)
    run = generate(store, info.id, "gaussian_copula", seed=0)
    store.close()
    server = Server(path)
    try:
        server.start()
        page.goto(server.url + "/Overview")
        wait_idle(page)
        page.get_by_role("button", name="Evaluate").click()
        # Run: SIGKILL while the third family is being computed, then restart
        page.get_by_text("computing privacy metrics").wait_for(timeout=120_000)
        server.kill()
        server.start()
        page.goto(server.url + "/Overview")
        wait_idle(page)
        # Assert: no report was stored; evaluating again works
        page.get_by_text("This run has not been evaluated yet.", exact=False).wait_for()
        page.get_by_role("button", name="Evaluate").click()
        page.get_by_role("heading", name="Acceptance gate").wait_for(timeout=180_000)
    finally:
        server.kill()
    store = Store(path)
    try:
        with store.cursor() as cur:
            reports = cur.execute("SELECT count(*) FROM reports").fetchone()[0]
            values = cur.execute(
                "SELECT count(DISTINCT report_id) FROM metric_values").fetchone()[0]
        assert (reports, values) == (1, 1)
        assert latest_report_id(store, run.id) is not None
        assert {r.status for r in list_runs(store)} == {"complete"}
    finally:
        store.close()


def test_server_killed_during_review_writes_keeps_every_acknowledged_decision(seeded, page):
    # Setup: the seeded run evaluated, a server, a reviewer on the Review page
    from core.evaluation import evaluate_run
    from core.metrics.config import EvalConfig
    from core.review import history

    store = Store(seeded["path"])
    evaluate_run(store, seeded["run"], config=EvalConfig(anonymeter_attacks=50,
                                                        max_rows_anonymeter=150))
    store.close()
    server = Server(seeded["path"])
    acknowledged: list[str] = []
    try:
        server.start()
        page.goto(server.url + "/Review")
        wait_idle(page)
        box = page.get_by_label("Your name (recorded with every decision)")
        box.fill("Dana")
        box.press("Enter")
        wait_idle(page)
        # Run: save decisions; each "Saved: …" message is an acknowledgement. Kill the server
        # right after clicking the next save, while it is being written.
        for n in range(4):
            decide(page, "Approve")  # nothing is pre-selected: the choice is explicit
            page.get_by_role("button", name="Save decision and go to the next column").last.click()
            # Acknowledged = the rerun after the save has drawn its count and its message.
            page.get_by_text(f"{n + 1} decision(s) recorded for this run.").wait_for()
            saved = page.get_by_text(re.compile(r"^Saved: Approve for '"))
            acknowledged.append(re.search(r"for '(.+)'\.", saved.inner_text()).group(1))
            wait_idle(page)
        decide(page, "Approve")
        page.get_by_role("button", name="Save decision and go to the next column").last.click()
        server.kill()
        server.start()
        page.goto(server.url + "/Review")
        wait_idle(page)
        page.get_by_text(re.compile(r"decision\(s\) recorded for this run")).wait_for()
    finally:
        server.kill()
    store = Store(seeded["path"])
    try:
        events = history(store, seeded["run"])
    finally:
        store.close()
    targets = [e.target for e in events]
    assert len(set(acknowledged)) == 4, acknowledged
    assert set(acknowledged) <= set(targets), (acknowledged, targets)
    assert len(targets) == len(set(targets))  # nothing written twice
    assert len(targets) in (len(acknowledged), len(acknowledged) + 1)  # the in-flight one or not
    assert_seed_intact(seeded)
