"""Security journeys in Debian's headless Chromium against a real server.

(5) one session's upload, flash message and choices never reach another session (stored datasets
    are a shared workspace, visible in every session's list, by design);
(6) column names holding HTML or SQL are shown as plain text, never run;
(7) an uploaded file's name is never used as a path.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
from playwright.sync_api import expect

from tests.browser.conftest import ROOT, Server, main_text, nav, settle, wait_idle
from tests.browser.test_sessions import (
    ERROR_SELECTOR,
    choose,
    errors_shown,
    evaluated,  # noqa: F401 - a fixture
    new_page,
    served,  # noqa: F401 - a fixture
    sign_in,
    small_table,
)

XSS = "<img src=x onerror=alert(1)>"
SQL = '"; DROP TABLE runs;--'
UPLOAD_LABEL = re.compile(r"^CSV, Parquet or Excel \(\.xlsx\)")


def upload(page, file_name: str, data: bytes, name: str | None = None) -> None:  # noqa: ANN001
    """Upload bytes as ``file_name`` on the Data page and add them as a dataset."""
    nav(page, "Data")
    expander = page.get_by_text("Upload a table")
    if not page.get_by_test_id("stFileUploaderDropzoneInput").is_visible():
        expander.click()
    page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(
        {"name": file_name, "mimeType": "text/csv", "buffer": data})
    expect(page.get_by_role("button", name="Add dataset")).to_be_enabled(timeout=30_000)
    wait_idle(page)
    if name is not None:
        box = page.get_by_label("Dataset name")
        box.fill(name)
        box.press("Enter")
        settle(page)  # the name's rerun is over before the button is pressed
    page.get_by_role("button", name="Add dataset").click()
    added = page.get_by_text(re.compile(r"Added dataset [0-9a-f]{12}"))
    added.or_(page.locator(ERROR_SELECTOR)).first.wait_for()
    assert added.count() == 1, f"no 'Added dataset' after the click; the page: {main_text(page)}"
    wait_idle(page)


def current_dataset(page) -> str:  # noqa: ANN001
    """The label shown in the Data page's "Current dataset" selectbox."""
    field = page.get_by_test_id("stSelectbox").filter(has_text="Current dataset")
    return field.locator("input").input_value()


def test_one_sessions_upload_does_not_leak_into_another(served, evaluated, browser):  # noqa: F811
    # Setup: B signs in on Review with the stored run; A is on the Data page
    a, b = new_page(browser), new_page(browser)
    try:
        b.goto(served.url + "/Review")
        wait_idle(b)
        sign_in(b, "Bea")
        b_run = b.get_by_test_id("stSelectbox").filter(has_text="Run").locator("input")\
            .input_value()
        a.goto(served.url + "/Data")
        wait_idle(a)

        # Run: A uploads a table and makes it current
        upload(a, "a_private.csv", small_table(40, seed=7).to_csv(index=False).encode(),
               name="A private")
        a_current = current_dataset(a)
        nav(b, "Data")
        b_current = current_dataset(b)
        b_flash = b.get_by_text(re.compile(r"Added dataset")).count()
        b_options = b.get_by_test_id("stSelectbox").filter(has_text="Current dataset")
        b_options.locator("input").click()
        listed = [o.inner_text() for o in b.get_by_role("option").all()]
        b.keyboard.press("Escape")
        nav(b, "Review")
        b_run_after = b.get_by_test_id("stSelectbox").filter(has_text="Run").locator("input")\
            .input_value()
        shown_errors = errors_shown(a) + errors_shown(b)
    finally:
        a.context.close()
        b.context.close()

    # Assert: A's dataset is A's current one; B's current dataset, run and name are unchanged
    # and B saw no flash of A's; the stored dataset is listed for B (a shared workspace).
    assert a_current.startswith("A private · 40 rows")
    assert b_current.startswith(f"Small mixed · 1,500 rows · {evaluated.dataset_id}")
    assert b_flash == 0
    assert any(o.startswith("A private") for o in listed)
    assert b_run_after == b_run and evaluated.run_id in b_run
    assert shown_errors == []


def weird_table(rows: int, seed: int = 0) -> pd.DataFrame:
    """A small table two of whose column names hold HTML and SQL."""
    df = small_table(rows, seed)
    return df.rename(columns={"income": XSS, "city": SQL})


@pytest.fixture()
def weird_server(tmp_path: Path) -> Iterator[tuple[Server, str]]:
    from core.datasets import add_upload
    from core.evaluation import evaluate_run
    from core.runs import import_run
    from core.store import Store

    db = tmp_path / "db" / "synthreview.duckdb"
    db.parent.mkdir(parents=True)
    store = Store(db)
    try:
        info, _, _ = add_upload(store, weird_table(300).to_csv(index=False).encode(),
                                "weird.csv", name="Weird evaluated")
        run = import_run(store, info.id, weird_table(300, seed=1).to_csv(index=False).encode(),
                         "weird_synthetic.csv")
        evaluate_run(store, run.id)
    finally:
        store.close()
    srv = Server(db).start()
    try:
        yield srv, info.id
    finally:
        srv.kill()


def test_html_and_sql_column_names_are_shown_as_plain_text(weird_server, browser):
    # Setup
    srv, dataset_id = weird_server
    page = new_page(browser)
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    seen: dict[str, tuple[int, int, int]] = {}

    def look(where: str) -> None:
        seen[where] = (page.locator('img[src="x"]').count(), page.get_by_text(XSS).count(),
                       page.get_by_text(SQL).count())

    try:
        page.goto(srv.url + "/Data")
        wait_idle(page)

        # Run: upload a CSV with those names, then look at Data, Preview and Fidelity
        upload(page, "weird_upload.csv", weird_table(50, seed=3).to_csv(index=False).encode(),
               name="Weird upload")
        look("data")
        choose(page, "Current dataset", f"Weird evaluated · 300 rows · {dataset_id}")
        wait_idle(page)
        nav(page, "Preview")  # at once: the pick holds even if the Data page had not redrawn
        stats = page.get_by_role("heading", name="Per-column statistics")
        stats.or_(page.get_by_text("No complete run for this dataset yet.")).first\
            .wait_for(timeout=60_000)
        assert stats.count() == 1, f"Preview is not on the picked dataset: {main_text(page)}"
        look("preview")
        nav(page, "Fidelity")
        page.locator(".main-svg").first.wait_for()
        wait_idle(page)
        look("fidelity")
        titles = [t.text_content() for t in page.locator(".gtitle").all()]
        shown_errors = errors_shown(page)
    finally:
        page.context.close()
    srv.kill()
    from core.runs import list_runs
    from core.store import Store

    store = Store(srv.db)
    try:
        runs = list_runs(store, None)
    finally:
        store.close()

    # Assert: no <img src=x>, no dialog; the names are text on every page and in a plot title
    assert dialogs == []
    assert all(v[0] == 0 for v in seen.values()), seen
    # Data and Preview draw their tables on a canvas (st.dataframe / st.data_editor), so the
    # names are DOM text there only in places; the Fidelity page's plots carry both.
    assert seen["data"][1] + seen["data"][2] > 0, seen
    assert seen["fidelity"][1] > 0 and seen["fidelity"][2] > 0, seen
    assert any(t.startswith(f"{XSS}: ") for t in titles), titles
    assert shown_errors == []
    assert len(runs) == 1


def _files_named(root: Path, part: str) -> set[Path]:
    found = set()
    for folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if d not in {".venv", ".git", "node_modules"}]
        found.update(Path(folder) / f for f in files if part in f)
    return found


def test_an_uploaded_file_name_is_never_used_as_a_path(server, page, tmp_path):
    # Setup
    before_repo = _files_named(ROOT, "passwd")
    etc_before = sorted(os.listdir("/etc"))
    passwd_mtime = os.stat("/etc/passwd").st_mtime_ns
    db_folder_before = {p for p in tmp_path.rglob("*")}
    page.goto(server.url + "/Data")
    wait_idle(page)

    # Run
    upload(page, "../../etc/passwd.csv", small_table(30, seed=5).to_csv(index=False).encode())
    current = current_dataset(page)
    shown_errors = errors_shown(page)
    server.kill()

    # Assert: a dataset named from the file name; nothing written outside the DB folder
    assert re.match(r"^(\.\./\.\./etc/)?passwd · 30 rows · [0-9a-f]{12}$", current), current
    assert shown_errors == []
    assert _files_named(ROOT, "passwd") == before_repo
    assert sorted(os.listdir("/etc")) == etc_before
    assert os.stat("/etc/passwd").st_mtime_ns == passwd_mtime
    new_files = {p for p in tmp_path.rglob("*")} - db_folder_before
    assert all(p.is_relative_to(server.db.parent) or p == server.log for p in new_files), \
        new_files
