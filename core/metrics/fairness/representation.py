"""Representation: does every protected group keep its share of rows in the synthetic table?"""

from __future__ import annotations

import pandas as pd

from core.metrics.context import EvalContext
from core.metrics.fairness._calc.group_sets import GroupSet, as_float, collect, floats
from core.metrics.metric import Metric
from core.metrics.value import MetricValue


def _shares(labels: pd.Series) -> pd.Series:
    return labels.value_counts(normalize=True) if len(labels) else pd.Series(dtype="float64")


def _tv_complement(a: pd.Series, b: pd.Series) -> float:
    both = pd.concat([a.rename("a"), b.rename("b")], axis=1).fillna(0.0)
    return float(1 - 0.5 * (both["a"] - both["b"]).abs().sum())


def _ratio(synthetic: float, real: float) -> float:
    """min(s/r, r/s): 1.0 = same share, 0.5 = half or double, 0.0 = the group vanished."""
    if synthetic <= 0 or real <= 0:
        return 0.0
    return min(synthetic / real, real / synthetic)


class Representation(Metric):
    """Share of each protected group in the real vs the synthetic rows.

    Per attribute set (one attribute, or a pair): 1 − the total variation distance between the
    group shares. Per group: the share ratio min(s/r, r/s), which exposes a minority group that
    shrank (a 2% group synthesised at 0.4% scores 0.2, where 1 − |difference| would hide it as
    0.98). Table level: the worst attribute set. Baselines use the holdout in place of the
    synthetic rows (the sampling noise floor). 1.0 means every group keeps its share.
    """

    key = "fairness.representation"
    name = "Group representation"
    description = (
        "How well the synthetic rows keep each protected group's share of the real rows "
        "(1 − total variation distance; per group the share ratio); 1.0 means identical shares."
    )
    needs_protected = True
    baseline_is_noise_floor = True  # baseline: the holdout's value of the same quantity

    def _set_rows(self, ctx: EvalContext, gs: GroupSet) -> list[MetricValue]:
        real = _shares(gs.labels["real"])
        synth = _shares(gs.labels["synthetic"])
        has_holdout = len(ctx.holdout) > 0
        hold = _shares(gs.labels["holdout"]) if has_holdout else None
        rows = []
        for g in gs.scored:
            r, s = float(real[g]), float(synth.get(g, 0.0))
            h = float(hold.get(g, 0.0)) if hold is not None else None
            rows.append(
                self.value(
                    _ratio(s, r),
                    gs.attributes,
                    group=g,
                    baseline=_ratio(h, r) if h is not None else None,
                    details={"real_share": r, "synthetic_share": s, "holdout_share": h},
                )
            )
        shown = {k: _shares(gs.shown(v)) for k, v in gs.labels.items()}
        order = list(gs.scored) + ([gs.other] if gs.small else [])
        details = {
            "groups": order,
            "real_share": floats(shown["real"].reindex(order).fillna(0.0)),
            "synthetic_share": floats(shown["synthetic"].reindex(order).fillna(0.0)),
            "holdout_share": (
                floats(shown["holdout"].reindex(order).fillna(0.0)) if has_holdout else None
            ),
        }
        baseline = as_float(_tv_complement(real, hold)) if hold is not None else None
        head = self.value(
            _tv_complement(real, synth), gs.attributes, baseline=baseline, details=details
        )
        return [head, *rows]

    def compute(self, ctx: EvalContext) -> list[MetricValue]:
        """Per attribute set 1 − TVD of group shares, per group the share ratio (1.0 = same)."""
        return collect(self, ctx, lambda gs: self._set_rows(ctx, gs), largest=False)
