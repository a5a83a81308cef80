"""Foundation timings on Adult: load, schema detection, fit + sample of each generator.

Each measurement runs in its own process so that peak memory (``ru_maxrss``) belongs to it alone.
Usage: ``python -m bench.foundation`` (``make bench`` runs it with the evaluation bench).
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ADULT = ROOT / "sample_data" / "adult.csv"


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure_load() -> dict:
    from core.io import load_path
    from core.schema import detect_schema

    t0 = time.perf_counter()
    df, _ = load_path(ADULT)
    t_load = time.perf_counter() - t0
    t1 = time.perf_counter()
    detect_schema(df)
    t_schema = time.perf_counter() - t1
    return [
        {"step": "load adult.csv", "rows": len(df), "seconds": t_load,
         "rows_per_s": len(df) / t_load, "peak_mib": _peak_mib()},
        {"step": "detect schema", "rows": len(df), "seconds": t_schema,
         "rows_per_s": len(df) / t_schema, "peak_mib": _peak_mib()},
    ]


def measure_generator(key: str) -> list[dict]:
    import numpy as np

    from core.datasets import split_holdout
    from core.generators.registry import get_generator
    from core.io import load_path
    from core.schema import detect_schema

    df, _ = load_path(ADULT)
    schema = detect_schema(df).with_roles("class", ["sex", "race", "age"], [])
    mask, _ = split_holdout(df, 0.2, 0, "class")
    train = df[~mask].reset_index(drop=True)
    gen = get_generator(key)
    base = _peak_mib()
    res = gen.fit_sample(train, schema, len(train), seed=0)
    assert len(res.synthetic) == len(train) and not np.all(res.synthetic.isna())
    params = ", ".join(f"{k}={v}" for k, v in res.params.items())
    return [{
        "step": f"{key} fit ({params})", "rows": len(train), "seconds": res.fit_seconds,
        "rows_per_s": len(train) / res.fit_seconds, "peak_mib": _peak_mib(),
        "baseline_mib": base,
    }, {
        "step": f"{key} sample", "rows": len(res.synthetic), "seconds": res.sample_seconds,
        "rows_per_s": len(res.synthetic) / max(res.sample_seconds, 1e-9), "peak_mib": _peak_mib(),
    }]


def _child(what: str) -> list[dict]:
    out = subprocess.run(
        [sys.executable, "-m", "bench.foundation", "--one", what], cwd=ROOT,
        capture_output=True, text=True, check=False,
    )
    if out.returncode != 0:
        return [{"step": what, "error": out.stderr.strip().splitlines()[-1][:200]}]
    return json.loads(out.stdout.strip().splitlines()[-1])


def run() -> list[dict]:
    """All foundation measurements, each in a fresh process."""
    from core.generators.registry import fitting_generators

    rows = _child("load")
    for g in fitting_generators():
        print(f"  timing {g.key}…", file=sys.stderr, flush=True)
        rows += _child(g.key)
    return rows


def table(rows: list[dict]) -> str:
    """Markdown table of the measurements."""
    lines = ["| step | rows | seconds | rows/s | peak memory (MiB) |", "|---|---:|---:|---:|---:|"]
    for r in rows:
        if "error" in r:
            lines.append(f"| {r['step']} | error: {r['error']} | | | |")
            continue
        lines.append(f"| {r['step']} | {r['rows']:,} | {r['seconds']:.2f} | "
                     f"{r['rows_per_s']:,.0f} | {r['peak_mib']:,.0f} |")
    return "\n".join(lines)


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--one":
        what = sys.argv[2]
        print(json.dumps(measure_load() if what == "load" else measure_generator(what)))
    else:
        print(table(run()))
