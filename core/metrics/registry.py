"""The one registry of metrics: built-ins register exactly like extensions.

Adding a metric is one new module plus one line in ``BUILTIN_PATHS``: the dotted path of its
class (datasette ``plugins.py: DEFAULT_PLUGINS``). Keys must be unique; a duplicate fails when
the metrics are first loaded.

``BUILTIN`` and ``REGISTRY`` load every metric module on first use (importing them all takes
seconds: scikit-learn, Fairlearn, Anonymeter): a process that only needs ``BUILTIN_PATHS``, such
as the one owning the store when it computes a report's cache key, never pays for them.
"""

from __future__ import annotations

import functools
import importlib
from typing import Any

from core.metrics.metric import Metric

BUILTIN_PATHS: tuple[str, ...] = (
    # --- fidelity ---
    "core.metrics.fidelity.column_shapes.ColumnShapes",
    "core.metrics.fidelity.missing_values.MissingValues",
    "core.metrics.fidelity.range_coverage.RangeCoverage",
    "core.metrics.fidelity.category_coverage.CategoryCoverage",
    "core.metrics.fidelity.invalid_values.InvalidValues",
    "core.metrics.fidelity.correlation.CorrelationPearson",
    "core.metrics.fidelity.correlation.CorrelationSpearman",
    "core.metrics.fidelity.contingency.ContingencySimilarity",
    "core.metrics.fidelity.pair_trends.PairTrends",
    "core.metrics.fidelity.kway_marginals.KWayMarginals",
    "core.metrics.fidelity.detection.Detection",
    "core.metrics.fidelity.pmse.PropensityMSE",
    "core.metrics.fidelity.alpha_precision.AlphaPrecision",
    "core.metrics.fidelity.beta_recall.BetaRecall",
    # --- utility ---
    "core.metrics.utility.accuracy.AccuracyGap",
    "core.metrics.utility.macro_f1.MacroF1Gap",
    "core.metrics.utility.roc_auc.RocAucGap",
    "core.metrics.utility.r2.R2Gap",
    "core.metrics.utility.mae.MaeGap",
    "core.metrics.utility.feature_importance.FeatureImportanceAgreement",
    "core.metrics.utility.beats_baseline.BeatsBaseline",
    # --- privacy ---
    "core.metrics.privacy.dcr.DistanceToClosestRecord",
    "core.metrics.privacy.dcr_share.DCRCloserToTraining",
    "core.metrics.privacy.nndr.NearestNeighbourDistanceRatio",
    "core.metrics.privacy.exact_copies.ExactCopies",
    "core.metrics.privacy.membership.DistanceMembershipInference",
    "core.metrics.privacy.unique_qi.UniqueQuasiIdentifierMatches",
    "core.metrics.privacy.rare_value_replay.RareValueReplay",
    "core.metrics.privacy.singling_out.SinglingOutUnivariate",
    "core.metrics.privacy.singling_out.SinglingOutMultivariate",
    "core.metrics.privacy.linkability.LinkabilityRisk",
    "core.metrics.privacy.inference.InferenceRisk",
    "core.metrics.privacy.k_anonymity.KAnonymity",
    "core.metrics.privacy.l_diversity.LDiversity",
    "core.metrics.privacy.cap_disclosure.CAPDisclosure",
    "core.metrics.privacy.authenticity.Authenticity",
    "core.metrics.privacy.shadow_membership.ShadowMembershipInference",
    # --- fairness ---
    "core.metrics.fairness.representation.Representation",
    "core.metrics.fairness.outcome_rate.OutcomeRate",
    "core.metrics.fairness.bias_amplification.BiasAmplification",
    "core.metrics.fairness.disparity_attenuation.DisparityAttenuation",
    "core.metrics.fairness.demographic_parity.DemographicParity",
    "core.metrics.fairness.equalized_odds.EqualizedOdds",
    "core.metrics.fairness.group_fidelity.GroupFidelity",
)


def load_metric(path: str) -> Metric:
    """An instance of the metric class at dotted ``path``, e.g. ``"core.metrics.privacy.dcr.X"``."""
    module, _, name = path.rpartition(".")
    return getattr(importlib.import_module(module), name)()


def _index(metrics: tuple[Metric, ...]) -> dict[str, Metric]:
    out: dict[str, Metric] = {}
    for m in metrics:
        if m.key in out:
            raise ValueError(f"Duplicate metric key {m.key!r}: each metric needs its own key.")
        out[m.key] = m
    return out


@functools.cache
def _load() -> tuple[tuple[Metric, ...], dict[str, Metric]]:
    builtin = tuple(load_metric(p) for p in BUILTIN_PATHS)
    return builtin, _index(builtin)


def __getattr__(name: str) -> Any:
    """``BUILTIN`` (every metric, registry order) and ``REGISTRY`` (by key), loaded once."""
    if name == "BUILTIN":
        return _load()[0]
    if name == "REGISTRY":
        return _load()[1]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def get_metric(key: str) -> Metric:
    """The registered metric with ``key``."""
    return _load()[1][key]


def metrics_of(family: str) -> tuple[Metric, ...]:
    """Registered metrics of one family, in registry order."""
    return tuple(m for m in _load()[0] if m.family == family)
