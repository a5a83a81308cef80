"""Rare-value replay as tables: which columns repeat values only a few real people have.

Reads only the ``privacy.rare_value_replay`` rows of a Report. Examples are the masked shapes the
metric stored (``"Xxxxxx"``, ``"########XX##X"``); no real value ever reaches these tables. The
Privacy page shows :func:`replay_table`; the Review page puts :func:`replay_of_column` beside a
column's fidelity.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from core.figures.common import check_of, column_rows, is_ok, pct
from core.report import Report

KEY = "privacy.rare_value_replay"
COLUMNS = ["column", "kind", "share of synthetic rows", "noise floor", "synthetic rows",
           "rare values replayed", "rare training values", "examples (masked)"]


def _examples(details: dict[str, Any]) -> str:
    """``"Xxxxxx (3 rows), ####XX (1 row)"`` from the stored masked examples."""
    parts = []
    for e in details.get("examples", []):
        n = int(e.get("synthetic_rows", 0))
        parts.append(f"{e['shape']} ({n} row{'' if n == 1 else 's'})")
    return ", ".join(parts)


def replay_table(report: Report) -> pd.DataFrame:
    """Every checked column, the worst first, with its replay counts and masked examples.

    Returns:
        Columns ``column``, ``kind`` (categorical / identifier in the imported file), ``share of
        synthetic rows`` (the metric's value for the column), ``noise floor`` (holdout rows'
        share; None without a holdout), ``synthetic rows``, ``rare values replayed``, ``rare
        training values`` and ``examples (masked)``. Empty when the metric was not computed.
    """
    rows = []
    for col, r in column_rows(report, KEY).items():
        if not is_ok(r):
            continue
        d = r.details
        rows.append({
            "column": col,
            "kind": "identifier (imported file)" if d.get("identifier") else "categorical",
            "share of synthetic rows": r.value,
            "noise floor": r.baseline,
            "synthetic rows": d.get("synthetic_rows"),
            "rare values replayed": d.get("rare_values_replayed"),
            "rare training values": d.get("rare_training_values"),
            "examples (masked)": _examples(d),
        })
    df = pd.DataFrame(rows, columns=COLUMNS)
    return df.sort_values("share of synthetic rows", ascending=False, kind="stable",
                          ignore_index=True)


def replay_of_column(report: Report, column: str) -> dict[str, Any] | None:
    """One column's replay for the Review page, or None when the column was not checked.

    Returns:
        ``{"column", "share", "noise_floor", "synthetic_rows", "rare_values_replayed",
        "examples" (masked text), "limit" (the policy's max, or None), "over_limit" (bool),
        "text" (one plain sentence)}``.
    """
    r = column_rows(report, KEY).get(column)
    if not is_ok(r):
        return None
    d = r.details
    check = check_of(report, KEY)
    limit = check.max if check is not None else None
    n_rows, n_values = int(d.get("synthetic_rows", 0)), int(d.get("rare_values_replayed", 0))
    text = (f"{pct(r.value)} of synthetic rows ({n_rows:,}) repeat one of {n_values:,} values that "
            f"at most {d.get('k', 1)} training row(s) and no holdout row have")
    text += f"; noise floor {pct(r.baseline)}." if r.baseline is not None else "."
    return {
        "column": column, "share": r.value, "noise_floor": r.baseline,
        "synthetic_rows": n_rows, "rare_values_replayed": n_values,
        "examples": _examples(d), "limit": limit,
        "over_limit": limit is not None and float(r.value) > limit, "text": text,
    }
