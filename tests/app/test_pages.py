"""Every page renders from a stored database without an exception and shows its key elements."""

from __future__ import annotations

import time

import pytest

from core.store import Store
from tests.app.conftest import page
from ui import state
from ui.bootstrap import _open_store


@pytest.fixture(autouse=True)
def _fresh_store_cache():
    # Each test has its own database file; forget stores opened by earlier tests.
    _open_store.clear()
    yield
    _open_store.clear()


def until_success(at, timeout=300):
    """Rerun the page until it shows a success message (a job it started has finished).

    It stops at an error too (the job failed): the test's own asserts then show the page's words
    at once instead of after the whole timeout.
    """
    deadline = time.monotonic() + timeout
    while not at.success and not at.error and time.monotonic() < deadline:
        time.sleep(1)
        at.run()
    return at


def _open(seeded_db, name):
    at = page(name)
    at.session_state[state.DATASET_ID] = seeded_db["dataset"]
    at.session_state[state.RUN_ID] = seeded_db["run"]
    return at.run()


def test_app_shell_opens_on_home_and_loads_the_adult_sample_into_an_empty_db(db_file):
    # Run: an empty database
    at = page("app.py").run()
    # Assert
    assert not at.exception
    assert at.title[0].value == "synthreview"
    assert [m.value for m in at.metric][:1] == ["1"]  # the Adult sample was added at first start
    assert any("Adult" in t.value for t in at.text)


def test_data_page_shows_load_report_and_schema_editor(seeded_db):
    at = _open(seeded_db, "pages/2_Data.py")
    assert not at.exception
    assert at.title[0].value == "Data"
    labels = [m.label for m in at.metric]
    assert labels == ["Rows", "Columns", "Training rows", "Holdout rows", "Rows rejected"]
    assert [m.value for m in at.metric][:4] == ["600", "15", "480", "120"]
    assert at.selectbox(key=f"data.target.{seeded_db['dataset']}.1").value == "class"
    assert any("'?' × 12" in t.value for t in at.text)


def test_data_page_saves_roles_as_a_new_schema_version(seeded_db):
    # Setup
    at = _open(seeded_db, "pages/2_Data.py")
    ds = seeded_db["dataset"]
    # Run
    at.multiselect(key=f"data.protected.{ds}.1").set_value(["sex"])
    at.button(key="data.save_schema").click().run()
    # Assert
    assert not at.exception
    assert at.success[0].value == "Saved schema version 2."
    assert at.multiselect(key=f"data.protected.{ds}.2").value == ["sex"]


def test_data_page_lists_identifiers_with_their_reasons(db_file):
    # Setup: a records-shaped table (names, case numbers) added with detected roles
    from core.datasets import add_dataset
    from tests.published import records_frame

    store = Store(db_file)
    info, _ = add_dataset(store, records_frame(200), {"file_name": "records.csv"},
                          name="Records", source_name="records.csv")
    store.close()
    at = page("pages/2_Data.py")
    at.session_state[state.DATASET_ID] = info.id
    # Run
    at.run()
    # Assert
    assert not at.exception
    caption = next(c.value for c in at.caption if c.value.startswith("Left out as identifiers"))
    assert "**first** (100% of the values read as person names)" in caption
    assert "**c\\_case\\_number** (text where nearly every non" in caption
    assert at.selectbox(key=f"data.target.{info.id}.1").value == "two_year_recid"


def test_data_page_one_click_adult_sample(seeded_db):
    at = _open(seeded_db, "pages/2_Data.py")
    at.button(key="data.sample").click().run()
    assert not at.exception
    assert at.success[0].value == "Adult sample loaded."
    assert at.metric[0].value == "32,561"


def test_generate_page_fits_gaussian_copula_and_shows_the_result(seeded_db):
    # Setup
    at = _open(seeded_db, "pages/3_Generate.py")
    assert at.selectbox(key="gen.generator").value == "gaussian_copula"
    # Run
    at.number_input(key="gen.rows").set_value(150)
    at.button(key="gen.run").click().run()
    # Assert: the click only queued a job (a Dask worker fits); the page shows it, then the run
    assert not at.exception
    assert len(at.session_state[state.MY_JOBS]) == 1
    at = until_success(at)
    assert not at.exception
    assert not at.error, [e.value for e in at.error]
    assert at.success[0].value.startswith("Run ") and "complete: 150 synthetic rows" in \
        at.success[0].value
    assert [m.label for m in at.metric] == ["Fit", "Sample", "Peak memory"]
    new_run = at.session_state[state.RUN_ID]
    assert new_run != seeded_db["run"]


def test_generate_page_shows_ctgan_epoch_parameters(seeded_db):
    at = _open(seeded_db, "pages/3_Generate.py")
    at.selectbox(key="gen.generator").set_value("ctgan").run()
    assert not at.exception
    assert at.number_input(key="gen.param.ctgan.epochs").value == 30
    assert at.number_input(key="gen.param.ctgan.batch_size").value == 500


def test_preview_page_shows_real_and_synthetic_side_by_side(seeded_db):
    at = _open(seeded_db, "pages/4_Preview.py")
    assert not at.exception
    assert [s.value for s in at.subheader] == ["Real", "Synthetic", "Per-column statistics"]
    assert [m.value for m in at.metric][:2] == ["480", "200"]
    assert len(at.dataframe) == 3


def test_preview_page_without_runs_says_what_to_do(db_file, adult_small):
    from core.datasets import add_dataset

    s = Store(db_file)
    info, _ = add_dataset(s, adult_small, {}, name="x", source_name="x.csv")
    s.close()
    at = page("pages/4_Preview.py")
    at.session_state[state.DATASET_ID] = info.id
    at.run()
    assert not at.exception
    assert at.info[0].value == "No complete run for this dataset yet. Generate one first."


def test_runs_page_lists_datasets_and_runs(seeded_db):
    at = _open(seeded_db, "pages/13_Runs.py")
    assert not at.exception
    assert [s.value for s in at.subheader] == ["Datasets", "Runs", "Deletions"]
    runs_table = at.dataframe[1].value
    assert list(runs_table["id"]) == [seeded_db["run"]]
    assert list(runs_table["status"]) == ["complete"]
    assert list(runs_table["sign-off"]) == [""]


def test_runs_page_shows_a_sign_off_with_its_override(seeded_db):
    # Setup: a rejected column, approved with an override
    from core.review import record_decision, sign_off
    from core.store import Store

    store = Store(seeded_db["path"])
    record_decision(store, seeded_db["run"], "age", "reject", "tail", "Dana")
    sign_off(store, seeded_db["run"], "approved", "pilot", "Dana", columns=["age"],
             override="the tail is out of scope")
    store.close()
    # Run
    at = _open(seeded_db, "pages/13_Runs.py")
    # Assert
    assert not at.exception
    assert list(at.dataframe[1].value["sign-off"]) == [
        "approved with override: the tail is out of scope"]


def test_home_page_counts(seeded_db):
    at = _open(seeded_db, "pages/0_Home.py")
    assert not at.exception
    assert [m.value for m in at.metric] == ["1", "1", "1"]


def _published_csv() -> bytes:
    """A table as published: 'score' twice, a blank header, 'N' markers among incomes."""
    rows = [f"{i},{i % 10},{i % 10},x{i},{'N' if i % 5 == 0 else 1000 + i}" for i in range(40)]
    return ("id,score,score,,income\n" + "\n".join(rows) + "\n").encode()


def _upload(at, data: bytes, name: str = "published.csv"):
    at.file_uploader(key="data.upload").set_value((name, data, "text/csv"))
    return at.run()


def _report_table(at, column: str):
    return next(d.value for d in at.dataframe if column in d.value.columns)


def test_data_page_upload_shows_the_renames_and_markers(db_file):
    # Setup
    at = _upload(page("pages/2_Data.py").run(), _published_csv())
    # Run
    at.button(key="data.add").click().run()
    # Assert
    assert not at.exception
    assert at.success[0].value.startswith("Added dataset ")
    renamed = _report_table(at, "original")
    assert renamed.to_dict("records") == [
        {"position": 3, "original": "score", "name": "score_2", "reason": "duplicate"},
        {"position": 4, "original": "", "name": "column_4", "reason": "blank"}]
    markers = _report_table(at, "token")
    assert markers.to_dict("records") == [{"column": "income", "token": "N", "count": 8}]


def test_data_page_upload_options_turn_detection_off_and_add_tokens(db_file):
    # Setup
    at = _upload(page("pages/2_Data.py").run(), _published_csv())
    # Run: detection off, 'x0' read as missing everywhere
    at.checkbox(key="data.auto_na").uncheck()
    at.multiselect(key="data.na").set_value(["x0"])
    at.button(key="data.add").click().run()
    # Assert
    assert not at.exception
    assert not any("token" in d.value.columns for d in at.dataframe)
    facts = _report_table(at, "what")
    assert dict(zip(facts["what"], facts["value"], strict=True))["also read as missing"] == "'x0'"
    assert any("'x0' × 1" in t.value for t in at.text)
