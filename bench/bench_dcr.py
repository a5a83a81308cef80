"""Benchmark: our exact DCR search vs SDMetrics' DCRBaselineProtection on Adult.

Run ``python -m bench.bench_dcr``. Real: all 32,561 Adult rows; synthetic: the GaussianCopula
sample of the same size that ``bench/evaluation.py`` makes and caches (32,561 rows). Each
measurement runs in its own process (so a slow one can be stopped at the timeout), and reports
wall seconds and the peak memory it added (Linux ``VmHWM`` after resetting it).

Rows:
- ``ours_nearest_full``: our nearest-neighbour search, all 32,561 x 32,561 pairs.
- ``ours_baseline_protection_full``: what DCRBaselineProtection computes (synthetic -> real and
  random -> real), with our engine, on full data.
- ``sdmetrics_baseline_protection_subsample``: SDMetrics with ``num_rows_subsample=1000``
  (the subsample SDMetrics' own DisclosureProtection uses by default), and ours on the same size.
- ``sdmetrics_baseline_protection_full``: SDMetrics on full data, which is its default
  (``num_rows_subsample=None``), stopped at the timeout.
"""

from __future__ import annotations

import multiprocessing as mp
import sys
import time
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

TIMEOUT_S = 300.0
SUBSAMPLE = 1000
SEED = 0


def load() -> tuple[pd.DataFrame, pd.DataFrame, list[str]]:
    """Adult (numbers as float, categories as str) and its GaussianCopula sample of equal size."""
    from bench.evaluation import adult_tables

    train, hold, synth, _ = adult_tables()
    real = pd.concat([train, hold], ignore_index=True)
    numerical = [c for c in real.columns if pd.api.types.is_numeric_dtype(real[c])]
    for frame in (real, synth):
        for col in real.columns:
            frame[col] = frame[col].astype(float) if col in numerical else \
                frame[col].astype(object).where(frame[col].notna(), None)
    return real, synth[list(real.columns)], numerical


def _metadata(columns: list[str], numerical: list[str]) -> dict[str, Any]:
    kinds = {c: {"sdtype": "numerical" if c in numerical else "categorical"} for c in columns}
    return {"columns": kinds}


def _kb(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def _task(name: str) -> dict[str, Any]:
    from core.metrics.privacy._calc.distance import nearest
    from core.metrics.privacy._calc.neighbours import random_rows

    real, synthetic, numerical = load()
    nearest(synthetic.head(50), real.head(50), numerical)  # JIT / cache load outside the timing
    if name.endswith("subsample"):
        real = real.sample(SUBSAMPLE, random_state=SEED).reset_index(drop=True)
        synthetic = synthetic.sample(SUBSAMPLE, random_state=SEED + 1).reset_index(drop=True)
    try:
        Path("/proc/self/clear_refs").write_text("5")  # reset the peak-memory mark
    except OSError:
        pass
    before = _kb("VmRSS")
    start = time.perf_counter()
    if name == "ours_nearest_full":
        value = float(np.median(nearest(synthetic, real, numerical).distance))
    elif name.startswith("ours_baseline_protection"):
        syn_med = np.median(nearest(synthetic, real, numerical).distance)
        rand = random_rows(real, len(synthetic), SEED)
        value = float(min(syn_med / np.median(nearest(rand, real, numerical).distance), 1.0))
    else:
        from sdmetrics.single_table import DCRBaselineProtection

        DCRBaselineProtection._seed = SEED
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            value = float(DCRBaselineProtection.compute(
                real, synthetic, _metadata(list(real.columns), numerical), None
            ))
    seconds = time.perf_counter() - start
    peak = max(_kb("VmHWM") - before, 0)
    return {"name": name, "rows": f"{len(synthetic)} x {len(real)}", "seconds": seconds,
            "peak_mb": peak / 1024, "value": value}


def _child(name: str, queue: Any) -> None:
    queue.put(_task(name))


def measure(name: str, timeout: float = TIMEOUT_S) -> dict[str, Any]:
    """Run one measurement in a fresh process; a run past ``timeout`` reports ``> timeout``."""
    ctx = mp.get_context("spawn")
    queue = ctx.Queue()
    proc = ctx.Process(target=_child, args=(name, queue))
    proc.start()
    try:
        return queue.get(timeout=timeout + 60)  # + loading and JIT before the timed part
    except Exception:
        proc.terminate()
        return {"name": name, "rows": "32561 x 32561", "seconds": None,
                "timed_out": f"> {timeout:.0f} s", "peak_mb": None, "value": None}
    finally:
        proc.join(5)
        if proc.is_alive():
            proc.kill()


def run(timeout: float = TIMEOUT_S) -> list[dict[str, Any]]:
    """All measurements, as rows the main bench can print or store."""
    names = [
        "ours_nearest_full",
        "ours_baseline_protection_full",
        "ours_baseline_protection_subsample",
        "sdmetrics_baseline_protection_subsample",
        "sdmetrics_baseline_protection_full",
    ]
    rows = [measure(n, timeout) for n in names]
    by = {r["name"]: r for r in rows}
    for kind in ("subsample", "full"):
        ours = by[f"ours_baseline_protection_{kind}"]["seconds"]
        theirs = by[f"sdmetrics_baseline_protection_{kind}"]
        if ours and theirs["seconds"]:
            theirs["ratio_vs_ours"] = theirs["seconds"] / ours
        elif ours:
            theirs["ratio_vs_ours"] = f"> {timeout / ours:.0f}"
    return rows


def main() -> None:
    """Print the measurements."""
    print("Real: Adult, 32,561 rows; synthetic: a GaussianCopula sample of 32,561 rows.")
    for r in run():
        secs = r.get("timed_out") or f"{r['seconds']:.2f} s"
        peak = "" if r["peak_mb"] is None else f"  peak +{r['peak_mb']:.0f} MB"
        ratio = r.get("ratio_vs_ours")
        ratio_s = "" if ratio is None else (
            f"  ({ratio:.0f}x ours)" if isinstance(ratio, float) else f"  ({ratio}x ours)")
        value = "" if r["value"] is None else f"  value={r['value']:.4f}"
        print(f"{r['name']:42s} {r['rows']:>14s}  {secs:>9s}{peak}{value}{ratio_s}")


if __name__ == "__main__":
    main()
