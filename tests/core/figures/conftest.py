"""Reports for the figure tests: one real evaluation of 1,500 Adult rows, one with nothing to show.

The real report is computed once per session (about 7 s) with the real generator and metrics,
so the figures are tested against the details the metrics actually store today.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import pytest

from core.metrics.config import EvalConfig
from core.report import Report, evaluate
from core.schema import detect_schema

CONFIG = EvalConfig(anonymeter_attacks=100, kway_combinations=10)


@dataclass(frozen=True)
class Evaluated:
    """The tables a report was computed on, and the report."""

    train: pd.DataFrame
    holdout: pd.DataFrame
    synthetic: pd.DataFrame
    report: Report


@pytest.fixture(scope="session")
def evaluated(adult: pd.DataFrame) -> Evaluated:
    from core.generators.registry import get_generator

    df = adult.sample(1500, random_state=0).reset_index(drop=True)
    schema = detect_schema(df).with_roles(
        "class", ["sex", "race", "age"], ["age", "sex", "race", "education", "marital-status"]
    )
    train, holdout = df[:1200].reset_index(drop=True), df[1200:].reset_index(drop=True)
    synthetic = get_generator("gaussian_copula").fit_sample(train, schema, 1200, 0).synthetic
    report = evaluate(train, holdout, synthetic, schema, CONFIG)
    return Evaluated(train, holdout, synthetic, report)


@pytest.fixture(scope="session")
def report(evaluated: Evaluated) -> Report:
    return evaluated.report


@pytest.fixture(scope="session")
def bare_report(adult: pd.DataFrame) -> Report:
    """No target, no protected attribute, and only the utility and fairness families run."""
    df = adult.sample(300, random_state=1).reset_index(drop=True)
    schema = detect_schema(df).with_roles(None, [], [])
    return evaluate(df[:200], df[200:], df[:200], schema, CONFIG,
                    families=("utility", "fairness"))
