"""A pick in a selectbox holds when a click on another page reaches the server with it.

In a browser, a reviewer who picks a dataset (or a run, or a policy) and at once clicks another
page sends both to the server together, or the click stops the page's run before its body has
read the pick. AppTest sends them together the same way: the widget's new value and the page
switch in one run of the app. The pick must be what the next page shows.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from tests.app.conftest import ROOT, TIMEOUT


def untidy(rows: int, seed: int) -> pd.DataFrame:
    """A small published-looking table: names under a plain column, blank ids, codes, 'N'."""
    import numpy as np

    rng = np.random.default_rng(seed)
    ids = pd.array([f"P{rng.integers(10_000, 99_999)}" if rng.random() < 0.2 else None
                    for _ in range(rows)], dtype="string")
    return pd.DataFrame({
        "name": [f"{rng.choice(['Ann', 'Bo', 'Cy', 'Di'])} {rng.choice(['Lee', 'Ng', 'Roe'])}"
                 for _ in range(rows)],
        "person id": ids,
        "age": rng.integers(18, 90, rows),
        "region code": rng.choice([11, 12, 21, 31], rows),
        "smoker": rng.choice(["Y", "N", "N"], rows),
        "outcome": rng.integers(0, 2, rows),
    })


def csv(df: pd.DataFrame) -> bytes:
    return df.to_csv(index=False).encode()


@pytest.fixture()
def two_datasets(db_file: Path) -> dict[str, str]:
    """Dataset "With runs" (two imported runs, the newer first) and the newer "No run yet"."""
    from core.datasets import add_upload
    from core.runs import import_run
    from core.store import Store

    store = Store(db_file)
    try:
        with_runs, _, _ = add_upload(store, csv(untidy(200, 1)), "with_runs.csv",
                                     name="With runs")
        older = import_run(store, with_runs.id, csv(untidy(200, 2)), "older.csv")
        newer = import_run(store, with_runs.id, csv(untidy(150, 3)), "newer.csv")
        bare, _, _ = add_upload(store, csv(untidy(80, 4)), "bare.csv", name="No run yet")
    finally:
        store.close()
    return {"with_runs": with_runs.id, "older": older.id, "newer": newer.id, "bare": bare.id}


def app_on(page: str) -> AppTest:
    """The whole app (``app.py`` and its navigation), switched to ``page`` and run."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    at.run()
    at.switch_page(page).run()
    return at


def box(at: AppTest, label: str):  # noqa: ANN201 - an AppTest selectbox
    found = [s for s in at.selectbox if s.label == label]
    assert len(found) == 1, [s.label for s in at.selectbox]
    return found[0]


def test_a_dataset_picked_with_a_page_change_is_the_one_preview_shows(two_datasets):
    # Setup: the session opens on the newest dataset, which has no run
    at = app_on("pages/2_Data.py")
    assert box(at, "Current dataset").value == two_datasets["bare"]

    # Run: pick the dataset with runs and switch to Preview in the same request
    box(at, "Current dataset").select(two_datasets["with_runs"])
    at.switch_page("pages/4_Preview.py").run()

    # Assert: Preview shows that dataset's runs (the newest first), not "no complete run"
    assert not at.exception
    assert [i.value for i in at.info] == []
    assert box(at, "Run").value == two_datasets["newer"]
    assert "Per-column statistics" in [h.value for h in at.subheader]


def test_a_run_picked_with_a_page_change_is_the_one_the_evaluation_page_shows(two_datasets):
    # Setup: Preview on the dataset with two runs, the newer one shown
    at = app_on("pages/2_Data.py")
    box(at, "Current dataset").select(two_datasets["with_runs"]).run()
    at.switch_page("pages/4_Preview.py").run()
    assert box(at, "Run").value == two_datasets["newer"]

    # Run: pick the older run and switch to Fidelity in the same request
    box(at, "Run").select(two_datasets["older"])
    at.switch_page("pages/6_Fidelity.py").run()

    # Assert: Fidelity is on the older run, and Preview still is when the reviewer goes back
    assert not at.exception
    assert box(at, "Run").value == two_datasets["older"]
    at.switch_page("pages/4_Preview.py").run()
    assert box(at, "Run").value == two_datasets["older"]


def test_a_policy_picked_with_a_page_change_holds_on_the_next_page(two_datasets):
    # Setup: the dataset with runs; Compare, judged under the default policy
    at = app_on("pages/2_Data.py")
    box(at, "Current dataset").select(two_datasets["with_runs"]).run()
    at.switch_page("pages/10_Compare.py").run()
    policy = box(at, "Policy")
    other = next(o for o in policy.options if o != policy.value)

    # Run: pick another policy and switch to Overview in the same request
    policy.select(other)
    at.switch_page("pages/5_Overview.py").run()

    # Assert: Overview judges under the picked policy
    assert not at.exception
    assert box(at, "Policy").value == other


def test_a_review_column_picked_with_a_page_change_is_open_on_return(evaluated_db):
    # Setup: the Review page on the stored report, on its first column
    at = app_on("pages/11_Review.py")
    column = box(at, "Column")
    assert column.value == 0
    target = len(column.options) - 1

    # Run: pick the last column and switch to Fidelity in the same request, then come back
    column.select(target)
    at.switch_page("pages/6_Fidelity.py").run()
    assert not at.exception
    at.switch_page("pages/11_Review.py").run()

    # Assert: Review opens on the column that was picked
    assert not at.exception
    assert box(at, "Column").value == target
