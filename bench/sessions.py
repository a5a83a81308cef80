"""Review-decision latency with 25 and 50 Chromium sessions on one server (``make bench``).

Set-up: one database with a 10-column table and ``RUNS`` evaluated runs of it (imported
synthetic files), copied fresh for each server. Session ``k`` (a Chromium context) opens the
Review page, picks run ``k % RUNS``, signs in as its own reviewer and opens the pair form. Every
session owns one column and one pair of its run (slot ``k // RUNS``), so no two sessions decide the
same target and a conflict message would be a bug, counted as an error.

Each round, all sessions first click "Save decision and go to the next column" on their own
column (a burst: the clicks are dispatched one page after the other, as fast as Playwright can),
then all click "Save pair decision" on their own pair. The decision alternates Approve / Needs
work / Approve, so the message a round waits for was not on the page before it.

Latency is measured inside each page, on the page's clock: from the click event on the save
button to the moment its "Saved: ..." message is in the page (a MutationObserver). The Python
side only dispatches clicks and collects the times, so its polling adds nothing to the figures.
Beside it, the CPU time per save of the server and of the browsers (Chromium and Playwright):
all of them share the machine's cores, so the latency is never the server's alone.
A save whose message has not appeared after ``WAIT_S`` counts as a timeout; an error element,
an exception on a page or a traceback in the server log counts as an error. At the end the
server is stopped and the stored decisions are counted: every save must be there exactly once.

Only 127.0.0.1 is contacted; loops are bounded. ``python -m bench.sessions [N ...]``.
"""

from __future__ import annotations

import os
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

RUNS = 5                # evaluated runs of the table; sessions are spread over them
ROWS = 1000             # real rows of the table (the synthetic files have as many)
ROUNDS = 3
WAIT_S = 60             # a save not shown by then is a timeout
SESSIONS = (25, 50)
CHOICES = ("Approve", "Needs work")
SAVE_COLUMN = "Save decision and go to the next column"
SAVE_PAIR = "Save pair decision"
PAIR_BOX = "Pair (lowest pair-trend scores first)"
WORDS = {"Approve": ("✓", "approved"), "Needs work": ("⚠", "needs work")}

# Installed once per page: a click on a button whose label is window.__sr.label starts the clock,
# the first DOM change after it that puts window.__sr.text in the page stops it.
WATCH_JS = """() => {
  if (window.__srWatch) return;
  window.__srWatch = true;
  document.addEventListener('click', (e) => {
    const s = window.__sr, b = e.target.closest && e.target.closest('button');
    if (s && s.t0 === null && b && b.innerText.includes(s.label)) s.t0 = performance.now();
  }, true);
  // Cheap on every redraw: only the (few) alert elements are read, once per batch of changes.
  new MutationObserver(() => {
    const s = window.__sr;
    if (!s || s.t0 === null || s.t1 !== null) return;
    for (const a of document.querySelectorAll('[data-testid^="stAlertContent"]')) {
      if (a.textContent.includes(s.text)) { s.t1 = performance.now(); return; }
    }
  }).observe(document.body, {subtree: true, childList: true, characterData: true});
}"""
ARM_JS = "([label, text]) => { window.__sr = {label, text, t0: null, t1: null}; }"
READ_JS = "() => window.__sr ? [window.__sr.t0, window.__sr.t1] : [null, null]"


@dataclass(frozen=True)
class Bench:
    """The seeded database: its runs, and each run's run-picker label, columns and pairs."""

    db: Path
    runs: tuple[str, ...]
    labels: tuple[str, ...]
    columns: tuple[str, ...]
    pairs: tuple[tuple[str, ...], ...]


def mixed_table(rows: int, seed: int) -> pd.DataFrame:
    """A mixed 10-column table (numbers and categories) that every metric can score."""
    rng = np.random.default_rng(seed)
    age = rng.integers(18, 90, rows)
    return pd.DataFrame({
        "age": age,
        "income": (rng.normal(50_000, 10_000, rows) + 300 * age).round(2),
        "hours": rng.integers(10, 60, rows),
        "tenure": rng.integers(0, 40, rows),
        "score": rng.uniform(0, 100, rows).round(1),
        "sex": rng.choice(["F", "M"], rows),
        "city": rng.choice(list("ABCDEFG"), rows),
        "plan": rng.choice(["basic", "plus", "premium"], rows, p=[0.6, 0.3, 0.1]),
        "channel": rng.choice(["web", "phone", "branch"], rows),
        "grade": rng.choice(["low", "high"], rows, p=[0.7, 0.3]),
    })


def build(db: Path, runs: int = RUNS, rows: int = ROWS) -> Bench:
    """Store the table, import ``runs`` synthetic files and evaluate each (closes the file)."""
    from core.datasets import add_dataset
    from core.evaluation import evaluate_run
    from core.review import pair_targets
    from core.runs import import_run
    from core.store import Store

    db.parent.mkdir(parents=True, exist_ok=True)
    store = Store(db)
    try:
        info, _ = add_dataset(store, mixed_table(rows, 0), {}, name="Bench sessions",
                              source_name="sessions.csv", target="grade", protected=["sex"],
                              quasi_identifiers=["age", "city"])
        ids, labels, pairs = [], [], []
        for i in range(runs):
            run = import_run(store, info.id, mixed_table(rows, i + 1).to_csv(index=False).encode(),
                             f"synthetic-{i}.csv")
            report, _ = evaluate_run(store, run.id)
            ids.append(run.id)
            # the Run picker's label (ui.evaluation.pick_run)
            labels.append(f"{run.generator} · {run.n_rows:,} rows · "
                          f"{run.created_at:%Y-%m-%d %H:%M} · {run.id}")
            pairs.append(tuple(pair_targets(report)))
        columns = tuple(report.schema.synth_columns)
    finally:
        store.close()
    return Bench(db, tuple(ids), tuple(labels), columns, tuple(pairs))


def _pick(page, label: str, option: str) -> None:  # noqa: ANN001 - playwright page
    """Choose ``option`` in the selectbox whose label is exactly ``label``.

    The Review page draws a new column picker for each column, so for a moment after a choice
    the old and the new one may both be there: wait until one shows ``option``.
    """
    from playwright.sync_api import Error as PlaywrightError

    from tests.browser.conftest import wait_idle

    box = page.get_by_test_id("stSelectbox").filter(
        has=page.get_by_test_id("stWidgetLabel").get_by_text(label, exact=True))

    def shown() -> str | None:
        wait_idle(page)
        try:  # the picker may be replaced between the count and the read: None, and look again
            return box.locator("input").input_value(timeout=5_000) if box.count() == 1 else None
        except PlaywrightError:
            return None

    for _ in range(5):
        if shown() == option:
            return
        field = box.locator("input")
        try:  # a redraw may replace the list while it opens: try again
            field.click(timeout=20_000)
            field.fill(option, timeout=20_000)
            page.get_by_role("option", name=option, exact=True).click(timeout=20_000)
        except PlaywrightError:
            page.keyboard.press("Escape")
            continue
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if shown() == option:
                return
            time.sleep(0.1)
    shot = Path(tempfile.gettempdir()) / f"synthreview-pick-{label}-{time.time():.0f}.png"
    page.screenshot(path=str(shot), full_page=True)
    raise AssertionError(f"could not choose {option!r} in {label!r}; the page: {shot}")


def _open_pair_form(page, pair: str) -> None:  # noqa: ANN001
    """Open the pair expander (a redraw may have closed it) and choose ``pair`` in it."""
    box = page.get_by_text(PAIR_BOX)
    if not box.is_visible():
        page.get_by_text("Flag a pair of columns").click()
        box.wait_for()
    _pick(page, PAIR_BOX, pair)


def _errors(page) -> list[str]:  # noqa: ANN001
    from tests.browser.test_sessions import errors_shown

    return errors_shown(page)


def _burst(pages: list, form: str, targets: list[str], choice: str) -> tuple[list, int, list]:
    """Choose ``choice`` on every page, click every save at once, collect each page's latency."""
    from playwright.sync_api import Error as PlaywrightError

    from tests.browser.conftest import decide, wait_idle

    label = SAVE_COLUMN if form == "column" else SAVE_PAIR
    for p, target in zip(pages, targets, strict=True):
        decide(p, choice, form=form)
        shown = f"'{target}'" if form == "column" else target
        p.evaluate(ARM_JS, [label, f"Saved: {choice} for {shown}."])
    # A redraw still under way when the choice was clicked draws the form again without it (the
    # choice is not sent before the save): check every page once they have all settled.
    time.sleep(0.5)
    for p in pages:
        wait_idle(p)
        if not _chosen(p, choice, form):
            decide(p, choice, form=form)
    pending = dict(enumerate(pages))
    errors: list[str] = []
    for k, p in enumerate(pages):
        buttons = p.get_by_role("button", name=label, exact=True)
        try:
            (buttons.first if form == "column" else buttons.last).click(
                no_wait_after=True, timeout=WAIT_S * 1000)
        except PlaywrightError as exc:  # counted, and the other sessions still measured
            errors.append(f"session {k}: the {form} save could not be clicked: {exc}")
            del pending[k]
    latencies: list[float] = []
    deadline = time.monotonic() + WAIT_S
    while pending and time.monotonic() < deadline:
        for k, p in list(pending.items()):
            t0, t1 = p.evaluate(READ_JS)
            if t0 is not None and t1 is not None:
                latencies.append((t1 - t0) / 1000)
                del pending[k]
        time.sleep(1.0)  # the times are taken in the page: polling rarely costs no accuracy
    for p in pages:
        wait_idle(p)
    errors += [e for p in pages for e in _errors(p)]
    for k, p in pending.items():  # what a page that timed out shows, for the report
        shot = Path(tempfile.gettempdir()) / f"synthreview-timeout-{form}-{k}.png"
        p.screenshot(path=str(shot))
        print(f"timeout: session {k} {form} {targets[k]!r}, click seen: "
              f"{p.evaluate(READ_JS)[0] is not None}, screenshot {shot}", file=sys.stderr)
    return latencies, len(pending), errors


def _cpu_seconds(pid: int) -> float:
    """User + system CPU time the process has used so far (Linux ``/proc``)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _browser_cpu_seconds(server_pid: int) -> float:
    """CPU time used so far by this process's other descendants: Playwright and Chromium."""
    parent: dict[int, int] = {}
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                parent[int(d.name)] = int((d / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue

    def ours(pid: int) -> bool:
        while pid > 1:
            if pid == server_pid:
                return False
            pid = parent.get(pid, 0)
            if pid == os.getpid():
                return True
        return False

    total = 0.0
    for pid in parent:
        if pid != os.getpid() and ours(pid):
            try:
                total += _cpu_seconds(pid)
            except (OSError, IndexError, ValueError):
                continue
    return total


def _chosen(page, choice: str, form: str) -> bool:  # noqa: ANN001
    """Whether ``choice`` is the selected decision of the column or pair form."""
    groups = page.get_by_role("radiogroup", name="Decision", exact=True)
    group = groups.first if form == "column" else groups.last
    return group.get_by_role("radio", name=choice, exact=True).is_checked()


def _memory_mib(pid: int) -> tuple[float, float]:
    """(resident, peak resident) memory of the process in MiB (Linux ``/proc``)."""
    fields = dict(line.split(":", 1) for line in
                  Path(f"/proc/{pid}/status").read_text().splitlines() if ":" in line)
    return tuple(int(fields[k].split()[0]) / 1024 for k in ("VmRSS", "VmHWM"))


def _stored(db: Path, runs: tuple[str, ...]) -> int:
    from core.review import history
    from core.store import Store

    store = Store(db)
    try:
        return sum(len(history(store, r)) for r in runs)
    finally:
        store.close()


def measure(n: int, bench: Bench, folder: Path, rounds: int = ROUNDS,
            app: Path | None = None) -> dict[str, Any]:
    """Latency of column and pair saves with ``n`` sessions on one fresh server.

    ``app`` serves another checkout of synthreview (e.g. an export of an older commit, to
    measure before and after a change in the same conditions); default: this one.
    """
    from playwright.sync_api import sync_playwright

    from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, ROOT, Server, wait_idle
    from tests.browser.test_sessions import new_page, sign_in

    slots = -(-n // len(bench.runs))
    if slots > len(bench.columns) or any(slots > len(p) for p in bench.pairs):
        raise ValueError(f"{n} sessions need {slots} columns and pairs per run; there are "
                         f"{len(bench.columns)} columns and {min(map(len, bench.pairs))} pairs.")
    db = folder / f"s{n}" / "synthreview.duckdb"
    db.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(bench.db, db)
    server = Server(db, root=app or ROOT).start()
    lat: dict[str, list[float]] = {"column": [], "pair": []}
    timeouts = {"column": 0, "pair": 0}
    cpu = {"column": 0.0, "pair": 0.0}
    browser_cpu = {"column": 0.0, "pair": 0.0}
    errors: list[str] = []
    load = [os.getloadavg()[0]]
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            pages = [new_page(browser) for _ in range(n)]
            runs = [k % len(bench.runs) for k in range(n)]
            columns = [bench.columns[k // len(bench.runs)] for k in range(n)]
            pairs = [bench.pairs[runs[k]][k // len(bench.runs)] for k in range(n)]
            for k, p in enumerate(pages):
                p.goto(server.url + "/Review")
                wait_idle(p)
                _pick(p, "Run", bench.labels[runs[k]])
                sign_in(p, f"reviewer-{k}")
                # signed in once the column's decision form is drawn
                p.get_by_role("radiogroup", name="Decision", exact=True).first.wait_for()
                p.evaluate(WATCH_JS)
            load.append(os.getloadavg()[0])
            last: list[str | None] = [None] * n
            for rnd in range(rounds):
                choice = CHOICES[rnd % 2]
                for k, p in enumerate(pages):  # back to its own column (the page moved on)
                    mark, word = WORDS[last[k]] if last[k] else ("○", "undecided")
                    _pick(p, "Column", f"{mark} {columns[k]} — {word}")
                before = _cpu_seconds(server.proc.pid), _browser_cpu_seconds(server.proc.pid)
                got, missed, errs = _burst(pages, "column", columns, choice)
                cpu["column"] += _cpu_seconds(server.proc.pid) - before[0]
                browser_cpu["column"] += _browser_cpu_seconds(server.proc.pid) - before[1]
                lat["column"] += got
                timeouts["column"] += missed
                errors += errs
                last = [choice] * n
                for p, pair in zip(pages, pairs, strict=True):
                    _open_pair_form(p, pair)
                before = _cpu_seconds(server.proc.pid), _browser_cpu_seconds(server.proc.pid)
                got, missed, errs = _burst(pages, "pair", pairs, choice)
                cpu["pair"] += _cpu_seconds(server.proc.pid) - before[0]
                browser_cpu["pair"] += _browser_cpu_seconds(server.proc.pid) - before[1]
                lat["pair"] += got
                timeouts["pair"] += missed
                errors += errs
                load.append(os.getloadavg()[0])
            browser.close()
        memory = _memory_mib(server.proc.pid)
    finally:
        server.kill()
    log = server.log.read_text(errors="replace")
    errors += ["traceback in the server log"] * log.count("Traceback")
    stored = _stored(db, bench.runs)
    out: dict[str, Any] = {"sessions": n, "rounds": rounds, "timeouts": timeouts,
                           "errors": errors, "stored": stored, "expected": 2 * n * rounds,
                           "load": (min(load), max(load)), "memory": memory}
    for form, values in lat.items():
        v = sorted(values)
        out[form] = {
            "saves": len(v),
            "p50": statistics.median(v) if v else None,
            "p95": v[min(len(v) - 1, int(np.ceil(0.95 * len(v))) - 1)] if v else None,
            "max": v[-1] if v else None,
            # server CPU per save: the part of the latency that the load of others cannot change
            "cpu": cpu[form] / (n * rounds),
            # the same for Chromium (and Playwright), which shares the machine's cores
            "browser_cpu": browser_cpu[form] / (n * rounds),
        }
    return out


def run(sessions: tuple[int, ...] = SESSIONS, app: Path | None = None, rounds: int = ROUNDS
        ) -> dict[int, dict[str, Any]]:
    """Latency for each number of concurrent sessions (one database built for all)."""
    folder = Path(tempfile.mkdtemp(prefix="synthreview-sessions-"))
    bench = build(folder / "seed.duckdb", runs=max(RUNS, -(-max(sessions) // 10)))
    out: dict[int, dict[str, Any]] = {}
    for n in sessions:
        out[n] = measure(n, bench, folder, rounds=rounds, app=app)
        # Each count's rows as soon as they are known: a run stopped later keeps what it measured
        print(table({n: out[n]}), file=sys.stderr, flush=True)
    return out


def _s(v: float | None) -> str:
    return "—" if v is None else f"{v:.2f}"


def table(res: dict[int, dict[str, Any]]) -> str:
    """Markdown table: one row per number of sessions and kind of save."""
    lines = ["| sessions | save | saves | p50 (s) | p95 (s) | max (s) | timeouts | errors | "
             "stored / expected | CPU per save: server / browser (s) | server RSS / peak (MiB) | "
             "load avg (1 min) |",
             "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|"]
    for r in res.values():
        for form in ("column", "pair"):
            f = r[form]
            lines.append(
                f"| {r['sessions']} | {form} | {f['saves']} | {_s(f['p50'])} | {_s(f['p95'])} | "
                f"{_s(f['max'])} | {r['timeouts'][form]} | {len(r['errors'])} | "
                f"{r['stored']} / {r['expected']} | {f['cpu']:.3f} / {f['browser_cpu']:.3f} | "
                f"{r['memory'][0]:,.0f} / {r['memory'][1]:,.0f} | "
                f"{r['load'][0]:.1f}–{r['load'][1]:.1f} |")
    shown = [e for r in res.values() for e in r["errors"]][:5]
    if shown:
        lines.append("\nFirst errors: " + " · ".join(e.replace("\n", " ")[:200] for e in shown))
    return "\n".join(lines)



def _stop_on_sigterm() -> None:
    """A ``timeout`` or ``kill`` ends the bench through its ``finally`` blocks (server stopped)."""
    import signal

    def stop(signum: int, frame: Any) -> None:  # noqa: ARG001 - signal handler signature
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, stop)


def _args(argv: list[str]) -> tuple[tuple[int, ...], Path | None, int]:
    """Session counts, the other checkout's app (``--app``) and the rounds (``--rounds``)."""
    import argparse

    parser = argparse.ArgumentParser(
        prog="python -m bench.sessions",
        description="Review-decision latency with N Chromium sessions on one server.")
    parser.add_argument("counts", nargs="*", type=int, metavar="N",
                        help=f"session counts, one server each (default: {SESSIONS})")
    parser.add_argument("--app", type=Path, help="serve another checkout's app.py instead")
    parser.add_argument("--rounds", type=int, default=ROUNDS,
                        help=f"rounds of one column and one pair save per session ({ROUNDS})")
    a = parser.parse_args(argv)
    if any(n < 1 for n in a.counts) or a.rounds < 1:
        parser.error("session counts and --rounds must be at least 1")
    return tuple(a.counts) or SESSIONS, a.app.resolve() if a.app else None, a.rounds


if __name__ == "__main__":
    counts, other, rounds = _args(sys.argv[1:])
    _stop_on_sigterm()
    print(table(run(counts, app=other, rounds=rounds)))
