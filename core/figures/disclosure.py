"""Quasi-identifier measures as a table: k-anonymity, l-diversity and CAP disclosure per secret.

Reads only the ``privacy.k_anonymity``, ``privacy.l_diversity`` and ``privacy.cap_disclosure``
rows of a Report: counts and shares, never a real value. The Privacy page shows
:func:`disclosure_table` and :func:`anonymity_text`.
"""

from __future__ import annotations

import pandas as pd

from core.figures.common import column_rows, fmt, is_ok, pct, why_not
from core.report import Report

K_KEY, L_KEY, CAP_KEY = "privacy.k_anonymity", "privacy.l_diversity", "privacy.cap_disclosure"
COLUMNS = ["secret", "l synthetic", "l training", "CAP training rows", "CAP holdout rows",
           "excess risk", "95% interval", "SDMetrics DisclosureProtection", "why not computed"]
MSG_K = (
    "k-anonymity over {qis}: the smallest group of synthetic rows sharing these values has "
    "{k} row(s) (training rows: {k_real}); {below5} of synthetic rows are in groups smaller "
    "than 5 (training rows: {below5_real}). Values are grouped exactly; a synthetic row is not "
    "a person, so the attacks say whether a small group points at a real one."
)


def anonymity_text(report: Report) -> str | None:
    """One sentence on k-anonymity, or why it was not computed; None when the report lacks it."""
    r = report.top(K_KEY)
    if r is None:
        return None
    if not is_ok(r):
        return f"k-anonymity not computed: {why_not(r)}."
    syn, real = r.details.get("synthetic", {}), r.details.get("real", {})
    return MSG_K.format(
        qis=", ".join(r.details.get("quasi_identifiers", [])), k=int(r.value),
        k_real=fmt(r.baseline), below5=pct(syn.get("share_below", {}).get("5")),
        below5_real=pct(real.get("share_below", {}).get("5")),
    )


def disclosure_table(report: Report) -> pd.DataFrame:
    """One row per secret (protected attributes and the target): l and CAP side by side.

    Returns:
        Columns ``secret``, ``l synthetic`` / ``l training`` (distinct l-diversity), ``CAP
        training rows`` / ``CAP holdout rows`` (mean probability of guessing the secret right
        from the synthetic rows), ``excess risk`` (the metric's value), ``95% interval`` and
        ``SDMetrics DisclosureProtection``; cells of a measure not computed are None and
        ``why not computed`` gives the reason. Empty when neither metric has per-secret rows.
    """
    lrows, crows = column_rows(report, L_KEY), column_rows(report, CAP_KEY)
    out = []
    for secret in dict.fromkeys([*lrows, *crows]):
        lr, cr = lrows.get(secret), crows.get(secret)
        row: dict[str, object] = {**dict.fromkeys(COLUMNS), "secret": secret}
        row["l synthetic"] = lr.value if is_ok(lr) else None
        row["l training"] = lr.baseline if is_ok(lr) else None
        if is_ok(cr):
            row["CAP training rows"] = cr.details.get("train", {}).get("cap_risk")
            row["CAP holdout rows"] = cr.details.get("control", {}).get("cap_risk")
            row["excess risk"] = cr.value
            row["95% interval"] = f"[{cr.ci_low:.3f}, {cr.ci_high:.3f}]"
            row["SDMetrics DisclosureProtection"] = cr.details.get("disclosure_protection")
        reasons = [f"{name}: {why_not(r)}" for name, r in (("l", lr), ("CAP", cr))
                   if not is_ok(r)]
        row["why not computed"] = "; ".join(reasons) or None
        out.append(row)
    return pd.DataFrame(out, columns=COLUMNS)
