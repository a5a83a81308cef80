"""How long each page takes to render a stored Adult run (target: under 1 s).

A database is built once (the Adult sample, a GaussianCopula run, its report); then every page
script is run with Streamlit's AppTest in this process, twice: "first" includes loading the
stored report, "again" is a rerun, as when a reviewer clicks.
"""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
PAGES = ("0_Home", "2_Data", "4_Preview", "13_Runs", "5_Overview", "6_Fidelity", "7_Utility",
         "8_Privacy", "9_Fairness", "10_Compare", "11_Review", "12_Report", "1_Demo")


def run() -> dict[str, Any]:
    """Render time of every page, first and again."""
    from streamlit.testing.v1 import AppTest

    from core.datasets import add_sample
    from core.evaluation import evaluate_run
    from core.runs import generate
    from core.store import Store
    from ui import state

    folder = Path(tempfile.mkdtemp(prefix="synthreview-pages-"))
    db = folder / "synthreview.duckdb"
    store = Store(db)
    info, _ = add_sample(store)
    run_ = generate(store, info.id, "gaussian_copula", seed=0)
    evaluate_run(store, run_.id)
    store.close()
    os.environ["SYNTHREVIEW_DB"] = str(db)
    out: dict[str, Any] = {}
    for name in PAGES:
        at = AppTest.from_file(str(ROOT / "pages" / f"{name}.py"), default_timeout=120)
        at.session_state[state.DATASET_ID] = info.id
        at.session_state[state.RUN_ID] = run_.id
        at.session_state[state.REVIEWER] = "bench"
        t0 = time.perf_counter()
        at.run()
        first = time.perf_counter() - t0
        t1 = time.perf_counter()
        at.run()
        again = time.perf_counter() - t1
        out[name] = {"first": first, "again": again, "error": bool(at.exception)}
    return out


def table(res: dict[str, Any]) -> str:
    """Markdown table."""
    lines = ["| page | first render (s) | rerun (s) | under 1 s |", "|---|---:|---:|---|"]
    for name, r in res.items():
        ok = "yes" if r["again"] < 1 and r["first"] < 1 else ("rerun only" if r["again"] < 1
                                                              else "no")
        err = " (exception!)" if r["error"] else ""
        lines.append(f"| {name}{err} | {r['first']:.2f} | {r['again']:.2f} | {ok} |")
    return "\n".join(lines)


if __name__ == "__main__":
    print(table(run()))
