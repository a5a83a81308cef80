"""k-anonymity, l-diversity and CAP on tables shaped like published ones, after a real fit.

The census-style excerpt has ``N`` markers read as missing inside numeric columns and integer
codes (``SEX`` 1/2, ``RAC1P``, ``MSP``); the records-style table has names, case numbers blank
for most rows, dates of birth and a 0/1 outcome. Each is loaded with ``core.io``, typed by
``detect_schema``, split, and copied by a real GaussianCopula fit; the three metrics must run
without error, and their figures must equal a direct pandas groupby on the same frames.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from core.datasets import split_holdout
from core.generators.registry import get_generator
from core.io import load_table
from core.metrics.config import EvalConfig
from core.metrics.context import EvalContext
from core.metrics.privacy.cap_disclosure import CAPDisclosure
from core.metrics.privacy.k_anonymity import KAnonymity
from core.metrics.privacy.l_diversity import LDiversity
from core.schema.detect import detect_schema
from tests.published import census_csv, records_csv

TABLES = {
    # name: (CSV bytes, target, protected, quasi-identifiers)
    "census": (lambda: census_csv(600), None, ["SEX", "RAC1P", "AGEP"],
               ["AGEP", "SEX", "RAC1P", "PUMA", "MSP"]),
    "records": (lambda: records_csv(600), "two_year_recid", ["sex", "race"],
                ["age", "sex", "race", "dob"]),
}


@pytest.fixture(scope="module", params=list(TABLES))
def published(request) -> tuple[str, EvalContext]:
    make, target, protected, qis = TABLES[request.param]
    df, _ = load_table(make(), f"{request.param}.csv")
    schema = detect_schema(df).with_roles(target, protected, qis)
    mask, _ = split_holdout(df, 0.2, 0, target)
    train, holdout = df[~mask].reset_index(drop=True), df[mask].reset_index(drop=True)
    synthetic = get_generator("gaussian_copula").fit_sample(train, schema, 400, 0).synthetic
    return request.param, EvalContext(train, holdout, synthetic, schema, EvalConfig())


def _sizes(df: pd.DataFrame, cols: list[str]) -> pd.Series:
    return df.groupby(cols, dropna=False).size()


def test_the_published_tables_bring_what_adult_lacks(published):
    # Setup
    name, ctx = published
    # Assert: the fixtures' quirks reach the metrics as missing values, codes and dates
    if name == "census":
        assert ctx.real["MSP"].isna().any()  # "N" markers read as missing
        assert ctx.schema.sdtype("SEX") == "categorical"  # integer codes 1/2
        assert set(ctx.real["SEX"].dropna()) == {"1", "2"}
    else:
        assert ctx.schema.sdtype("dob") == "datetime"
        assert "r_case_number" in ctx.schema.identifiers  # blank for most rows: left out
        assert "r_case_number" not in ctx.columns


def test_k_anonymity_on_published_tables_equals_a_groupby(published):
    # Setup
    _, ctx = published
    qis = list(ctx.schema.quasi_identifiers)
    # Run
    (top,) = KAnonymity().run(ctx)
    # Assert
    assert top.status == "ok", top.reason
    assert top.value == _sizes(ctx.synthetic, qis).min()
    assert top.baseline == _sizes(ctx.real, qis).min()
    assert top.details["synthetic"]["classes"] == len(_sizes(ctx.synthetic, qis))
    assert top.details["real"]["classes"] == len(_sizes(ctx.real, qis))
    assert set(top.details["numeric_distinct_values"]) == {q for q in qis if q in ctx.numerical}
    json.dumps(top.to_dict())


def test_l_diversity_on_published_tables_equals_a_groupby(published):
    # Setup
    _, ctx = published
    qis = list(ctx.schema.quasi_identifiers)
    # Run
    rows = LDiversity().run(ctx)
    # Assert
    assert all(r.status == "ok" for r in rows), [r.reason for r in rows]
    for row in rows[1:]:
        secret = row.columns[0]
        known = [q for q in qis if q != secret]
        syn, real = ctx.synthetic[secret], ctx.real[secret]
        if secret in ctx.numerical:  # equal-width bins over the training range, ends open
            _, edges = pd.cut(real, ctx.config.bins, retbins=True)
            edges[0], edges[-1] = -np.inf, np.inf
            syn, real = pd.cut(syn, edges).astype(str), pd.cut(real, edges).astype(str)
        for value, df, s in ((row.value, ctx.synthetic, syn), (row.baseline, ctx.real, real)):
            expected = (df[known].assign(_s=s.to_numpy()).groupby(known, dropna=False)["_s"]
                        .nunique(dropna=False).min())
            assert value == expected, secret
    json.dumps([r.to_dict() for r in rows])


def test_cap_on_published_tables_runs_and_stays_in_range(published):
    # Setup
    _, ctx = published
    # Run
    rows = CAPDisclosure().run(ctx)
    # Assert: every secret is attacked, or says why not; nothing raises
    assert rows[0].status == "ok", [r.reason for r in rows]
    assert len(rows) == 1 + len(ctx.schema.protected) + (ctx.schema.target is not None)
    for r in rows[1:]:
        assert r.status in ("ok", "not_computed"), r.reason
        if r.status == "ok":
            assert 0.0 <= r.ci_low <= r.value <= r.ci_high <= 1.0
            for side in ("train", "control"):
                assert 0.0 <= r.details[side]["cap_risk"] <= 1.0
                assert 0 < r.details[side]["matched"] <= r.details[side]["targets"]
        else:
            assert r.reason
    json.dumps([r.to_dict() for r in rows])
