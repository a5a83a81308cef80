"""``make bench``: every benchmark, printed and written to bench/results/bench-<time>.md.

Sections: foundation (load, schema, fit + sample of each generator on Adult), evaluation on
Adult next to SDMetrics and Anonymeter, DCR next to SDMetrics' DCRBaselineProtection, CAP next
to SDMetrics' DisclosureProtection, the 1,000,000-row table, and review-decision latency under
concurrent sessions (when present).
Each measurement runs in a fresh process, so its peak memory is its own.
"""

from __future__ import annotations

import os
import platform
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from bench import bench_cap, bench_dcr, during_fits, evaluation, foundation, large, pages

RESULTS = Path(__file__).resolve().parent / "results"


def _dcr_table(rows: list[dict]) -> str:
    lines = ["| measurement | pairs | seconds | peak memory added (MiB) | value "
             "| SDMetrics ÷ ours |", "|---|---|---:|---:|---:|---:|"]
    for r in rows:
        secs = r.get("timed_out") or f"{r['seconds']:.2f}"
        peak = "" if r.get("peak_mb") is None else f"{r['peak_mb']:,.0f}"
        value = "" if r.get("value") is None else f"{r['value']:.4f}"
        ratio = r.get("ratio_vs_ours")
        ratio_s = "" if ratio is None else (f"{ratio:,.0f}×" if isinstance(ratio, float)
                                            else f"{ratio}×")
        lines.append(f"| {r['name']} | {r['rows']} | {secs} | {peak} | {value} | {ratio_s} |")
    return "\n".join(lines)


def main() -> int:
    started = time.perf_counter()
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    sections = [f"# synthreview bench {stamp}\n\nmachine: {platform.platform()}, "
                f"{os.cpu_count()} CPU cores, Python {platform.python_version()}"]

    def section(title: str, body: str) -> None:
        # Other work on the machine slows every figure down: the load average goes with it.
        load = "load average (1, 5, 15 min) at the end: " + ", ".join(
            f"{x:.2f}" for x in os.getloadavg())
        sections.append(f"## {title}\n\n{body}\n\n{load}")
        print(f"\n## {title}\n\n{body}\n\n{load}", flush=True)

    print("foundation…", file=sys.stderr, flush=True)
    section("Foundation: Adult (32,561 rows); generators fit the 26,048 training rows with "
            "their default parameters and sample as many", foundation.table(foundation.run()))
    print("evaluation…", file=sys.stderr, flush=True)
    section("Evaluation: `python -m core evaluate RUN` on Adult (26,048 training / 6,513 holdout "
            "/ 26,048 GaussianCopula rows) vs SDMetrics QualityReport + DiagnosticReport + "
            "Anonymeter's three evaluators on the same inputs (goal: ratio ≤ 0.6)",
            evaluation.table(evaluation.run()))
    print("DCR…", file=sys.stderr, flush=True)
    section("DCR: all 32,561 × 32,561 pairs (target < 10 s) vs SDMetrics DCRBaselineProtection",
            _dcr_table(bench_dcr.run()))
    print("CAP…", file=sys.stderr, flush=True)
    section("CAP disclosure of 'class' vs SDMetrics DisclosureProtection (same value)",
            bench_cap.table(bench_cap.run()))
    print("1,000,000 rows…", file=sys.stderr, flush=True)
    section("1,000,000 rows × 20 columns (goal ≤ 120 s, ≤ 4 GiB)", large.table(large.run()))
    print("page render times…", file=sys.stderr, flush=True)
    section(f"Page render time on a stored Adult run (target ≤ {pages.TARGET_S} s)",
            pages.table(pages.run()))
    print("page loads during two fits…", file=sys.stderr, flush=True)
    section("Another session's page loads while two CTGAN fits run as jobs (goal: median "
            "< 1 s)", during_fits.table(during_fits.run()))
    try:
        from bench import sessions
    except ImportError:
        sessions = None
    if sessions is not None:
        print("review sessions…", file=sys.stderr, flush=True)
        section("Review decisions under concurrent Chromium sessions (target: p95 ≤ 2 s with "
                "25 sessions, ≤ 4 s with 50; 0 timeouts, 0 errors)",
                sessions.table(sessions.run()))
    sections.append(f"total bench time: {time.perf_counter() - started:.0f} s")
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"bench-{stamp}.md"
    out.write_text("\n\n".join(sections) + "\n", encoding="utf-8")
    print(f"\nwritten to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
