import subprocess
import sys
import textwrap

import duckdb
import pandas as pd
import pytest

from core.datasets import add_dataset, load_dataset, update_schema
from core.errors import StoreCorruptError, StoreLockedError, UserInputError
from core.store import Store
from core.store import runs as q
from core.store.db import MSG_NO_BACKUP, migrations


def test_migrations_apply_once_and_second_run_is_a_noop(db_file):
    # Setup
    store = Store(db_file)
    # Run
    again = store.migrate()
    # Assert
    assert again == []
    assert store.schema_version() == max(v for v, _, _ in migrations())
    store.close()
    reopened = Store(db_file)
    assert reopened.migrate() == []
    reopened.close()


def test_dataset_is_deduplicated_by_content(store, adult_small):
    # Run
    first, created1 = add_dataset(store, adult_small, {}, name="one", source_name="a.csv")
    second, created2 = add_dataset(store, adult_small.copy(), {}, name="two", source_name="b.csv")
    # Assert
    assert (created1, created2) == (True, False)
    assert first.id == second.id and second.name == "one"


def test_rows_holdout_and_column_names_survive_exactly(store):
    # Setup: odd column names must be kept verbatim
    df = pd.DataFrame({
        "a b.c": range(50), "ünï": ["x", "y"] * 25, "1": [1.5] * 50,
        '"; DROP TABLE runs;--': ["v"] * 50, "<img src=x onerror=alert(1)>": range(50),
    })
    info, _ = add_dataset(store, df, {}, name="odd", source_name="odd.csv", holdout_fraction=0.2)
    # Run
    ds = load_dataset(store, info.id)
    # Assert
    pd.testing.assert_frame_equal(ds.rows, df)
    assert ds.is_holdout.sum() == 10 and info.n_holdout == 10
    assert len(ds.train) == 40
    with store.cursor() as cur:  # the SQL-looking name did nothing
        assert cur.execute("SELECT count(*) FROM runs").fetchone()[0] == 0


def test_holdout_is_stratified_on_the_target_and_seeded(store, adult_small):
    info, _ = add_dataset(store, adult_small, {}, name="a", source_name="a.csv", target="class")
    ds = load_dataset(store, info.id)
    real_rate = (adult_small["class"] == ">50K").mean()
    hold_rate = (ds.holdout["class"] == ">50K").mean()
    assert info.split_stratified_on == "class"
    assert abs(real_rate - hold_rate) < 0.01


def test_too_few_rows_is_refused_and_nothing_is_stored(store, adult_small):
    # Setup
    add_dataset(store, adult_small, {}, name="keep", source_name="k.csv")
    # Run
    with pytest.raises(UserInputError) as err:
        add_dataset(store, adult_small.head(2), {}, name="two", source_name="t.csv")
    # Assert
    assert err.value.message == (
        "The table has 2 data rows; synthreview needs at least 10 (most for training, the rest "
        "held out to measure privacy and utility). Add rows."
    )
    with store.cursor() as cur:
        assert cur.execute("SELECT count(*) FROM datasets").fetchone()[0] == 1


def test_schema_edits_append_versions(store, small_dataset):
    ds = load_dataset(store, small_dataset.id)
    new = ds.schema.with_sdtype("fnlwgt", "identifier")
    assert update_schema(store, small_dataset.id, new) == 2
    assert load_dataset(store, small_dataset.id).schema.sdtype("fnlwgt") == "identifier"
    assert load_dataset(store, small_dataset.id, 1).schema.sdtype("fnlwgt") == "numerical"


def test_run_rows_are_invisible_until_complete(store, small_dataset):
    # Setup
    q.start_run(store, run_id="r1", dataset_id=small_dataset.id, schema_version=1,
                generator="gaussian_copula", params={}, seed=0, rows_requested=5, versions={})
    # Assert: a running run has no rows
    with pytest.raises(UserInputError) as err:
        q.load_synthetic(store, "r1")
    assert err.value.message == q.MSG_RUN_NOT_COMPLETE.format(id="r1", status="running")
    # Run
    q.complete_run(store, "r1", pd.DataFrame({"a": [1, 2]}), fit_seconds=1.0,
                   sample_seconds=0.1, peak_memory_mb=10.0)
    # Assert
    assert q.get_run(store, "r1").status == "complete"
    assert len(q.load_synthetic(store, "r1")) == 2


def test_runs_left_running_by_a_dead_process_are_marked_interrupted(db_file, small_dataset,
                                                                    store):
    # Setup: a run owned by another (dead) PID
    q.start_run(store, run_id="r2", dataset_id=small_dataset.id, schema_version=1,
                generator="ctgan", params={}, seed=0, rows_requested=5, versions={})
    with store.transaction() as cur:
        cur.execute("UPDATE runs SET owner_pid = 999999 WHERE id = 'r2'")
    # Run
    marked = q.mark_interrupted(store)
    # Assert
    assert marked == ["r2"]
    run = q.get_run(store, "r2")
    assert run.status == "interrupted"
    assert run.error == q.MSG_INTERRUPTED.format(pid=999999)


def test_a_second_process_gets_a_clear_message_when_the_file_is_held(store, db_file):
    # Run: another process opens the same file while this one holds it
    code = textwrap.dedent(f"""
        from core.store import Store
        from core.errors import StoreLockedError
        try:
            Store({str(db_file)!r})
        except StoreLockedError as e:
            print(e.message)
    """)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=str(__import__("pathlib").Path(__file__).parents[3]))
    # Assert
    assert out.stdout.startswith(f"The database '{db_file}' is in use by another process (PID ")
    assert "pass --db PATH" in out.stdout
    assert StoreLockedError  # the class pages and the CLI catch


def test_a_damaged_file_is_reported_and_never_overwritten(tmp_path):
    # Setup
    bad = tmp_path / "bad.duckdb"
    bad.write_bytes(b"this is not a database" * 100)
    before = bad.read_bytes()
    # Run
    with pytest.raises(StoreCorruptError) as err:
        Store(bad)
    # Assert
    assert err.value.message.startswith(f"The database '{bad}' is damaged and cannot be opened")
    assert err.value.message.endswith(MSG_NO_BACKUP)
    assert bad.read_bytes() == before


def test_queries_are_parameterised_identifiers_cannot_inject(store, small_dataset):
    with pytest.raises(UserInputError):
        q.get_run(store, "x' OR '1'='1")
    assert isinstance(store._con, duckdb.DuckDBPyConnection)
