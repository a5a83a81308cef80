"""Kill -9 of a real ``streamlit run`` server during a CTGAN fit started from the browser."""

from __future__ import annotations

import re

from core.runs import list_runs
from core.store import Store
from core.store.runs import MSG_INTERRUPTED
from tests.browser.conftest import Server, wait_idle
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
    finally:
        store.close()
    interrupted = [r for r in ctgan.values() if r.status == "interrupted"]
    assert len(ctgan) == 2
    assert [r.error for r in interrupted] == [MSG_INTERRUPTED.format(pid=killed_pid)]
    assert ctgan[new_id].status == "complete" and ctgan[new_id].n_rows == 50
    assert_seed_intact(seeded)
