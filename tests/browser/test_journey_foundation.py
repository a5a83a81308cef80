"""Journey: open -> load sample -> fit GaussianCopula -> preview -> restart -> run still listed."""

from __future__ import annotations

import re

from tests.browser.conftest import Server, nav, settle, shot, wait_idle


def test_sample_generate_preview_restart(server: Server, page):
    # Open the app: it starts on the Adult sample
    page.goto(server.url)
    wait_idle(page)
    page.get_by_role("heading", name="synthreview").wait_for()
    shot(page, "01_home")

    # Data: one click loads the sample
    nav(page, "Data")
    page.get_by_role("button", name="Load the Adult sample").click()
    page.get_by_text("The Adult sample was already loaded; selected it.").wait_for()
    wait_idle(page)
    page.get_by_role("heading", name="Types and roles").wait_for()
    shot(page, "02_data")

    # Generate: GaussianCopula with 2,000 rows
    nav(page, "Generate")
    rows = page.get_by_label("Rows to generate")
    rows.fill("2000")
    rows.press("Enter")
    settle(page)
    page.get_by_role("button", name="Generate").click()
    done = page.get_by_text(re.compile(r"Run [0-9a-f]{12} complete: 2,000 synthetic rows\."))
    done.wait_for(timeout=180_000)
    run_id = re.search(r"Run ([0-9a-f]{12})", done.inner_text()).group(1)
    shot(page, "03_generate")

    # Preview: real and synthetic side by side
    nav(page, "Preview")
    page.get_by_role("heading", name="Synthetic").wait_for()
    page.get_by_role("heading", name="Per-column statistics").wait_for()
    shot(page, "04_preview")

    # Kill the server and start a new one on the same file: the run is still there
    server.kill()
    server.start()
    page.goto(server.url + "/Runs")
    wait_idle(page)
    page.get_by_role("heading", name="Runs", exact=True).first.wait_for()
    # The grid draws on a canvas; its accessible mirror holds the cells (attached, not visible).
    cell = page.locator(f"[role='gridcell']:has-text('{run_id}')").first
    cell.wait_for(state="attached", timeout=60_000)
    wait_idle(page)
    shot(page, "05_runs_after_restart")

