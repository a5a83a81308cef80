"""The metric registry: every metric registered once, documented, and well-behaved."""

from __future__ import annotations

import importlib
import inspect
import math
import pkgutil
import re

import numpy as np
import pandas as pd
import pytest

import core.metrics as metrics_pkg
from core.metrics.config import EvalConfig
from core.metrics.context import EvalContext
from core.metrics.metric import MSG_BAD_FAMILY, Metric
from core.metrics.registry import BUILTIN, REGISTRY, _index
from core.metrics.value import ERROR, FAMILIES, NOT_COMPUTED, OK
from core.schema import ColumnSpec, Schema


def _all_metric_classes() -> set[type]:
    for mod in pkgutil.walk_packages(metrics_pkg.__path__, "core.metrics."):
        importlib.import_module(mod.name)

    def walk(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from walk(sub)

    return {c for c in walk(Metric) if not inspect.isabstract(c) and c.__module__.startswith(
        "core.metrics.") and getattr(c, "key", "")}


def test_every_metric_class_is_registered():
    missing = _all_metric_classes() - {type(m) for m in BUILTIN}
    assert not missing, "Add to BUILTIN_PATHS in core/metrics/registry.py:\n" + "\n".join(
        f'    "{c.__module__}.{c.__qualname__}",'
        for c in sorted(missing, key=lambda c: (c.__module__, c.__qualname__)))


def test_every_module_of_a_family_folder_is_registered_metrics_only():
    # Helpers live in core/metrics/<family>/_calc/; every other module is one registered measure.
    registered = {type(m).__module__ for m in BUILTIN}
    for family in FAMILIES:
        package = importlib.import_module(f"core.metrics.{family}")
        for info in pkgutil.iter_modules(package.__path__, package.__name__ + "."):
            if info.ispkg:
                assert info.name.endswith("._calc"), f"{info.name}: only _calc/ may be a package"
                continue
            assert info.name in registered, (
                f"{info.name} defines no registered metric: move it to {package.__name__}._calc"
            )


def test_duplicate_keys_fail_loudly():
    with pytest.raises(ValueError, match="Duplicate metric key 'fidelity.column_shapes'"):
        _index((REGISTRY["fidelity.column_shapes"], REGISTRY["fidelity.column_shapes"]))


def test_family_is_the_key_prefix_and_an_unknown_prefix_fails_loudly():
    # Setup / Run / Assert
    assert REGISTRY["privacy.dcr"].family == "privacy"
    with pytest.raises(ValueError, match=re.escape(MSG_BAD_FAMILY.format(
            key="privcy.typo", families=", ".join(FAMILIES)))):
        type("Typo", (Metric,), {"key": "privcy.typo", "compute": lambda self, ctx: []})


def test_every_metric_describes_itself():
    for m in BUILTIN:
        assert m.family in FAMILIES and m.key.startswith(m.family + ".")
        assert m.name and m.description.endswith("."), m.key
        assert m.min_value < m.max_value, m.key


def _frame(n: int, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    age = rng.integers(18, 80, n)
    sex = rng.choice(["F", "M"], n)
    return pd.DataFrame({
        "age": age.astype(float),
        "income": age * 900 + rng.normal(0, 5000, n),
        "sex": sex,
        "edu": rng.choice(["hs", "ba", "ms"], n, p=[0.5, 0.35, 0.15]),
        "y": np.where((age > 45) & (rng.random(n) < 0.7), "yes", "no"),
    })


SCHEMA = Schema(
    (ColumnSpec("age", "numerical"), ColumnSpec("income", "numerical"),
     ColumnSpec("sex", "categorical"), ColumnSpec("edu", "categorical"),
     ColumnSpec("y", "categorical")),
    target="y", protected=("sex",), quasi_identifiers=("age", "sex", "edu"),
)


@pytest.fixture(scope="module")
def ctx() -> EvalContext:
    cfg = EvalConfig(anonymeter_attacks=50, max_rows_anonymeter=300, kway_combinations=5)
    return EvalContext(_frame(400, 1), _frame(200, 2), _frame(400, 3), SCHEMA, cfg)


@pytest.mark.parametrize("metric", BUILTIN, ids=lambda m: m.key)
def test_each_metric_gives_a_score_in_0_1_or_a_reason(metric, ctx):
    rows = metric.run(ctx)
    assert rows, metric.key
    top = [r for r in rows if r.columns == () and r.group is None]
    assert len(top) == 1, f"{metric.key} must give exactly one table-level row"
    for r in rows:
        assert r.key == metric.key and r.family == metric.family
        if r.status == OK:
            assert r.value is not None and math.isfinite(r.value)
            assert r.score is not None and 0.0 <= r.score <= 1.0, (metric.key, r)
        else:
            assert r.status in (NOT_COMPUTED, ERROR)
            assert r.reason, (metric.key, r)
            assert r.status != ERROR, f"{metric.key} raised: {r.reason}"


def test_readme_lists_every_registered_metric():
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[3] / "README.md").read_text(encoding="utf-8")
    missing = [m.key for m in BUILTIN if f"`{m.key}`" not in readme]
    assert not missing, f"Add to README's metric table: {missing}"
