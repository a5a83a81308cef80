"""Rare-value replay: synthetic rows that repeat a value only one or two real people have.

A generator that treats case numbers or surnames as categories samples them back from the
training rows: every exact copy, distance and attack check can pass while real case numbers sit
in the synthetic table. This check looks at single values, whatever the schema calls them.

For every synthesised categorical column, and every identifier column an imported synthetic file
still holds, a training value is *rare* when it occurs at most ``k`` times in the training rows
(``EvalConfig.rare_value_k``, 1 by default) and never in the holdout: nobody outside the training
rows has it, so a synthetic row that carries it can only have learnt it from those few people.
The column's value is the share of synthetic rows holding a rare training value.

Noise floor (``baseline``): the share of holdout rows whose value occurs 1..k times in training.
Holdout rows are real people the generator never saw; an honest generator drawing fresh people
from the same population reaches about this share of rare training values by chance. It leaves
out the "never in the holdout" condition (a holdout row always has its own value), so it is a
generous floor: the synthetic figure, which also excludes values the holdout shares, has fewer
ways to match.

The table-level value is the worst column's share (its floor is the baseline), so the gate
checks the worst column. Examples in ``details`` are masked as their *shape*: upper-case letters
become ``X``, lower-case ``x``, digits ``#``, other characters stay (``"Morris"`` -> ``"Xxxxxx"``,
``"13004561CF10A"`` -> ``"########XX##X"``), so a reviewer sees what kind of value leaks, never
the value itself. Sources: NVIDIA NeMo / Gretel "PII replay"; NIST SDNist unique exact matches.
"""

from __future__ import annotations

import pandas as pd

from core.metrics.context import EvalContext
from core.metrics.metric import Goal, Metric
from core.metrics.value import MetricValue

MAX_EXAMPLES = 5
MAX_SHAPE = 24  # characters of a shape shown; longer values end with "…"
MSG_NO_COLUMNS = "there are no categorical or identifier columns to check for replayed values"


def shape_of(value: str) -> str:
    """The masked shape of a value: letters become X / x, digits #, the rest stays.

    Example: ``"Mo-12"`` -> ``"Xx-##"``.
    """
    out = "".join(
        "#" if ch.isdigit() else "X" if ch.isupper() else "x" if ch.isalpha() else ch
        for ch in value[:MAX_SHAPE]
    )
    return out + ("…" if len(value) > MAX_SHAPE else "")


def rare_values(training: pd.Series, holdout: pd.Series, k: int) -> pd.Series:
    """Training values that occur 1..k times in ``training`` and never in ``holdout``.

    Returns:
        Their training counts, indexed by value.

    Example: training ``[a, a, b, c]``, holdout ``[c]``, k=1 -> ``{b: 1}``.
    """
    counts = training.value_counts()
    rare = counts[counts <= k]
    return rare[~rare.index.isin(holdout.dropna().unique())]


def replay_of(
    training: pd.Series, holdout: pd.Series, synthetic: pd.Series, k: int
) -> dict[str, object]:
    """Share of synthetic rows holding a rare training value, its noise floor, counts, examples.

    Example: training ``[a, b, c, c]``, holdout ``[c, d]``, synthetic ``[a, a, c, e]``, k=1 ->
    share 0.5 (two rows hold ``a``), floor 0.0 (no holdout value is rare in training).
    """
    rare = rare_values(training, holdout, k)
    hits = synthetic.isin(rare.index)
    replayed = synthetic[hits].value_counts()
    counts = training.value_counts()
    floor_hits = holdout.isin(counts.index[counts <= k]) if len(holdout) else None
    examples = [
        {"shape": shape_of(str(v)), "length": len(str(v)), "synthetic_rows": int(n),
         "training_rows": int(rare[v])}
        for v, n in replayed.head(MAX_EXAMPLES).items()
    ]
    return {
        "share": float(hits.mean()) if len(synthetic) else 0.0,
        "baseline": float(floor_hits.mean()) if floor_hits is not None else None,
        "details": {
            "rare_training_values": len(rare),
            "rare_values_replayed": len(replayed),
            "synthetic_rows": int(hits.sum()),
            "holdout_rows_rare": int(floor_hits.sum()) if floor_hits is not None else None,
            "examples": examples,
        },
    }


class RareValueReplay(Metric):
    """Share of synthetic rows that replay a value only a few training rows have (worst column)."""

    key = "privacy.rare_value_replay"
    name = "Rare-value replay"
    description = (
        "Worst column's share of synthetic rows holding a categorical or identifier value that "
        "occurs at most k times in training and never in the holdout (holdout rows give the "
        "noise floor); 0.0 is best, 1.0 means every synthetic row repeats a real rare value."
    )
    goal = Goal.MINIMIZE
    min_value = 0.0
    max_value = 1.0
    baseline_is_noise_floor = True  # baseline: holdout rows' share of the same rare values

    def compute(self, ctx: EvalContext) -> list[MetricValue]:
        """One row per checked column, and the worst column's row at table level."""
        syn = ctx.synthetic
        if len(syn) == 0:
            return [self.not_computed("there are no synthetic rows")]
        k = int(ctx.config.rare_value_k)
        ids = ctx.identifiers
        sides = [(c, ctx.real[c], ctx.holdout[c], syn[c], False)
                 for c in ctx.schema.columns_of("categorical")]
        sides += [(c, ids["real"][c], ids["holdout"][c], ids["synthetic"][c], True)
                  for c in ids["synthetic"].columns]
        if not sides:
            return [self.not_computed(MSG_NO_COLUMNS)]
        rows, worst = [], None
        for col, train, hold, synth, identifier in sides:
            r = replay_of(train, hold, synth, k)
            details = {**r["details"], "identifier": identifier, "k": k}
            rows.append(self.value(r["share"], columns=(col,), baseline=r["baseline"],
                                   n=len(synth), details=details))
            if worst is None or r["share"] > worst[1]["share"]:
                worst = (col, r, details)
        col, r, details = worst
        ranked = sorted(rows, key=lambda m: -float(m.value or 0.0))
        top = {
            "worst_column": col, "k": k,
            "columns": [{"column": m.columns[0], "share": m.value,
                         "synthetic_rows": m.details["synthetic_rows"],
                         "rare_values_replayed": m.details["rare_values_replayed"]}
                        for m in ranked[:10]],
            **{f"worst_{key}": v for key, v in details.items() if key not in ("k",)},
        }
        return [self.value(r["share"], baseline=r["baseline"], n=len(syn), details=top), *rows]
