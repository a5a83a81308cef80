"""Evaluation speed on Adult, side by side with the reference libraries on the same data.

Adult's 32,561 rows are split 80/20 into training and holdout (as the app does); GaussianCopula is
fitted on the training rows and samples 32,561 synthetic rows. Each measurement runs in a fresh
process (peak memory is that process's ``ru_maxrss``) with a time limit; a reference that does
not finish is reported as "> limit".

Measured: our report per family and whole; SDMetrics QualityReport; Anonymeter's three evaluators
at the same sample sizes and attack counts our report uses. DCR (ours vs SDMetrics
DCRBaselineProtection) comes from ``bench/bench_dcr.py``.
"""

from __future__ import annotations

import json
import multiprocessing as mp
import resource
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
CACHE = ROOT / "bench" / "results" / "cache"
ADULT = ROOT / "sample_data" / "adult.csv"
TIMEOUT_S = 600
ROLES = {"target": "class", "protected": ["sex", "race", "age"],
         "quasi": ["age", "sex", "race", "education", "marital-status", "native-country"]}


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


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


def _ours(family: str | None) -> dict[str, Any]:
    from core.metrics.value import FAMILIES
    from core.report import evaluate

    train, hold, synth, schema = adult_tables()
    families = FAMILIES if family is None else (family,)
    t0 = time.perf_counter()
    rep = evaluate(train, hold, synth, schema, families=families)
    seconds = time.perf_counter() - t0
    out = {"seconds": seconds, "peak_mib": _peak_mib()}
    if family is None:
        out["per_family"] = {k: v for k, v in rep.seconds.items() if k != "total"}
        out["families"] = rep.families
        out["verdict"] = rep.verdict.summary
    return out


def _sdmetrics_quality() -> dict[str, Any]:
    from sdmetrics.reports.single_table import QualityReport

    train, hold, synth, schema = adult_tables()
    real = __import__("pandas").concat([train, hold], ignore_index=True)
    meta = schema.to_sdv_metadata().to_dict()["tables"]["t"]
    t0 = time.perf_counter()
    report = QualityReport()
    report.generate(real, synth, meta, verbose=False)
    return {"seconds": time.perf_counter() - t0, "peak_mib": _peak_mib(),
            "score": report.get_score()}


def _anonymeter() -> dict[str, Any]:
    """Anonymeter's three evaluators on the very inputs our privacy family gives them."""
    from anonymeter.evaluators import (
        InferenceEvaluator,
        LinkabilityEvaluator,
        SinglingOutEvaluator,
    )

    from core.metrics.config import EvalConfig
    from core.metrics.context import EvalContext
    from core.metrics.privacy._calc.anonymeter import anonymeter_frames, max_attempts

    cfg = EvalConfig()
    train, hold, synth, schema = adult_tables()
    ori, syn, ctl = anonymeter_frames(EvalContext(train, hold, synth, schema, cfg))
    attacks = cfg.anonymeter_attacks
    t0 = time.perf_counter()
    for mode in ("univariate", "multivariate"):
        SinglingOutEvaluator(ori, syn, n_attacks=attacks, control=ctl, seed=cfg.seed,
                             max_attempts=max_attempts(attacks)).evaluate(mode=mode)
    q = ROLES["quasi"]
    LinkabilityEvaluator(ori, syn, aux_cols=(q[: len(q) // 2], q[len(q) // 2:]),
                         n_attacks=attacks, control=ctl).evaluate(n_jobs=-1)
    for secret in [*ROLES["protected"], ROLES["target"]]:
        aux = [c for c in ori.columns if c != secret]
        InferenceEvaluator(ori, syn, aux_cols=aux, secret=secret, n_attacks=attacks,
                           control=ctl, regression=secret == "age").evaluate(n_jobs=-1)
    return {"seconds": time.perf_counter() - t0, "peak_mib": _peak_mib(),
            "note": f"{len(ori):,} rows per table, {attacks} attacks each, 4 inference secrets"}


def _child(name: str, queue: mp.Queue) -> None:
    try:
        if name.startswith("ours:"):
            fam = name.split(":", 1)[1]
            queue.put(_ours(None if fam == "all" else fam))
        elif name == "sdmetrics_quality":
            queue.put(_sdmetrics_quality())
        elif name == "anonymeter":
            queue.put(_anonymeter())
    except Exception as exc:  # reported in the table, not raised
        queue.put({"error": f"{type(exc).__name__}: {exc}"[:300]})


def measure(name: str, timeout: float = TIMEOUT_S) -> dict[str, Any]:
    """One measurement in a fresh process, stopped at ``timeout`` seconds."""
    ctx = mp.get_context("spawn")
    queue = ctx.Queue()
    proc = ctx.Process(target=_child, args=(name, queue))
    proc.start()
    try:
        result = queue.get(timeout=timeout + 120)
    except Exception:
        result = {"timed_out": f"> {timeout:.0f} s"}
    proc.join(10)
    if proc.is_alive():
        proc.kill()
    result["name"] = name
    return result


def run() -> dict[str, Any]:
    """Every measurement; the synthetic table is made (and cached) first."""
    adult_tables()
    out = {}
    for name in ("ours:all", "ours:fidelity", "ours:utility", "ours:privacy", "ours:fairness",
                 "sdmetrics_quality", "anonymeter"):
        print(f"  timing {name}…", flush=True, file=__import__("sys").stderr)
        out[name] = measure(name)
    return out


def table(res: dict[str, Any]) -> str:
    """Markdown table with ratios to the references."""
    def cell(r: dict[str, Any]) -> tuple[str, str]:
        if "error" in r:
            return "error: " + r["error"], ""
        if "timed_out" in r:
            return r["timed_out"], ""
        return f"{r['seconds']:.1f}", f"{r['peak_mib']:,.0f}"

    lines = ["| what | seconds | peak memory (MiB) | note |", "|---|---:|---:|---|"]
    for name, label in (("ours:all", "synthreview: whole report (4 families)"),
                        ("ours:fidelity", "synthreview: fidelity"),
                        ("ours:utility", "synthreview: utility"),
                        ("ours:privacy", "synthreview: privacy"),
                        ("ours:fairness", "synthreview: fairness")):
        s, m = cell(res[name])
        note = ""
        if name == "ours:all" and "per_family" in res[name]:
            note = "in-report: " + ", ".join(f"{k} {v:.1f} s" for k, v in
                                             res[name]["per_family"].items())
        lines.append(f"| {label} | {s} | {m} | {note} |")
    ours_fid = res["ours:fidelity"].get("seconds")
    ours_priv = res["ours:privacy"].get("seconds")
    for name, label, ours, ours_label in (
        ("sdmetrics_quality", "SDMetrics QualityReport", ours_fid, "our fidelity family"),
        ("anonymeter", "Anonymeter: 3 evaluators", ours_priv, "our privacy family"),
    ):
        r = res[name]
        s, m = cell(r)
        note = r.get("note", "")
        if ours and "seconds" in r:
            note = (note + "; " if note else "") + (
                f"{r['seconds'] / ours:.1f}× the time of {ours_label} "
                f"(which computes more)")
        if "score" in r:
            note += f"; score {r['score']:.3f}"
        lines.append(f"| {label} | {s} | {m} | {note} |")
    return "\n".join(lines)


if __name__ == "__main__":
    print(table(run()))
    print(json.dumps({k: v for k, v in run().items()}, default=str)[:0])
