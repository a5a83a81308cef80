"""Which training records the audit attacks: the most isolated ones, and a few random controls.

Rule (Meeus et al. 2024, "Achilles' heels", find the records that leak most by their distance
to their neighbours): a record's vulnerability is its distance to the nearest *other* training
record, under SDMetrics' DCR distance on the synthesised columns (the exact search of
:mod:`core.metrics.privacy._calc.distance`). Records far from every other one are outliers a
generator can only reproduce by remembering them. Candidates are a seeded sample of at most
``MAX_CANDIDATES`` training rows, searched against every training row. The ``n - controls``
candidates with the largest distance are the vulnerable targets (ties: lowest row first);
``controls`` more are drawn at random from the remaining candidates, so the report shows what
an ordinary record risks too.

Example: training rows ages ``[30, 31, 32, 90]`` -> the 90-year-old is the first target.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from core.metrics.privacy._calc.distance import nearest

MAX_CANDIDATES = 5_000
VULNERABLE, RANDOM = "vulnerable", "random"


@dataclass(frozen=True)
class Target:
    """One attacked record.

    Attributes:
        index: Its position in the dataset's training rows (``Dataset.train``).
        kind: ``vulnerable`` (chosen by the rule) or ``random`` (a control).
        isolation: Its distance to the nearest other training record (0 = it has a twin).
    """

    index: int
    kind: str
    isolation: float


def controls_for(n: int) -> int:
    """How many of ``n`` targets are random controls: about 30%, none for a single target.

    Example: 10 -> 3, 3 -> 1, 1 -> 0.
    """
    return 0 if n < 2 else max(1, round(0.3 * n))


def select_targets(train: pd.DataFrame, numerical: tuple[str, ...], n: int,
                   seed: int) -> list[Target]:
    """The ``n`` targets: the most isolated candidates, then random controls.

    Args:
        train: The training rows, normalised as the metrics see them (synthesised columns).
        numerical: Columns compared as numbers.
        n: Targets wanted (at most the number of training rows).
        seed: Seed of the candidate sample and of the controls.

    Returns:
        Vulnerable targets (most isolated first), then the controls.
    """
    rng = np.random.default_rng(seed)
    n = min(n, len(train))
    if len(train) > MAX_CANDIDATES:
        pos = np.sort(rng.choice(len(train), MAX_CANDIDATES, replace=False))
    else:
        pos = np.arange(len(train))
    found = nearest(train.iloc[pos], train, numerical)
    # The nearest row of a training row is itself (distance 0) or an identical twin; the second
    # nearest is therefore the nearest other record.
    isolation = np.where(np.isnan(found.distance2), 0.0, found.distance2)
    order = np.lexsort((pos, -isolation))
    k = n - controls_for(n)
    chosen = [Target(int(pos[i]), VULNERABLE, float(isolation[i])) for i in order[:k]]
    rest = order[k:]
    picks = rng.choice(len(rest), min(n - k, len(rest)), replace=False) if len(rest) else []
    chosen += [Target(int(pos[rest[j]]), RANDOM, float(isolation[rest[j]]))
               for j in sorted(picks)]
    return chosen
