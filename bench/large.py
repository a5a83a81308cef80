"""A 1,000,000-row × 20-column table made from Adult, evaluated end to end.

The table: Adult's 15 columns resampled to 1,000,000 rows with jitter on the numbers (so rows are
not mere copies), plus 5 derived columns (two numeric, three categorical). It is split 80/20 into
training and holdout; the synthetic table is a GaussianCopula fitted on 50,000 training rows and
sampled to 1,000,000 rows. The report says which metrics sampled rows and how many.
Goal (issue #15): at most 120 s and 4 GiB on 2 cores.
"""

from __future__ import annotations

import multiprocessing as mp
import resource
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
CACHE = ROOT / "bench" / "results" / "cache"
ROWS = 1_000_000


def make_table(rows: int = ROWS, seed: int = 0) -> Any:
    """The large real table (20 columns), derived from Adult."""
    import numpy as np

    from core.io import load_path

    adult, _ = load_path(ROOT / "sample_data" / "adult.csv")
    rng = np.random.default_rng(seed)
    big = adult.sample(rows, replace=True, random_state=seed).reset_index(drop=True)
    for col in ("age", "hours-per-week", "education-num"):
        big[col] = (big[col] + rng.integers(-2, 3, rows)).clip(lower=1)
    big["fnlwgt"] = (big["fnlwgt"] * rng.uniform(0.9, 1.1, rows)).round()
    big["income_score"] = (big["education-num"] * 3 + big["hours-per-week"] / 4
                           + rng.normal(0, 2, rows)).round(2)
    big["tenure_years"] = (big["age"] - 18).clip(lower=0) * rng.uniform(0, 1, rows)
    big["region"] = rng.choice(["north", "south", "east", "west", "centre"], rows)
    big["plan"] = np.where(big["income_score"] > 45, "premium", "basic")
    big["channel"] = rng.choice(["web", "phone", "branch"], rows, p=[0.6, 0.3, 0.1])
    return big


def _child(queue: mp.Queue) -> None:
    try:
        import pandas as pd

        from core.datasets import split_holdout
        from core.generators.registry import get_generator
        from core.metrics.config import EvalConfig
        from core.metrics.schedule import threads_for_rows
        from core.report import evaluate
        from core.schema import detect_schema

        t0 = time.perf_counter()
        real = make_table()
        schema = detect_schema(real).with_roles(
            "class", ["sex", "race", "age"],
            ["age", "sex", "race", "education", "marital-status", "native-country", "region"])
        mask, _ = split_holdout(real, 0.2, 0, "class")
        train, hold = real[~mask].reset_index(drop=True), real[mask].reset_index(drop=True)
        CACHE.mkdir(parents=True, exist_ok=True)
        cached = CACHE / f"large_gaussian_copula_{ROWS}.parquet"
        if cached.exists():
            synth = pd.read_parquet(cached)
        else:
            fit_rows = train.sample(50_000, random_state=0)
            synth = get_generator("gaussian_copula").fit_sample(fit_rows, schema, ROWS, 0).synthetic
            synth.to_parquet(cached, index=False)
        prep = time.perf_counter() - t0
        marks: list[tuple[str, float]] = []

        def progress(_fraction: float, message: str) -> None:
            # called as each task of shared inputs finishes (tasks run side by side, so these
            # are finishing times, not each task's own seconds)
            marks.append((message.removeprefix("computed the ").removesuffix(" metrics"),
                          time.perf_counter()))

        t1 = time.perf_counter()
        rep = evaluate(train, hold, synth, schema, progress=progress)
        seconds = time.perf_counter() - t1
        start = marks[0][1] if marks else t1
        # the first mark is "computing …", the last "done"
        tasks = [(name, round(at - start, 1)) for name, at in marks[1:-1]]
        queue.put({
            "rows": (len(train), len(hold), len(synth)), "columns": real.shape[1],
            "prepare_s": prep, "seconds": seconds, "per_family": rep.seconds,
            "tasks": tasks,
            "threads": threads_for_rows(max(len(train), len(hold), len(synth)),
                                        EvalConfig().max_rows),
            "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "sampling": [w for w in rep.warnings if "sample" in w.lower()],
            "verdict": rep.verdict.summary,
            "errors": [f"{r.key}: {r.reason}" for r in rep.results if r.status == "error"],
        })
    except Exception as exc:  # reported, not raised
        queue.put({"error": f"{type(exc).__name__}: {exc}"[:400]})


def run(timeout: float = 900) -> dict[str, Any]:
    """Evaluate the large table in a fresh process (its peak memory is the process's)."""
    ctx = mp.get_context("spawn")
    queue = ctx.Queue()
    proc = ctx.Process(target=_child, args=(queue,))
    proc.start()
    try:
        out = queue.get(timeout=timeout)
    except Exception:
        out = {"error": f"did not finish in {timeout:.0f} s"}
    proc.join(10)
    if proc.is_alive():
        proc.kill()
    return out


def table(res: dict[str, Any]) -> str:
    """Markdown summary."""
    if "error" in res:
        return f"error: {res['error']}"
    tr, ho, sy = res["rows"]
    fam = ", ".join(f"{k} {v:.0f} s" for k, v in res["per_family"].items() if k != "total")
    lines = [
        "| what | value |", "|---|---|",
        f"| table | {tr + ho:,} real rows ({tr:,} training, {ho:,} holdout) × "
        f"{res['columns']} columns; {sy:,} synthetic rows |",
        f"| evaluation (whole report) | {res['seconds']:.0f} s (goal ≤ 120 s) |",
        f"| per family | {fam} |",
        f"| tasks of shared inputs ({res.get('threads', '?')} side by side), as they finished | "
        + ", ".join(f"{name} at {sec:.0f} s" for name, sec in res.get("tasks", [])) + " |",
        f"| peak memory of the process | {res['peak_mib']:,.0f} MiB (goal ≤ 4,096 MiB) |",
        f"| preparing the tables (not timed above) | {res['prepare_s']:.0f} s |",
        f"| verdict | {res['verdict']} |",
    ]
    for s in res["sampling"]:
        lines.append(f"| sampling, as the report says | {s} |")
    for e in res["errors"]:
        lines.append(f"| metric error | {e} |")
    return "\n".join(lines)


if __name__ == "__main__":
    print(table(run()), file=sys.stdout)
