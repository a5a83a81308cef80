# ruff: noqa: I001  (imports are grouped by family, one section per family)
"""The one registry of metrics: built-ins register exactly like extensions.

Adding a metric is one new module plus one line in ``BUILTIN``. Keys must be unique; a duplicate
fails at import (datasette ``plugins.py: DEFAULT_PLUGINS``).
"""

from __future__ import annotations

from core.metrics.metric import Metric

# --- fidelity ---
from core.metrics.fidelity.category_coverage import CategoryCoverage
from core.metrics.fidelity.column_shapes import ColumnShapes
from core.metrics.fidelity.contingency import ContingencySimilarity
from core.metrics.fidelity.correlation import CorrelationPearson, CorrelationSpearman
from core.metrics.fidelity.detection import Detection
from core.metrics.fidelity.invalid_values import InvalidValues
from core.metrics.fidelity.kway_marginals import KWayMarginals
from core.metrics.fidelity.missing_values import MissingValues
from core.metrics.fidelity.pair_trends import PairTrends
from core.metrics.fidelity.range_coverage import RangeCoverage
# --- utility ---
from core.metrics.utility.accuracy import AccuracyGap
from core.metrics.utility.feature_importance import FeatureImportanceAgreement
from core.metrics.utility.macro_f1 import MacroF1Gap
from core.metrics.utility.mae import MaeGap
from core.metrics.utility.r2 import R2Gap
from core.metrics.utility.roc_auc import RocAucGap
# --- privacy ---
from core.metrics.privacy.anonymeter_risks import (
    InferenceRisk,
    LinkabilityRisk,
    SinglingOutMultivariate,
    SinglingOutUnivariate,
)
from core.metrics.privacy.dcr import DistanceToClosestRecord
from core.metrics.privacy.dcr_share import DCRCloserToTraining
from core.metrics.privacy.exact_copies import ExactCopies
from core.metrics.privacy.membership import DistanceMembershipInference
from core.metrics.privacy.nndr import NearestNeighbourDistanceRatio
from core.metrics.privacy.unique_qi import UniqueQuasiIdentifierMatches
# --- fairness ---
from core.metrics.fairness.bias_amplification import BiasAmplification
from core.metrics.fairness.demographic_parity import DemographicParity
from core.metrics.fairness.equalized_odds import EqualizedOdds
from core.metrics.fairness.group_fidelity import GroupFidelity
from core.metrics.fairness.outcome_rate import OutcomeRate
from core.metrics.fairness.representation import Representation

BUILTIN: tuple[Metric, ...] = (
    # --- fidelity ---
    ColumnShapes(),
    MissingValues(),
    RangeCoverage(),
    CategoryCoverage(),
    InvalidValues(),
    CorrelationPearson(),
    CorrelationSpearman(),
    ContingencySimilarity(),
    PairTrends(),
    KWayMarginals(),
    Detection(),
    # --- utility ---
    AccuracyGap(),
    MacroF1Gap(),
    RocAucGap(),
    R2Gap(),
    MaeGap(),
    FeatureImportanceAgreement(),
    # --- privacy ---
    DistanceToClosestRecord(),
    DCRCloserToTraining(),
    NearestNeighbourDistanceRatio(),
    ExactCopies(),
    DistanceMembershipInference(),
    UniqueQuasiIdentifierMatches(),
    SinglingOutUnivariate(),
    SinglingOutMultivariate(),
    LinkabilityRisk(),
    InferenceRisk(),
    # --- fairness ---
    Representation(),
    OutcomeRate(),
    BiasAmplification(),
    DemographicParity(),
    EqualizedOdds(),
    GroupFidelity(),
)


def _index(metrics: tuple[Metric, ...]) -> dict[str, Metric]:
    out: dict[str, Metric] = {}
    for m in metrics:
        if m.key in out:
            raise ValueError(f"Duplicate metric key {m.key!r}: each metric needs its own key.")
        if not m.key.startswith(m.family + "."):
            raise ValueError(f"Metric key {m.key!r} must start with its family {m.family!r}.")
        out[m.key] = m
    return out


REGISTRY: dict[str, Metric] = _index(BUILTIN)


def get_metric(key: str) -> Metric:
    """The registered metric with ``key``."""
    return REGISTRY[key]


def metrics_of(family: str) -> tuple[Metric, ...]:
    """Registered metrics of one family, in registry order."""
    return tuple(m for m in BUILTIN if m.family == family)
