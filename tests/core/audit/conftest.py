"""Small inputs for the audit's tests: Adult rows split into training and holdout rows."""

from __future__ import annotations

import pytest

from core.audit.run import AuditInputs
from core.schema import detect_schema


@pytest.fixture(scope="session")
def adult_split(adult):
    """900 Adult rows: 600 for training, 300 as the holdout (the attacker's population)."""
    rows = adult.sample(900, random_state=11).reset_index(drop=True)
    schema = detect_schema(rows)
    return rows.iloc[:600].reset_index(drop=True), rows.iloc[600:].reset_index(drop=True), schema


@pytest.fixture()
def small_inputs(adult_split):
    """Audit inputs: 4 targets x 40 shadows of 60 rows (fast with the test generators)."""
    train, holdout, schema = adult_split
    return AuditInputs(run_id="r1", generator="gaussian_copula", params={}, train=train,
                       reference=holdout, schema=schema, targets=4, shadows=40, shadow_rows=60,
                       seed=1)
