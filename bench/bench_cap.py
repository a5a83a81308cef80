"""Benchmark: our grouped CAP vs SDMetrics' DisclosureProtection on Adult (same frames, same value).

Run ``python -m bench.bench_cap``. Real: Adult's training rows; synthetic: the cached
GaussianCopula sample of ``bench/evaluation.py``. The secret is the target ``class``, known to the
attacker are the bench's quasi-identifiers. Rows:

- ``n x n`` for a few sizes: SDMetrics ``DisclosureProtection.compute_breakdown`` (method
  ``cap``, its full, non-estimated figure) and ours on the same seeded samples, with both CAP
  risks (``1 - cap_protection``), which must be equal, and the time ratio;
- ``ours full``: every training row against every synthetic row;
- ``SDMetrics estimate``: ``DisclosureProtectionEstimate`` at its defaults (10 iterations of
  1,000-row subsamples), which SDMetrics suggests above 10,000 rows: a different figure, since a
  1,000-row synthetic subsample holds fewer of a person's quasi-identifier combinations.
"""

from __future__ import annotations

import sys
import time
import warnings
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SIZES = (1000, 4000)
SECRET = "class"
SEED = 0


def _frames() -> tuple[Any, Any, list[str]]:
    from bench.evaluation import ROLES, adult_tables

    train, _, synth, _ = adult_tables()
    known = [q for q in ROLES["quasi"] if q != SECRET]
    cols = [*known, SECRET]
    train, synth = train[cols].copy(), synth[cols].copy()
    for frame in (train, synth):  # SDMetrics' CAP takes integers or categories as keys
        frame["age"] = frame["age"].round().astype("int64")
    return train, synth, known


def _ours(train: Any, synth: Any, known: list[str]) -> tuple[float, float]:
    from core.metrics.privacy._calc.cap import attribution
    from core.metrics.privacy._calc.equivalence import class_codes, secret_codes

    start = time.perf_counter()
    tk, sk = class_codes([train, synth], known)
    ts, ss = secret_codes([train, synth], SECRET, False, 10)
    risk = attribution(tk, ts, sk, ss).risk
    return float(risk), time.perf_counter() - start


def _sdmetrics(train: Any, synth: Any, known: list[str], estimate: bool = False
               ) -> tuple[float, float]:
    from sdmetrics.single_table import DisclosureProtection, DisclosureProtectionEstimate

    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if estimate:
            out = DisclosureProtectionEstimate.compute_breakdown(
                train, synth, known_column_names=known, sensitive_column_names=[SECRET],
                verbose=False)
        else:
            out = DisclosureProtection.compute_breakdown(
                train, synth, known_column_names=known, sensitive_column_names=[SECRET])
    return 1 - float(out["cap_protection"]), time.perf_counter() - start


def run() -> list[dict[str, Any]]:
    """Every measurement as a row (rows, seconds of both, the two CAP risks, the ratio)."""
    train, synth, known = _frames()
    rows = []
    for n in SIZES:
        t = train.sample(n, random_state=SEED).reset_index(drop=True)
        s = synth.sample(n, random_state=SEED + 1).reset_index(drop=True)
        ours, ours_s = _ours(t, s, known)
        theirs, theirs_s = _sdmetrics(t, s, known)
        rows.append({"name": f"{n:,} x {n:,}", "ours_s": ours_s, "sdmetrics_s": theirs_s,
                     "ours": ours, "sdmetrics": theirs, "ratio": theirs_s / ours_s})
    ours, ours_s = _ours(train, synth, known)
    rows.append({"name": f"ours full ({len(train):,} x {len(synth):,})", "ours_s": ours_s,
                 "sdmetrics_s": None, "ours": ours, "sdmetrics": None, "ratio": None})
    est, est_s = _sdmetrics(train, synth, known, estimate=True)
    rows.append({"name": "SDMetrics estimate (10 x 1,000 rows)", "ours_s": None,
                 "sdmetrics_s": est_s, "ours": None, "sdmetrics": est, "ratio": None})
    return rows


def table(rows: list[dict[str, Any]]) -> str:
    """The rows as a Markdown table."""
    def cell(x: float | None, spec: str) -> str:
        return "" if x is None else format(x, spec)

    lines = ["| rows (training x synthetic) | ours (s) | SDMetrics (s) | CAP ours | CAP SDMetrics "
             "| SDMetrics ÷ ours |", "|---|---:|---:|---:|---:|---:|"]
    for r in rows:
        lines.append(f"| {r['name']} | {cell(r['ours_s'], '.3f')} | "
                     f"{cell(r['sdmetrics_s'], '.2f')} | {cell(r['ours'], '.6f')} | "
                     f"{cell(r['sdmetrics'], '.6f')} | {cell(r['ratio'], ',.0f')} |")
    return "\n".join(lines)


if __name__ == "__main__":
    print(f"Secret: {SECRET}; real: Adult's training rows; synthetic: a GaussianCopula sample.")
    print(table(run()))
