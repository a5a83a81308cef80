"""Server-side render time of every page on a stored Adult run (target: at most 0.3 s).

A database is built once (the Adult sample, a GaussianCopula run, its report); then every page
script is run with Streamlit's AppTest in this process, three times: "first" is the page's first
render in this process (it loads the stored report and fills the per-report caches), "rerun" is
the same session again, as when a reviewer clicks, and "other session" is a new session opening
the page, as the next reviewer does. Each time is Streamlit's script run as a server makes it
(callbacks, the script, the clean-up after it), not AppTest's work around it. The one-minute load
average is printed beside the figures: other work on the machine slows everything down.
"""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
TARGET_S = 0.3
PAGES = ("0_Home", "1_Demo", "2_Data", "3_Generate", "4_Preview", "5_Overview", "6_Fidelity",
         "7_Utility", "8_Privacy", "9_Fairness", "10_Compare", "11_Review", "12_Report",
         "13_Runs", "14_Jobs")


def build(folder: Path) -> tuple[Path, str, str]:
    """The Adult sample, a GaussianCopula run of it and its stored report: (db, dataset, run)."""
    from core.datasets import add_sample
    from core.evaluation import evaluate_run
    from core.runs import generate
    from core.store import Store

    db = folder / "synthreview.duckdb"
    store = Store(db)
    try:
        info, _ = add_sample(store)
        run_ = generate(store, info.id, "gaussian_copula", seed=0)
        evaluate_run(store, run_.id)
    finally:
        store.close()
    return db, info.id, run_.id


def _session(name: str, dataset_id: str, run_id: str):  # noqa: ANN202 - AppTest
    from streamlit.testing.v1 import AppTest

    from ui import state

    at = AppTest.from_file(str(ROOT / "pages" / f"{name}.py"), default_timeout=120)
    at.session_state[state.DATASET_ID] = dataset_id
    at.session_state[state.RUN_ID] = run_id
    at.session_state[state.REVIEWER] = "bench"
    return at


_LAST: dict[str, float] = {}


def _hook_script_runs() -> None:
    """Time what the server does for a run: callbacks, the script, and its clean-up.

    AppTest's own work around a run (a new session scans the installed components, the element
    tree is parsed) is no part of a server's render, so the time is taken around Streamlit's
    ``ScriptRunner._run_script``, the call a server makes for every run too.
    """
    from streamlit.runtime.scriptrunner import script_runner

    original = script_runner.ScriptRunner._run_script
    if getattr(original, "_bench_timed", False):
        return

    def timed(self, *args: Any, **kwargs: Any) -> Any:  # noqa: ANN001
        t0 = time.perf_counter()
        try:
            return original(self, *args, **kwargs)
        finally:
            _LAST["seconds"] = time.perf_counter() - t0

    timed._bench_timed = True  # type: ignore[attr-defined]
    script_runner.ScriptRunner._run_script = timed


def _timed(at) -> float:  # noqa: ANN001
    _LAST.clear()
    t0 = time.perf_counter()
    at.run()
    return _LAST.get("seconds", time.perf_counter() - t0)


def measure(db: Path, dataset_id: str, run_id: str, pages: tuple[str, ...] = PAGES
            ) -> dict[str, Any]:
    """Render times of ``pages``: first, rerun and other session (seconds), and the load."""
    os.environ["SYNTHREVIEW_DB"] = str(db)
    _hook_script_runs()
    out: dict[str, Any] = {}
    for name in pages:
        load = os.getloadavg()[0]
        at = _session(name, dataset_id, run_id)
        first = _timed(at)
        again = _timed(at)
        other = _session(name, dataset_id, run_id)
        second = _timed(other)
        out[name] = {"first": first, "again": again, "other": second, "load": load,
                     "error": bool(at.exception) or bool(other.exception)}
    return out


def run() -> dict[str, Any]:
    """Render time of every page on a freshly built Adult database."""
    folder = Path(tempfile.mkdtemp(prefix="synthreview-pages-"))
    return measure(*build(folder))


def table(res: dict[str, Any]) -> str:
    """Markdown table."""
    lines = [f"| page | first render (s) | rerun (s) | other session (s) | ≤ {TARGET_S} s | "
             "load avg |", "|---|---:|---:|---:|---|---:|"]
    for name, r in res.items():
        worst = max(r["first"], r["again"], r["other"])
        ok = "yes" if worst <= TARGET_S else (
            "after the first" if max(r["again"], r["other"]) <= TARGET_S else "no")
        err = " (exception!)" if r["error"] else ""
        lines.append(f"| {name}{err} | {r['first']:.2f} | {r['again']:.2f} | {r['other']:.2f} | "
                     f"{ok} | {r['load']:.1f} |")
    return "\n".join(lines)


if __name__ == "__main__":
    import sys

    if len(sys.argv) > 1:  # python -m bench.pages DB DATASET RUN [PAGE ...]: reuse a database
        print(table(measure(Path(sys.argv[1]), sys.argv[2], sys.argv[3],
                            tuple(sys.argv[4:]) or PAGES)))
    else:
        print(table(run()))
