"""The CLI end to end, as a user runs it: a real process, a real DuckDB file."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[2]


def cli(db: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    out = subprocess.run([sys.executable, "-m", "core", "--db", str(db), *args], cwd=ROOT,
                         capture_output=True, text=True, timeout=600)
    if check and out.returncode != 0:
        raise AssertionError(f"exit {out.returncode}: {out.stderr}")
    return out


@pytest.fixture()
def small_csv(tmp_path, adult_small) -> Path:
    path = tmp_path / "adult small.csv"
    adult_small.to_csv(path, index=False)
    return path


def test_add_generate_import_list_export(tmp_path, small_csv, adult_small):
    db = tmp_path / "cli.duckdb"
    # datasets add prints the id
    ds = cli(db, "datasets", "add", str(small_csv), "--name", "Adult small", "--target", "class",
             "--protected", "sex", "race").stdout.strip()
    assert len(ds) == 12
    listed = json.loads(cli(db, "datasets", "list", "--json").stdout)
    assert [d["id"] for d in listed] == [ds] and listed[0]["holdout_rows"] == 120
    # generate prints the run id
    run = cli(db, "generate", ds, "--generator", "gaussian_copula", "--rows", "300",
              "--seed", "2").stdout.strip()
    run2 = cli(db, "generate", ds, "--generator", "tvae", "--epochs", "1", "--rows", "50",
               "--param", "batch_size=100").stdout.strip()
    # import an external synthetic CSV
    ext = tmp_path / "external.csv"
    adult_small.sample(100, random_state=1).to_csv(ext, index=False)
    run3 = cli(db, "import", ds, str(ext)).stdout.strip()
    runs = json.loads(cli(db, "runs", "list", "--json").stdout)
    assert {r["id"]: (r["generator"], r["status"], r["n_rows"]) for r in runs} == {
        run: ("gaussian_copula", "complete", 300), run2: ("tvae", "complete", 50),
        run3: ("uploaded", "complete", 100)}
    assert "gaussian_copula" in cli(db, "runs", "list").stdout
    # export, with formulas neutralised
    out_csv, out_pq = tmp_path / "s.csv", tmp_path / "s.parquet"
    cli(db, "export", run, "--format", "csv", "-o", str(out_csv))
    cli(db, "export", run, "--format", "parquet", "-o", str(out_pq))
    assert len(pd.read_csv(out_csv)) == 300 and len(pd.read_parquet(out_pq)) == 300


def test_bad_input_is_one_line_and_exit_2(tmp_path, small_csv):
    db = tmp_path / "cli.duckdb"
    ds = cli(db, "datasets", "add", str(small_csv)).stdout.strip()
    cases = {
        ("generate", "nope", "--generator", "ctgan"):
            "error: There is no dataset 'nope'. List them with: python -m core datasets list",
        ("generate", ds, "--generator", "gan"):
            "error: There is no generator 'gan'. Choose one of: gaussian_copula, ctgan, tvae, "
            "copulagan, uploaded.",
        ("export", "zzz", "-o", str(tmp_path / "x.csv")):
            "error: There is no run 'zzz'. List them with: python -m core runs list",
        ("import", ds, str(tmp_path / "missing.csv")):
            f"error: There is no file '{tmp_path / 'missing.csv'}'. Check the path.",
        ("datasets", "add", str(small_csv), "--target", "nope"):
            "error: The schema has problems. Column 'nope' is not in the table. Valid columns: "
            "'age', 'workclass', 'fnlwgt', 'education', 'education-num', 'marital-status', "
            "'occupation', 'relationship', 'race', 'sex', 'capital-gain', 'capital-loss', "
            "'hours-per-week', 'native-country', 'class'.",
    }
    for args, message in cases.items():
        out = cli(db, *args, check=False)
        assert out.returncode == 2, args
        assert out.stderr.strip() == message
    # a duplicate add prints the existing id and says so
    again = cli(db, "datasets", "add", str(small_csv))
    assert again.stdout.strip() == ds and "already stored" in again.stderr


def test_failed_generator_exits_1_and_is_listed(tmp_path, adult_small):
    db = tmp_path / "cli.duckdb"
    tiny = tmp_path / "tiny.csv"
    adult_small.head(20).to_csv(tiny, index=False)
    ds = cli(db, "datasets", "add", str(tiny)).stdout.strip()
    out = cli(db, "generate", ds, "--generator", "ctgan", "--epochs", "1", check=False)
    assert out.returncode == 1
    assert "CTGAN needs at least 50 training rows; this dataset has 16." in out.stderr
    runs = json.loads(cli(db, "runs", "list", "--json").stdout)
    assert [r["status"] for r in runs] == ["failed"]


def test_cli_on_a_database_held_by_a_running_app_gets_a_clear_message(tmp_path):
    # Setup: a process that holds the file like the app does
    db = tmp_path / "held.duckdb"
    holder = subprocess.Popen(
        [sys.executable, "-c",
         f"from core.store import Store; s = Store({str(db)!r}); print('ready', flush=True); "
         "import time; time.sleep(60)"],
        cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "ready"
        # Run
        out = cli(db, "runs", "list", check=False)
        # Assert
        assert out.returncode == 2
        assert out.stderr.startswith(f"error: The database '{db}' is in use by another process "
                                     f"(PID {holder.pid})")
        assert "Traceback" not in out.stderr
    finally:
        holder.kill()
        holder.wait()
    time.sleep(0.1)
    assert cli(db, "runs", "list").returncode == 0  # free again once the holder is gone


def test_help_reads_well():
    out = subprocess.run([sys.executable, "-m", "core", "--help"], cwd=ROOT, capture_output=True,
                         text=True)
    assert out.returncode == 0
    for word in ("datasets", "generate", "import", "runs", "export", "evaluate", "compare",
                 "fidelity", "utility", "privacy", "fairness", "SYNTHREVIEW_DB"):
        assert word in out.stdout


# -- datasets add: tables as published (in-process: core.cli.main on a DuckDB file in tmp_path) --


def _add(db: Path, path: Path, *flags: str, capsys) -> tuple[str, list[str]]:
    """Run ``datasets add`` in this process; return the printed id and the stderr notes.

    Only the ``note:`` lines (load report, already stored); the picked roles have their own test.
    """
    from core.cli import main

    assert main(["--db", str(db), "datasets", "add", str(path), *flags]) == 0
    out = capsys.readouterr()
    return out.out.strip(), [x for x in out.err.strip().splitlines() if x.startswith("note: ")]


def _rows(db: Path, dataset_id: str) -> tuple[pd.DataFrame, dict]:
    from core.datasets import get_dataset, load_dataset
    from core.store import open_store

    store = open_store(db)
    return load_dataset(store, dataset_id).rows, get_dataset(store, dataset_id).load_report


def test_datasets_add_loads_records_as_published_and_prints_the_renames(tmp_path, capsys):
    from core.io import messages as msg
    from tests.published import RECORDS_COLUMNS, RECORDS_EXPECTED, records_csv

    # Setup
    db, path = tmp_path / "cli.duckdb", tmp_path / "records.csv"
    path.write_bytes(records_csv())
    # Run
    ds, notes = _add(db, path, capsys=capsys)
    # Assert
    assert notes == [
        "note: " + msg.NOTE_RENAMED_DUPLICATE.format(position=18, original="decile_score",
                                                     name="decile_score_2"),
        "note: " + msg.NOTE_RENAMED_DUPLICATE.format(position=19, original="priors_count",
                                                     name="priors_count_2")]
    rows, report = _rows(db, ds)
    assert list(rows.columns) == RECORDS_COLUMNS
    assert {r["original"]: r["name"] for r in report["renamed"]} == RECORDS_EXPECTED["renames"]


def test_datasets_add_census_markers_and_the_na_flags(tmp_path, capsys):
    from core.io import messages as msg
    from tests.published import census_csv

    # Setup
    db, path = tmp_path / "cli.duckdb", tmp_path / "census.csv"
    path.write_bytes(census_csv())
    counts = {"MSP": 283, "PINCP": 283, "POVPIP": 65, "NOC": 595, "INDP": 968}
    # Run: default, detection off, and --na N with detection off
    auto, auto_notes = _add(db, path, capsys=capsys)
    off, off_notes = _add(db, path, "--no-auto-na", capsys=capsys)
    na, na_notes = _add(db, path, "--no-auto-na", "--na", "N", "--na", "X", capsys=capsys)
    # Assert
    assert auto_notes == ["note: " + msg.NOTE_MARKER.format(column=c, token="N", count=n)
                          for c, n in counts.items()]
    rows, report = _rows(db, auto)
    assert rows["PINCP"].dtype == "float64" and int(rows["PINCP"].isna().sum()) == 283
    assert [(m["column"], m["token"], m["count"]) for m in report["markers"]] == [
        (c, "N", n) for c, n in counts.items()]
    assert off != auto and off_notes == []
    rows, report = _rows(db, off)
    assert rows["PINCP"].dtype == object and (rows["PINCP"] == "N").sum() == 283
    assert report["auto_na"] is False and report["markers"] == []
    # --na N reads every N as missing: the same table as detection gave, so already stored
    assert na == auto
    assert na_notes == [f"note: this table is already stored as dataset {auto} (census)"]


def test_datasets_add_na_flag_reaches_columns_detection_leaves_alone(tmp_path, capsys):
    # Setup: 'K' is not a listed marker, so only --na K makes 'v' numeric
    db, path = tmp_path / "cli.duckdb", tmp_path / "k.csv"
    path.write_text("v,w\n" + "".join(f"{i},{'K' if i % 7 == 0 else i}\n" for i in range(1, 40)))
    # Run
    plain, _ = _add(db, path, capsys=capsys)
    with_k, _ = _add(db, path, "--na", "K", capsys=capsys)
    # Assert
    assert _rows(db, plain)[0]["w"].dtype == object
    rows, report = _rows(db, with_k)
    assert rows["w"].dtype == "float64" and int(rows["w"].isna().sum()) == 5
    assert report["nulls_mapped"] == {"K": 5} and report["na_values"] == ["K"]


def test_schema_show_set_type_and_set_roles(tmp_path):
    # Setup: a records-shaped table added without roles
    from tests.published import RECORDS_COLUMNS, RECORDS_IDENTIFIERS, records_frame

    db, path = tmp_path / "cli.duckdb", tmp_path / "records.csv"
    records_frame(300).to_csv(path, index=False)
    added = cli(db, "datasets", "add", str(path))
    ds = added.stdout.strip()
    # Assert: stdout is the id alone; the picks are said on stderr with the way to change them
    assert len(ds) == 12
    assert (f"picked target: two_year_recid; change with: python -m core datasets set-roles {ds} "
            "--target COLUMN") in added.stderr.splitlines()
    assert "picked quasi-identifiers: " in added.stderr
    assert "left out as identifiers: id (the name looks like a direct identifier); " in added.stderr
    # Run: show --json
    shown = json.loads(cli(db, "datasets", "show", ds, "--json").stdout)
    cols = {c["name"]: c for c in shown["columns"]}
    assert list(cols) == RECORDS_COLUMNS
    assert {n for n, c in cols.items() if c["sdtype"] == "identifier"} == set(RECORDS_IDENTIFIERS)
    assert cols["first"]["reason"].endswith("of the values read as person names")
    assert cols["two_year_recid"]["roles"] == ["target"] and shown["target"] == "two_year_recid"
    assert "quasi-identifier" in cols["dob"]["roles"] and "dob" in shown["quasi_identifiers"]
    assert shown["schema_version"] == 1 and shown["load_report"]["rows_read"] == 300
    # Run: set-type and set-roles make new versions
    assert cli(db, "datasets", "set-type", ds, "decile_score", "numerical").stdout.strip() == (
        "schema version 2")
    assert cli(db, "datasets", "set-roles", ds, "--target", "sex", "--protected", "race",
               "--quasi").stdout.strip() == "schema version 3"
    shown = json.loads(cli(db, "datasets", "show", ds, "--json").stdout)
    cols = {c["name"]: c for c in shown["columns"]}
    assert cols["decile_score"]["sdtype"] == "numerical"
    assert cols["decile_score"]["reason"] == "set by the user"
    assert (shown["target"], shown["protected"], shown["quasi_identifiers"]) == (
        "sex", ["race"], [])
    assert cols["sex"]["roles"] == ["target"] and shown["schema_version"] == 3
    # Bad input: one line, exit 2, schema unchanged
    valid = ", ".join(repr(c) for c in RECORDS_COLUMNS)
    cases = {
        ("set-type", ds, "nope", "categorical"):
            f"error: Column 'nope' is not in the table. Valid columns: {valid}.",
        ("set-type", ds, "age", "text"):
            "error: Column 'age' has type 'text'. Choose one of: numerical, categorical, "
            "datetime, boolean, identifier.",
        ("set-roles", ds, "--target", "email"):
            "error: The schema has problems. The target column 'email' is marked as an "
            "identifier, so it is excluded from synthesis. Choose another target or change its "
            "type.",
        ("set-roles", ds): "error: Give at least one of --target, --protected or --quasi.",
    }
    for args, message in cases.items():
        out = cli(db, "datasets", *args, check=False)
        assert (out.returncode, out.stderr.strip()) == (2, message), args
    text = cli(db, "datasets", "show", ds).stdout
    assert "schema version 3" in text.splitlines()[0]
    assert "load report:" in text and "  rows_read: 300" in text


@pytest.fixture()
def failing_run(tmp_path, adult_small):
    """A DuckDB file with an imported run whose stored report fails (columns age, sex, class)."""
    from core.datasets import add_dataset
    from core.metrics.value import MetricValue
    from core.runs import import_run
    from core.store import Store
    from core.store.reports import save_report
    from tests.core.figures.helpers import make_report

    db = tmp_path / "review.duckdb"
    store = Store(db)
    info, _ = add_dataset(store, adult_small, {"file_name": "a.csv"}, name="Adult small",
                          source_name="a.csv", target="class", protected=["sex"])
    run = import_run(store, info.id, adult_small.head(30).to_csv(index=False).encode(), "s.csv")
    report = make_report(
        [MetricValue("fidelity.column_shapes", "fidelity", (), value=0.5, score=0.5)],
        schema={"columns": [{"name": c, "sdtype": "categorical"} for c in ("age", "sex", "class")],
                "target": "class", "protected": ["sex"], "quasi_identifiers": []})
    report = type(report)(**{**report.__dict__, "run_id": run.id})
    assert report.verdict.outcome == "fail"
    save_report(store, report.to_json(), run.id, "k")
    store.close()
    return db, run.id


def test_review_from_the_cli_follows_the_review_pages_rules(failing_run, tmp_path):
    # Setup
    db, run = failing_run
    # Run: decide every column, one of them rejected without then with a comment
    no_comment = cli(db, "review", "decide", run, "age", "--decision", "reject", "--reviewer",
                     "Dana", check=False)
    cli(db, "review", "decide", run, "age", "--decision", "reject", "--reviewer", "Dana",
        "--comment", "tail cut off")
    cli(db, "review", "decide", run, "age", "--decision", "approve", "--reviewer", "Dana")
    early = cli(db, "review", "signoff", run, "--decision", "approved", "--reviewer", "Dana",
                "--reason", "fine", check=False)
    for col in ("sex", "class"):
        cli(db, "review", "decide", run, col, "--decision", "approve", "--reviewer", "Dana")
    # the verdict is FAIL: approving without an override is refused in one line
    refused = cli(db, "review", "signoff", run, "--decision", "approved", "--reviewer", "Dana",
                  "--reason", "fine", check=False)
    signed = cli(db, "review", "signoff", run, "--decision", "approved", "--reviewer", "Dana",
                 "--reason", "fine", "--override", "pilot only; the board accepted it")
    shown = json.loads(cli(db, "review", "show", run, "--json").stdout)
    text = cli(db, "review", "show", run).stdout
    # Assert
    assert (no_comment.returncode, no_comment.stderr.strip()) == (2, (
        "error: Rejecting column 'age' needs a comment saying what is wrong. Write one, then "
        "reject again."))
    assert early.returncode == 2 and "2 of 3 columns have no decision" in early.stderr
    assert (refused.returncode, refused.stderr) == (2, (
        f"error: Run '{run}' cannot be approved without an override: its verdict is FAIL. Write "
        "an override reason saying why you approve it anyway (--override in the CLI), or reject "
        "the run.\n"))
    assert signed.stdout.strip() == (
        f"run {run} signed off as approved with override: pilot only; the board accepted it by "
        "Dana")
    assert (shown["verdict"], shown["columns_decided"], shown["columns"]) == ("fail", 3, 3)
    assert [(d["target"], d["decision"]) for d in shown["decisions"]] == [
        ("age", "approve"), ("sex", "approve"), ("class", "approve")]
    assert shown["signoff"]["override"] == "pilot only; the board accepted it"
    assert shown["signoff"]["label"] == "approved with override: pilot only; the board accepted it"
    assert "sign-off: approved with override: pilot only; the board accepted it by Dana" in text


def test_the_cli_exports_no_data_of_a_rejected_run(failing_run, tmp_path):
    # Setup
    db, run = failing_run
    for col in ("age", "sex", "class"):
        cli(db, "review", "decide", run, col, "--decision", "approve", "--reviewer", "Dana")
    cli(db, "review", "signoff", run, "--decision", "rejected", "--reviewer", "Dana",
        "--reason", "column shapes too far off")
    out = tmp_path / "s.csv"
    # Run
    refused = cli(db, "export", run, "-o", str(out), check=False)
    needless = cli(db, "review", "signoff", run, "--decision", "rejected", "--reviewer", "Dana",
                   "--reason", "r", "--override", "x", check=False)
    # Assert
    assert refused.returncode == 2 and not out.exists()
    assert refused.stderr.startswith(
        f"error: The synthetic data of run '{run}' cannot be exported: it was signed off as "
        "rejected by Dana at ")
    assert "(column shapes too far off)" in refused.stderr
    assert needless.returncode == 2 and "needs no override" in needless.stderr
