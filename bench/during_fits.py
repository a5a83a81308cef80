"""Other sessions' page latency while two CTGAN fits run as jobs (make bench; goal median < 1 s).

A real ``streamlit run`` server on a fresh database (the Adult sample). Two browser sessions start
a CTGAN fit each on the Generate page (they run as jobs on the Dask workers: the default of
cores - 1, at least 2, runs both at once on this 2-core machine; SYNTHREVIEW_DASK_WORKERS=1 makes
one wait); a third session then opens Runs, Data and Home in turn, ROUNDS times, and
each page load is timed from the click to the page's heading drawn and the script idle. Only
127.0.0.1 is contacted; every wait is bounded.
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

ROUNDS = 5
EPOCHS = 300
PAGE_LOADS = (("Runs", "Runs"), ("Data", "Data"), ("Home", "Next steps"))  # (link, heading)


def run(workers: int | None = None) -> dict[str, Any]:
    """Page-load seconds of a third session while two fits run (or wait) on the workers."""
    from playwright.sync_api import sync_playwright

    from core.jobs.cluster import WORKERS_ENV, default_workers
    from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, Server, wait_idle
    from tests.browser.test_sessions import FITTING, choose, new_page, timed_nav

    folder = Path(tempfile.mkdtemp(prefix="synthreview-during-fits-"))
    workers = workers or default_workers()
    old = os.environ.get(WORKERS_ENV)
    os.environ[WORKERS_ENV] = str(workers)  # the server's local cluster
    (folder / "db").mkdir(parents=True)
    server = Server(folder / "db" / "synthreview.duckdb")
    seconds: list[float] = []
    fitting_at_end = 0
    try:
        server.start()
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            fitters = [new_page(browser) for _ in range(2)]
            other = new_page(browser)
            for p in fitters:
                p.goto(server.url + "/Generate")
                wait_idle(p)
                choose(p, "Generator", "CTGAN")
                wait_idle(p)
                for label, value in (("epochs", str(EPOCHS)), ("Rows to generate", "1000")):
                    box = p.get_by_label(label, exact=True)
                    box.fill(value)
                    box.press("Enter")
                    wait_idle(p)
            other.goto(server.url)
            wait_idle(other)
            for p in fitters:
                p.get_by_role("button", name="Generate").click()
            deadline = time.monotonic() + 900  # CTGAN prepares 26,048 rows before epoch 1
            while not any(p.get_by_text(FITTING).count() for p in fitters):
                if time.monotonic() > deadline:
                    raise TimeoutError("neither fit reached its first epoch in 15 minutes")
                time.sleep(1)
            for _ in range(ROUNDS):
                for label, heading in PAGE_LOADS:
                    seconds.append(timed_nav(other, label, heading))
            fitting_at_end = sum(p.get_by_text(FITTING).count() > 0 for p in fitters)
            browser.close()
    finally:
        server.kill()
        if old is None:
            os.environ.pop(WORKERS_ENV, None)
        else:
            os.environ[WORKERS_ENV] = old
    s = sorted(seconds)
    return {"workers": workers, "loads": len(s), "median": statistics.median(s),
            "p95": s[int(0.95 * (len(s) - 1))], "max": s[-1],
            "fits_still_running_at_end": fitting_at_end, "load_average": os.getloadavg()[0]}


def table(r: dict[str, Any]) -> str:
    """Markdown table."""
    return "\n".join([
        "| Dask workers | page loads | median (s) | p95 (s) | max (s) | fits still running at "
        "the end | load average |", "|---:|---:|---:|---:|---:|---:|---:|",
        f"| {r['workers']} | {r['loads']} | {r['median']:.2f} | {r['p95']:.2f} | {r['max']:.2f} "
        f"| {r['fits_still_running_at_end']} of 2 | {r['load_average']:.1f} |"])


if __name__ == "__main__":
    t0 = time.perf_counter()
    print(table(run()))
    print(f"({time.perf_counter() - t0:.0f} s)")
