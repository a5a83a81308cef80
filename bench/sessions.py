"""Review-decision latency with 25 and 50 browser sessions on one server (``make bench``).

Each session (a Chromium context) opens the Review page of one evaluated run, signs in, and in
each of a few rounds every session saves a different pair decision at the same moment. Latency is
from a session's click to its "Saved" message. Only 127.0.0.1 is contacted; loops are bounded.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

ROUNDS = 3
WAIT_S = 180


def _measure(n: int, folder: Path) -> dict[str, Any]:
    from playwright.sync_api import sync_playwright

    from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, wait_idle
    from tests.browser.test_sessions import (
        PAIR_BOX,
        SAVE_PAIR,
        build_evaluated,
        choose,
        errors_shown,
        new_page,
        serve_copy,
        sign_in,
    )

    evaluated = build_evaluated(folder / "seed.duckdb")
    server = serve_copy(evaluated, folder / f"s{n}")
    latencies: list[float] = []
    errors: list[str] = []
    timeouts = 0
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            pages = [new_page(browser) for _ in range(n)]
            for k, p in enumerate(pages):
                p.goto(server.url + "/Review")
                wait_idle(p)
                sign_in(p, f"reviewer-{k}")
                p.get_by_text("Flag a pair of columns").click()
                p.get_by_text(PAIR_BOX).wait_for()
            pairs = evaluated.pairs
            for rnd in range(ROUNDS):
                chosen = [pairs[(k + rnd) % len(pairs)] for k in range(n)]
                for p, pair in zip(pages, chosen, strict=True):
                    choose(p, PAIR_BOX, pair)
                clicked = []
                for p in pages:
                    p.get_by_role("button", name=SAVE_PAIR).click()
                    clicked.append(time.perf_counter())
                pending = dict(enumerate(pages))
                deadline = time.perf_counter() + WAIT_S
                while pending and time.perf_counter() < deadline:
                    for k, p in list(pending.items()):
                        if p.get_by_text(f"Saved: Approve for {chosen[k]}.",
                                         exact=True).is_visible():
                            latencies.append(time.perf_counter() - clicked[k])
                            del pending[k]
                timeouts += len(pending)
                for p in pages:
                    wait_idle(p)
                errors += [e for p in pages for e in errors_shown(p)]
            browser.close()
    finally:
        server.kill()
    lat = sorted(latencies)
    return {
        "sessions": n, "decisions": len(lat), "timeouts": timeouts, "errors": len(errors),
        "p50": statistics.median(lat) if lat else None,
        "p95": lat[int(0.95 * (len(lat) - 1))] if lat else None,
    }


def run() -> dict[str, Any]:
    """Latency for 25 and 50 concurrent sessions."""
    folder = Path(tempfile.mkdtemp(prefix="synthreview-sessions-"))
    return {n: _measure(n, folder) for n in (25, 50)}


def table(res: dict[str, Any]) -> str:
    """Markdown table."""
    lines = ["| sessions | decisions | p50 latency (s) | p95 latency (s) | timeouts | errors |",
             "|---:|---:|---:|---:|---:|---:|"]
    for r in res.values():
        p50 = "—" if r["p50"] is None else f"{r['p50']:.2f}"
        p95 = "—" if r["p95"] is None else f"{r['p95']:.2f}"
        lines.append(f"| {r['sessions']} | {r['decisions']} | {p50} | {p95} | {r['timeouts']} | "
                     f"{r['errors']} |")
    return "\n".join(lines)


if __name__ == "__main__":
    print(table(run()))
