"""Design boundaries: core never imports streamlit; pages hold no SQL."""

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_core_does_not_load_streamlit():
    code = (
        "import sys, importlib, pkgutil, core\n"
        "for m in pkgutil.walk_packages(core.__path__, 'core.'):\n"
        "    if m.name != 'core.__main__':\n"
        "        importlib.import_module(m.name)\n"
        "print('streamlit' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "False"


def test_pages_hold_no_sql_and_no_raw_html():
    sql = re.compile(r"\b(select|insert|update|delete)\b.+\b(from|into|set)\b", re.I)
    for path in [*ROOT.glob("pages/*.py"), ROOT / "app.py"]:
        text = path.read_text(encoding="utf-8")
        assert not sql.search(text), f"SQL-looking text in {path.name}"
        assert "unsafe_allow_html=True" not in text.replace(" ", ""), path.name


def test_pages_and_ui_use_typed_schema_and_run_state():
    # Setup: the schema is a Schema (not a dict) and "complete" is RunInfo.is_complete
    literal = re.compile(r"""==\s*["']complete["']|!=\s*["']complete["']|schema\[|schema\.get\(""")
    paths = [*ROOT.glob("pages/*.py"), *ROOT.glob("ui/*.py"), ROOT / "app.py"]

    # Assert
    offenders = [p.name for p in paths if literal.search(p.read_text(encoding="utf-8"))]
    assert not offenders, offenders


def test_page_files_are_numbered_in_sidebar_order():
    # Setup: the sidebar order is ui/nav.py's PAGES (read as text: ui imports streamlit)
    nav = (ROOT / "ui" / "nav.py").read_text(encoding="utf-8")
    listed = re.findall(r'"pages/(\d+)_\w+\.py"', nav)
    files = sorted(int(p.name.split("_", 1)[0]) for p in ROOT.glob("pages/*.py"))

    # Assert: every page listed, numbered 0, 1, 2, ... in the order it appears
    assert [int(n) for n in listed] == list(range(len(listed))) == files
