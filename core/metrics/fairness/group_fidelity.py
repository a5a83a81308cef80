"""Group fidelity: is every protected group synthesised as faithfully as the others?"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import numpy as np
import pandas as pd

from core.metrics.context import TABLE_WORDS, EvalContext
from core.metrics.fairness._calc.group_sets import GroupSet, as_float, collect, floats, set_row
from core.metrics.fairness._calc.grouped_stats import grouped_ks_complement, grouped_tv_complement
from core.metrics.metric import Metric
from core.metrics.value import OK, MetricValue

MSG_NO_SYNTH_GROUP = (
    "The synthetic data has no row in group '{group}', so its columns cannot be compared "
    "(see fairness.representation)."
)
MSG_NO_VALUES = (
    "No column has values in both the real and the synthetic rows of group '{group}'."
)
MSG_NO_COLUMNS = "There is no column besides '{attrs}' to compare within its groups."
MSG_NO_GROUP_SCORES = "No group of '{attrs}' could be compared with its synthetic rows."
TABLES = ("real", "synthetic", "holdout")


def _rows(ctx: EvalContext) -> dict[str, pd.Index]:
    """Rows compared per table: all of them, or ``config.max_rows`` sampled with the seed."""
    frames = {"real": ctx.real, "synthetic": ctx.synthetic, "holdout": ctx.holdout}
    return {
        t: ctx.sample(df, ctx.config.max_rows, 31 + i, table=TABLE_WORDS[t]).index
        for i, (t, df) in enumerate(frames.items())
    }


def _shapes(
    ctx: EvalContext, codes: dict[str, np.ndarray], rows: dict[str, pd.Index], other: str,
    columns: list[str], n_groups: int,
) -> np.ndarray:
    """Groups x columns matrix of KS/TV complements, real rows vs ``other`` table's rows."""
    frames = {"real": ctx.real, "synthetic": ctx.synthetic, "holdout": ctx.holdout}
    out = np.full((n_groups, len(columns)), np.nan)
    for j, col in enumerate(columns):
        stat = grouped_ks_complement if col in ctx.numerical else grouped_tv_complement
        real = frames["real"][col].loc[rows["real"]]
        synth = frames[other][col].loc[rows[other]]
        out[:, j] = stat(real, codes["real"], synth, codes[other], n_groups)
    return out


def _row_means(m: np.ndarray) -> np.ndarray:
    counts = np.isfinite(m).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(counts > 0, np.nansum(m, axis=1) / counts, np.nan)


class GroupFidelity(Metric):
    """Column shapes (mean KS/TV complement over columns) within each protected group.

    For each group, the real rows of the group are compared with the synthetic rows of the same
    group, column by column (the statistics of ``fidelity/stats.py``), leaving out the
    attributes that define the group. Per attribute set and table level: the worst group's
    score; details give the best − worst gap, so a minority group synthesised worse than the
    majority stands out. Baselines compare the group's real rows with its holdout rows (small
    groups have a lower floor from sampling noise alone). Tables above ``config.max_rows`` are
    sampled. 1.0 means every group's columns match.
    """

    key = "fairness.group_fidelity"
    name = "Fidelity within groups"
    description = (
        "Column shapes (mean KS/TV complement) computed within each protected group; the worst "
        "group's score. 1.0 means every group is synthesised faithfully."
    )
    needs_protected = True
    baseline_is_noise_floor = True  # baseline: the holdout's value of the same quantity
    gate_by_set = True  # judged per attribute set, each against its own floor

    def _set_rows(self, ctx: EvalContext, gs: GroupSet) -> list[MetricValue]:
        columns = [c for c in ctx.columns if c not in gs.attributes]
        if not columns:
            return [self.not_computed(MSG_NO_COLUMNS.format(attrs=gs.name), gs.attributes)]
        rows = ctx.cached("fairness:group_fidelity:rows", lambda: _rows(ctx))
        index = {g: i for i, g in enumerate(gs.scored)}
        codes = {
            t: gs.labels[t].loc[rows[t]].map(index).fillna(-1).to_numpy(dtype="int64")
            for t in TABLES
        }
        n_groups = len(gs.scored)
        counts = {t: np.bincount(codes[t][codes[t] >= 0], minlength=n_groups) for t in TABLES}
        synth = _shapes(ctx, codes, rows, "synthetic", columns, n_groups)
        scores = _row_means(synth)
        has_holdout = len(rows["holdout"]) > 0
        hold = _shapes(ctx, codes, rows, "holdout", columns, n_groups) if has_holdout else None
        floor = _row_means(hold) if hold is not None else np.full(n_groups, np.nan)
        group_rows = []
        for i, g in enumerate(gs.scored):  # one iteration per group, not per data row
            if counts["synthetic"][i] == 0:
                reason = MSG_NO_SYNTH_GROUP.format(group=g)
                group_rows.append(self.not_computed(reason, gs.attributes, group=g))
                continue
            if not np.isfinite(scores[i]):
                reason = MSG_NO_VALUES.format(group=g)
                group_rows.append(self.not_computed(reason, gs.attributes, group=g))
                continue
            details = {
                "scores": floats(synth[i]),
                "holdout_scores": floats(hold[i]) if hold is not None else None,
                "n_real": int(counts["real"][i]),
                "n_synthetic": int(counts["synthetic"][i]),
                "n_holdout": int(counts["holdout"][i]),
            }
            group_rows.append(
                self.value(
                    scores[i],
                    gs.attributes,
                    group=g,
                    baseline=as_float(floor[i]),
                    n=int(counts["real"][i] + counts["synthetic"][i]),
                    details=details,
                )
            )
        empty = MSG_NO_GROUP_SCORES.format(attrs=gs.name)
        details = self._set_details(columns, group_rows)
        return [set_row(self, gs, group_rows, False, details, empty), *group_rows]

    @staticmethod
    def _set_details(columns: list[str], group_rows: list[MetricValue]) -> dict[str, Any]:
        done = [r for r in group_rows if r.status == OK and r.value is not None]
        details: dict[str, Any] = {
            "columns": columns,
            "groups": [r.group for r in done],
            "scores": floats(r.value for r in done),
            "holdout_scores": floats(r.baseline for r in done),
        }
        if done:
            best = max(done, key=lambda r: float(r.value or 0.0))
            worst = min(done, key=lambda r: float(r.value or 0.0))
            details |= {
                "best_group": best.group,
                "worst_group": worst.group,
                "gap": as_float(float(best.value or 0.0) - float(worst.value or 0.0)),
            }
        return details

    def compute(self, ctx: EvalContext) -> list[MetricValue]:
        """Worst group's mean column-shape score (1.0 = every group matches)."""
        rows = collect(self, ctx, lambda gs: self._set_rows(ctx, gs), largest=False)
        table = rows[0]
        if table.status == OK:
            worst = next(
                r for r in rows[1:]
                if r.group is None and list(r.columns) == table.details["attributes"]
            )
            extra = {k: worst.details.get(k) for k in ("best_group", "worst_group", "gap")}
            rows[0] = replace(table, details={**table.details, **extra})
        return rows
