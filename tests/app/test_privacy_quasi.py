"""The Privacy page shows k-anonymity, l-diversity and CAP disclosure from the stored report."""

from __future__ import annotations

import pytest

from core.evaluation import stored_report
from core.store import Store
from tests.app.conftest import page
from ui import state
from ui.bootstrap import _open_store
from ui.text import md_escape

SUBHEADER = "Quasi-identifiers: k-anonymity, l-diversity, CAP disclosure"


@pytest.fixture(autouse=True)
def _fresh_store_cache():
    _open_store.clear()
    yield
    _open_store.clear()


def test_privacy_page_shows_the_quasi_identifier_measures(evaluated_db):
    # Setup
    store = Store(evaluated_db["path"])
    report = stored_report(store, evaluated_db["run"])
    store.close()
    at = page("pages/8_Privacy.py")
    at.session_state[state.DATASET_ID] = evaluated_db["dataset"]
    at.session_state[state.RUN_ID] = evaluated_db["run"]

    # Run
    at.run()

    # Assert
    assert not at.exception
    assert SUBHEADER in [s.value for s in at.subheader]
    summary = next(d.value for d in at.dataframe if "what it means" in d.value.columns)
    measures = summary.set_index("measure")
    for key, name in (("privacy.k_anonymity", "k-anonymity"),
                      ("privacy.l_diversity", "l-diversity"),
                      ("privacy.cap_disclosure", "CAP disclosure")):
        assert measures.loc[name, "value"] == report.top(key).value, key
    table = next(d.value for d in at.dataframe if "excess risk" in d.value.columns)
    assert list(table["secret"]) == ["sex", "race", "class"]  # protected, then the target
    k = report.top("privacy.k_anonymity")
    assert any(c.value.startswith(md_escape("k-anonymity over age, sex, race: the smallest "
                                            f"group of synthetic rows sharing these values has "
                                            f"{int(k.value)} row(s)")) for c in at.caption)
    evidence = at.dataframe[0].value.set_index("evidence")
    assert evidence.loc["CAP disclosure (worst secret)", "kind"] == "attack"
