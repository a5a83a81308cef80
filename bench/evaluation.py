"""The whole report against the reference libraries on the same inputs: the ratio of issue #15.

Ours: ``python -m core evaluate RUN --force`` timed as a whole process (imports, the Dask
cluster's start, the rows sent to the worker, every metric, the report stored, the cluster
stopped), on the store ``bench/profile_eval.py`` makes once (Adult: 26,048 training and 6,513
holdout rows, a 26,048-row GaussianCopula run). The references, in a fresh process on the same
rows: SDMetrics' QualityReport and DiagnosticReport, and Anonymeter's three evaluators with the
frames, attack counts and secrets our report gives them; only their compute is counted, not
their imports. The two run back to back, a few times; each pair gives a ratio (the machine is
shared, so a pair's two halves see about the same load, printed beside it), the median is
quoted. The profile of where our time goes follows (``bench/profile_eval.py``).

``adult_tables()`` (the 32,561-row sample, cached) is what ``bench/bench_dcr.py`` compares on.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
CACHE = ROOT / "bench" / "results" / "cache"
ADULT = ROOT / "sample_data" / "adult.csv"
ROLES = {"target": "class", "protected": ["sex", "race", "age"],
         "quasi": ["age", "sex", "race", "education", "marital-status", "native-country"]}


def adult_tables() -> tuple[Any, Any, Any, Any]:
    """(training, holdout, synthetic, schema) for the bench, the synthetic table cached on disk."""
    import pandas as pd

    from core.datasets import split_holdout
    from core.generators.registry import get_generator
    from core.io import load_path
    from core.schema import detect_schema

    df, _ = load_path(ADULT)
    schema = detect_schema(df).with_roles(ROLES["target"], ROLES["protected"], ROLES["quasi"])
    mask, _ = split_holdout(df, 0.2, 0, "class")
    train, hold = df[~mask].reset_index(drop=True), df[mask].reset_index(drop=True)
    CACHE.mkdir(parents=True, exist_ok=True)
    cached = CACHE / "adult_gaussian_copula_32561.parquet"
    if cached.exists():
        synth = pd.read_parquet(cached)
    else:
        synth = get_generator("gaussian_copula").fit_sample(train, schema, len(df), 0).synthetic
        synth.to_parquet(cached, index=False)
    return train, hold, synth, schema


def _references() -> dict[str, Any]:
    """The reference libraries on the inputs of the CLI's evaluation, each timed alone.

    SDMetrics' QualityReport and DiagnosticReport compare the training rows with the synthetic
    rows (as our fidelity family does); Anonymeter's three evaluators get exactly the frames,
    attack counts and secrets our privacy family gives them, with Numba's on-disk cache of
    Anonymeter's kernels on (as ours runs), so no compile time is counted for them.
    """
    import warnings

    warnings.simplefilter("ignore")
    from anonymeter.evaluators import (
        InferenceEvaluator,
        LinkabilityEvaluator,
        SinglingOutEvaluator,
    )
    from sdmetrics.reports.single_table import DiagnosticReport, QualityReport

    from bench.profile_eval import bench_store, load
    from core.evaluation import prepare_evaluation
    from core.metrics.context import EvalContext
    from core.metrics.privacy._calc.anonymeter import (
        _cache_anonymeter_jit,
        anonymeter_frames,
        max_attempts,
    )
    from core.store import open_store

    path, run = bench_store()
    i = prepare_evaluation(open_store(str(path)), run, force=True).inputs
    cols = list(i.schema.synth_columns)
    meta = i.schema.to_sdv_metadata().to_dict()["tables"]["t"]
    real, synth = i.train[cols], i.synthetic[cols]
    cfg = i.config
    ctx = EvalContext(i.train, i.holdout, i.synthetic, i.schema, cfg)
    ori, syn, ctl = anonymeter_frames(ctx)
    _cache_anonymeter_jit()
    attacks = cfg.anonymeter_attacks
    quasi = [c for c in i.schema.quasi_identifiers if c in cols]
    half = (len(quasi) + 1) // 2
    secrets = [p for p in i.schema.protected if p in cols] + [i.schema.target]
    out: dict[str, Any] = {"load": [load()]}

    def timed(name: str, fn: Any) -> None:
        t0 = time.perf_counter()
        fn()
        out[name] = round(time.perf_counter() - t0, 3)

    timed("quality", lambda: QualityReport().generate(real, synth, meta, verbose=False))
    timed("diagnostic", lambda: DiagnosticReport().generate(real, synth, meta, verbose=False))
    for mode in ("univariate", "multivariate"):
        timed(f"singling_out_{mode}", lambda mode=mode: SinglingOutEvaluator(
            ori, syn, n_attacks=attacks, control=ctl, seed=cfg.seed,
            max_attempts=max_attempts(attacks)).evaluate(mode=mode))
    timed("linkability", lambda: LinkabilityEvaluator(
        ori, syn, aux_cols=(quasi[:half], quasi[half:]), n_attacks=attacks,
        control=ctl).evaluate(n_jobs=-1))
    timed("inference", lambda: [InferenceEvaluator(
        ori, syn, aux_cols=[c for c in cols if c != s], secret=s, n_attacks=attacks,
        control=ctl, regression=s in ctx.numerical).evaluate(n_jobs=-1) for s in secrets])
    out["total"] = round(sum(v for k, v in out.items() if k not in ("load",)), 3)
    out["load"].append(load())
    out["note"] = (f"{len(ori):,} rows per Anonymeter table, {attacks} attacks each, "
                   f"{len(secrets)} inference secrets")
    return out


def cli_seconds() -> dict[str, Any]:
    """``python -m core evaluate RUN --force`` as a whole process: its wall seconds."""
    import subprocess
    import sys

    from bench.profile_eval import bench_store, load

    path, run = bench_store()
    before = load()
    t0 = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "core", "--db", str(path), "evaluate", run,
                           "--force"], cwd=ROOT, capture_output=True, text=True)
    seconds = time.perf_counter() - t0
    if done.returncode != 0:
        return {"error": (done.stderr.strip().splitlines() or ["failed"])[-1][:300]}
    return {"seconds": round(seconds, 2), "load": [before, load()]}


def references() -> dict[str, Any]:
    """The references in a fresh process (nothing imported or compiled before)."""
    from bench.profile_eval import _fresh

    return _fresh("references_for_bench")


def run(repeats: int = 3) -> dict[str, Any]:
    """Ours (the CLI) and the references back to back, ``repeats`` times, then the profile."""
    import sys

    from bench import profile_eval

    profile_eval.bench_store()
    pairs = []
    for i in range(repeats):
        print(f"  pair {i + 1}/{repeats}: ours (CLI), then the references…", flush=True,
              file=sys.stderr)
        pairs.append({"ours": cli_seconds(), "refs": references()})
    print("  profile: CLI steps, then every metric…", flush=True, file=sys.stderr)
    return {"pairs": pairs, "phases": profile_eval.phases(),
            "per_metric": profile_eval.per_metric()}


def _median(values: list[float]) -> float:
    v = sorted(values)
    n = len(v)
    return v[n // 2] if n % 2 else (v[n // 2 - 1] + v[n // 2]) / 2


def table(res: dict[str, Any]) -> str:
    """Markdown: each pair with its ratio and the load, the median ratio, then the profile."""
    from bench import profile_eval

    lines = ["| pair | ours: `python -m core evaluate RUN` (whole process, s) | SDMetrics Quality "
             "+ Diagnostic (s) | Anonymeter's 3 evaluators (s) | references together (s) | "
             "ours ÷ references | load (1 min) |", "|---|---:|---:|---:|---:|---:|---|"]
    ratios = []
    for n, p in enumerate(res["pairs"], 1):
        ours, refs = p["ours"], p["refs"]
        if "error" in ours or "error" in refs:
            lines.append(f"| {n} | {ours.get('error', '')} | {refs.get('error', '')} | | | | |")
            continue
        sdm = refs["quality"] + refs["diagnostic"]
        anon = refs["total"] - sdm
        ratio = ours["seconds"] / refs["total"]
        ratios.append(ratio)
        loads = "/".join(f"{x:g}" for x in ours["load"] + refs["load"])
        lines.append(f"| {n} | {ours['seconds']:.1f} | {refs['quality']:.1f} + "
                     f"{refs['diagnostic']:.1f} | {anon:.1f} | {refs['total']:.1f} | "
                     f"{ratio:.2f} | {loads} |")
    if ratios:
        lines.append(f"\n**ratio (median of {len(ratios)} pairs): {_median(ratios):.2f}** "
                     "(goal ≤ 0.6)")
    last = next((p["refs"] for p in reversed(res["pairs"]) if "total" in p["refs"]), None)
    if last:
        parts = ", ".join(f"{k.replace('_', ' ')} {v:.2f} s" for k, v in last.items()
                          if k not in ("load", "total", "note"))
        lines.append(f"\nreferences, last pair: {parts} ({last['note']})")
    lines += ["", profile_eval.table(res["phases"], res["per_metric"])]
    return "\n".join(lines)


if __name__ == "__main__":
    print(table(run()))
