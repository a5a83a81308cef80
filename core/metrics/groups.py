"""Protected groups: which rows belong to which group, shared by fairness and privacy metrics.

A categorical protected attribute gives one group per value (``sex=Female``); a numerical one
(``age``) is cut into quantile groups on the real rows (``age=17–28``) and the same edges are used
for the holdout and synthetic rows. Intersections join two attributes (``sex=Female & race=Black``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from core.metrics.context import EvalContext

MISSING = "(missing)"


def _edges(real: pd.Series, bins: int) -> np.ndarray:
    values = real.dropna().to_numpy(dtype="float64")
    if len(values) == 0:
        return np.array([])
    edges = np.unique(np.quantile(values, np.linspace(0, 1, bins + 1)))
    return edges


def _fmt(x: float) -> str:
    return f"{x:.0f}" if float(x).is_integer() else f"{x:.3g}"


def group_labels(ctx: EvalContext, attribute: str) -> dict[str, pd.Series]:
    """Group label of every row of the real, holdout and synthetic tables for one attribute.

    Args:
        ctx: The evaluation context.
        attribute: A protected attribute (a synthesised column).

    Returns:
        ``{"real": Series, "holdout": Series, "synthetic": Series}`` of labels like
        ``"sex=Female"``; missing values get ``"sex=(missing)"``.
    """

    def compute() -> dict[str, pd.Series]:
        frames = {"real": ctx.real, "holdout": ctx.holdout, "synthetic": ctx.synthetic}
        if attribute in ctx.numerical:
            real = ctx.real[attribute]
            if pd.api.types.is_datetime64_any_dtype(real):
                frames = {k: v.assign(**{attribute: v[attribute].astype("int64")})
                          for k, v in frames.items()}
                real = frames["real"][attribute]
            edges = _edges(real, ctx.config.numeric_group_bins)
            out = {}
            for name, df in frames.items():
                s = df[attribute].astype("float64")
                if len(edges) < 2:
                    labels = pd.Series(f"{attribute}=all", index=s.index)
                else:
                    idx = np.clip(np.searchsorted(edges, s.to_numpy(), side="right") - 1,
                                  0, len(edges) - 2)
                    names = np.array(
                        [f"{attribute}={_fmt(edges[i])}–{_fmt(edges[i + 1])}"
                         for i in range(len(edges) - 1)], dtype=object)
                    labels = pd.Series(names[idx], index=s.index)
                labels[s.isna()] = f"{attribute}={MISSING}"
                out[name] = labels
            return out
        return {
            name: _prefixed(attribute + "=", df[attribute].fillna(MISSING).astype(str))
            for name, df in frames.items()
        }

    return ctx.cached(f"groups:{attribute}", compute)


def _prefixed(prefix: str, values: pd.Series) -> pd.Series:
    """``prefix + values``, each distinct label made once and shared by its rows.

    The same strings as ``prefix + values``, without a new string object per row: a million rows
    of a few groups hold a few strings instead of a million (~60 bytes each).
    """
    codes, uniques = pd.factorize(values, use_na_sentinel=False)
    names = np.array([prefix + u for u in uniques], dtype=object)
    return pd.Series(names[codes], index=values.index)


def intersection_labels(ctx: EvalContext, a: str, b: str) -> dict[str, pd.Series]:
    """Group labels of the intersection of two attributes, e.g. ``"sex=Female & race=Black"``."""

    def compute() -> dict[str, pd.Series]:
        ga, gb = group_labels(ctx, a), group_labels(ctx, b)
        out = {}
        for k in ga:
            ca, ua = pd.factorize(ga[k], use_na_sentinel=False)
            cb, ub = pd.factorize(gb[k], use_na_sentinel=False)
            names = np.array([x + " & " + y for x in ua for y in ub], dtype=object)
            out[k] = pd.Series(names[ca * len(ub) + cb] if len(names) else names[:0],
                               index=ga[k].index)
        return out

    return ctx.cached(f"groups:{a} & {b}", compute)


def attribute_sets(ctx: EvalContext) -> list[tuple[str, ...]]:
    """Each protected attribute alone, then each pair of them (intersections)."""
    prot = [p for p in ctx.schema.protected if p in ctx.columns]
    sets: list[tuple[str, ...]] = [(p,) for p in prot]
    sets += [(prot[i], prot[j]) for i in range(len(prot)) for j in range(i + 1, len(prot))]
    return sets


def labels_for(ctx: EvalContext, attributes: tuple[str, ...]) -> dict[str, pd.Series]:
    """Group labels for one attribute or an intersection of two."""
    if len(attributes) == 1:
        return group_labels(ctx, attributes[0])
    return intersection_labels(ctx, attributes[0], attributes[1])
