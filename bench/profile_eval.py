"""Where the time of ``python -m core evaluate RUN`` goes on Adult: start-up, cluster, each metric.

The inputs are the CLI's own: Adult added with its roles (26,048 training and 6,513 holdout
rows) and a GaussianCopula run of 26,048 rows, in a DuckDB file made once and kept under
``bench/results/cache/`` (``bench_store()``).

Three measurements, each in a fresh process so nothing is imported or compiled in advance:

- ``phases()``: the CLI's steps with a timestamp each (the same core calls as ``cmd_evaluate``):
  imports, opening the store, the reuse check, the cluster start (in the background, as the CLI
  does it) and the rows read meanwhile, the job on the worker, storing the report, reading it
  back (the CLI prints it), and the shutdown of the cluster at exit;
- ``per_metric()``: every metric in this process, one after another (seconds per metric, per
  task of shared inputs and per family), then the whole ``evaluate`` with its tasks side by
  side, as a worker runs it;
- ``cli_seconds()`` (``bench/evaluation.py``): the CLI itself, timed from outside.

Usage: ``python -m bench.profile_eval`` (``make bench`` prints it in its evaluation section).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
CACHE = ROOT / "bench" / "results" / "cache"
STORE = CACHE / "eval_bench.duckdb"
RUN_FILE = CACHE / "eval_bench_run.json"
ADULT = ROOT / "sample_data" / "adult.csv"
ROLES = ["--target", "class", "--protected", "sex", "race", "age",
         "--quasi", "age", "sex", "race", "education", "marital-status", "native-country"]


def _cli(*args: str) -> str:
    out = subprocess.run([sys.executable, "-m", "core", "--db", str(STORE), *args], cwd=ROOT,
                         capture_output=True, text=True, check=True)
    return out.stdout.strip().splitlines()[-1]


def bench_store() -> tuple[Path, str]:
    """The bench's DuckDB file and the id of its GaussianCopula run (made on first use)."""
    if STORE.exists() and RUN_FILE.exists():
        return STORE, json.loads(RUN_FILE.read_text())["run"]
    CACHE.mkdir(parents=True, exist_ok=True)
    STORE.unlink(missing_ok=True)
    dataset = _cli("datasets", "add", str(ADULT), "--name", "Adult", *ROLES)
    run = _cli("generate", dataset, "--generator", "gaussian_copula", "--seed", "0")
    RUN_FILE.write_text(json.dumps({"dataset": dataset, "run": run}))
    return STORE, run


def load() -> float:
    """The 1-minute load average (other work on this shared machine)."""
    return round(os.getloadavg()[0], 2)


def _fresh(fn: str) -> dict[str, Any]:
    """Run ``fn`` of this module in a fresh Python process; its JSON result."""
    code = f"import json, bench.profile_eval as p; print(json.dumps(p._{fn}()))"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                         env={**os.environ, "PYTHONWARNINGS": "ignore"})
    if out.returncode != 0:
        return {"error": out.stderr.strip().splitlines()[-1][:300] if out.stderr else "failed"}
    return json.loads(out.stdout.strip().splitlines()[-1])


# -- the CLI's steps, timestamped (runs in a fresh process) -----------------------------------
def _phases() -> dict[str, Any]:
    t0 = time.perf_counter()
    marks: list[tuple[str, float]] = []

    def mark(name: str) -> None:
        marks.append((name, time.perf_counter() - t0))

    from core.evaluation import load_report, prepare_evaluation, stored_plan
    from core.jobs import JobManager, close_all
    from core.store import open_store

    mark("imports (core.evaluation, core.jobs, core.store)")
    path, run = bench_store()
    store = open_store(str(path))
    mark("open the store")
    assert stored_plan(store, run, force=True) is None
    mark("reuse check")
    manager = JobManager(store)
    warm = manager.warm_up()
    plan = prepare_evaluation(store, run, force=True)
    mark("rows read (cluster starting meanwhile)")
    warm.join()
    mark("cluster up, worker warmed up")
    job_id = manager.submit_evaluate(run, "internal", force=True, started_by="bench", plan=plan)
    job = manager.wait(job_id)
    mark("job done: rows sent, evaluated on the worker, report stored")
    report = load_report(store, job.result_id)
    mark("report read back (the CLI prints it)")
    manager.shutdown()
    close_all(wait=False)  # as the CLI: the cluster stops on its own
    mark("cluster told to stop")
    steps, last = [], 0.0
    for name, at in marks:
        steps.append({"step": name, "seconds": round(at - last, 2)})
        last = at
    return {"steps": steps, "total": round(last, 2), "compute": report.seconds,
            "load": load()}


def phases() -> dict[str, Any]:
    """The CLI's steps with their seconds, in a fresh process."""
    bench_store()
    return _fresh("phases")


# -- every metric, one after another, then side by side (runs in a fresh process) -------------
def _per_metric() -> dict[str, Any]:
    t0 = time.perf_counter()
    from core.evaluation import prepare_evaluation
    from core.metrics.context import EvalContext
    from core.metrics.registry import BUILTIN
    from core.metrics.schedule import plan, task_name
    from core.report import evaluate
    from core.store import open_store

    imports = time.perf_counter() - t0
    path, run = bench_store()
    inputs = prepare_evaluation(open_store(str(path)), run, force=True).inputs
    ctx = EvalContext(inputs.train, inputs.holdout, inputs.synthetic, inputs.schema,
                      inputs.config)
    metrics = []
    load_before = load()
    for task in plan(BUILTIN):  # in task order: a shared input is paid by its first user
        for m in task.metrics:
            t = time.perf_counter()
            m.run(ctx)
            metrics.append({"key": m.key, "family": m.family, "task": task_name(m),
                            "seconds": round(time.perf_counter() - t, 3)})
    t = time.perf_counter()
    report = evaluate(inputs.train, inputs.holdout, inputs.synthetic, inputs.schema,
                      inputs.config)
    return {"imports": round(imports, 2), "metrics": metrics,
            "parallel_wall": round(time.perf_counter() - t, 2), "parallel": report.seconds,
            "load": [load_before, load()]}


def per_metric() -> dict[str, Any]:
    """Seconds per metric (one after another) and the side-by-side report, in a fresh process."""
    bench_store()
    return _fresh("per_metric")


def _references_for_bench() -> dict[str, Any]:
    from bench.evaluation import _references

    return _references()


def _sum_by(rows: list[dict[str, Any]], field: str) -> dict[str, float]:
    out: dict[str, float] = {}
    for r in rows:
        out[r[field]] = round(out.get(r[field], 0.0) + r["seconds"], 2)
    return out


def table(ph: dict[str, Any], pm: dict[str, Any]) -> str:
    """Markdown: the CLI's steps, then per family, per task and the slowest metrics."""
    lines = []
    if "error" in ph:
        lines.append(f"phases: error: {ph['error']}")
    else:
        lines += ["| CLI step (`python -m core evaluate RUN --force`) | seconds |", "|---|---:|"]
        lines += [f"| {s['step']} | {s['seconds']:.2f} |" for s in ph["steps"]]
        comp = ph["compute"]
        lines.append(f"| **total** (load {ph['load']}) | **{ph['total']:.2f}** |")
        lines.append(f"| of which metrics on the worker (wall) | {comp.get('total', 0):.2f} |")
    if "error" in pm:
        lines.append(f"\nper metric: error: {pm['error']}")
        return "\n".join(lines)
    fam, task = _sum_by(pm["metrics"], "family"), _sum_by(pm["metrics"], "task")
    lines += ["", f"One after another in one process (load {pm['load'][0]} → {pm['load'][1]}; "
              f"imports {pm['imports']:.1f} s):", "",
              "| family | seconds, one after another | seconds in the side-by-side report |",
              "|---|---:|---:|"]
    for f, s in fam.items():
        lines.append(f"| {f} | {s:.2f} | {pm['parallel'].get(f, 0):.2f} |")
    lines.append(f"| **whole report** | **{sum(fam.values()):.2f}** | "
                 f"**{pm['parallel_wall']:.2f}** (wall) |")
    lines += ["", "| task (shared inputs) | seconds |", "|---|---:|"]
    lines += [f"| {t} | {s:.2f} |" for t, s in task.items()]
    slow = sorted(pm["metrics"], key=lambda r: -r["seconds"])[:12]
    lines += ["", "| slowest metrics | task | seconds |", "|---|---|---:|"]
    lines += [f"| {r['key']} | {r['task']} | {r['seconds']:.2f} |" for r in slow]
    return "\n".join(lines)


if __name__ == "__main__":
    print(table(phases(), per_metric()))
