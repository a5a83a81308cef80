"""The delete, purge, deletions and retention commands, as a user runs them."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from core.lifecycle.access import MSG_ROLE_CANNOT_DELETE
from core.lifecycle.purge import MSG_NOT_SIGNED_OFF
from tests.core.lifecycle.conftest import ID_MARKER, files_holding

ROOT = Path(__file__).resolve().parents[3]


def cli(db: Path, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    import os

    return subprocess.run([sys.executable, "-m", "core", "--db", str(db), *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=300,
                          env={**os.environ, **(env or {})})


def test_delete_purge_and_the_log_from_the_cli(two_files, monkeypatch):
    # Setup
    monkeypatch.delenv("SYNTHREVIEW_ROLE", raising=False)
    db, marked, other = two_files["path"], two_files["marked"], two_files["other"]
    # Run + Assert: the default role is viewer, which cannot delete
    refused = cli(db, "datasets", "delete", marked["dataset"], "--reason", "x", "--by", "Bob")
    assert refused.returncode == 2
    assert refused.stderr.strip() == "error: " + MSG_ROLE_CANNOT_DELETE.format(role="viewer")
    analyst = cli(db, "runs", "delete", marked["run"], "--reason", "x", "--role", "analyst")
    assert analyst.stderr.strip() == "error: " + MSG_ROLE_CANNOT_DELETE.format(role="analyst")
    # purge-real needs an approved sign-off, or --force
    no_signoff = cli(db, "datasets", "purge-real", marked["dataset"], "--reason", "x",
                     "--role", "reviewer")
    assert no_signoff.stderr.strip() == "error: " + " ".join(
        MSG_NOT_SIGNED_OFF.format(name="patients").split())
    purged = cli(db, "datasets", "purge-real", marked["dataset"], "--reason", "erasure request",
                 "--force", "--by", "Ada", env={"SYNTHREVIEW_ROLE": "reviewer"})
    assert purged.returncode == 0, purged.stderr
    assert purged.stdout.startswith(f"purged the real rows of dataset {marked['dataset']} "
                                    "(patients): 80 real rows, 0 synthetic rows")
    assert files_holding(two_files["folder"], ID_MARKER) == []
    # runs delete, then datasets delete
    assert cli(db, "runs", "delete", other["run"], "--reason", "bad fit", "--by", "Ada",
               "--role", "reviewer").returncode == 0
    deleted = cli(db, "datasets", "delete", other["dataset"], "--reason", "done", "--by", "Ada",
                  "--role", "reviewer")
    assert deleted.returncode == 0, deleted.stderr
    log = json.loads(cli(db, "deletions", "--json").stdout)
    assert [(e["kind"], e["target_id"], e["who"], e["forced"]) for e in log] == [
        ("dataset", other["dataset"], "Ada", False), ("run", other["run"], "Ada", False),
        ("purge_real", marked["dataset"], "Ada", True)]
    assert all(e["erased_at"] for e in log)
    table = cli(db, "deletions").stdout
    assert "erasure request" in table and "purge_real" in table
    assert cli(db, "retention", "run", "--days", "30").stdout.startswith("nothing to purge")
