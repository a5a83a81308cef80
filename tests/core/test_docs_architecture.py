"""docs/ARCHITECTURE.md names every package and top-level module of core/."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_architecture_names_every_core_package_and_module():
    # Setup
    text = (ROOT / "docs" / "ARCHITECTURE.md").read_text(encoding="utf-8")
    core = ROOT / "core"
    packages = [p.name + "/" for p in core.iterdir() if (p / "__init__.py").is_file()]
    modules = [p.name for p in core.glob("*.py") if p.name not in ("__init__.py", "__main__.py")]

    # Assert
    missing = [name for name in [*packages, *modules] if f"  {name}" not in text]
    assert not missing, f"docs/ARCHITECTURE.md does not name: {missing}"


def test_architecture_names_nothing_that_is_gone():
    # Setup: every `core/` layout line names a path that exists
    text = (ROOT / "docs" / "ARCHITECTURE.md").read_text(encoding="utf-8")
    layout = text.split("core/ ", 1)[1].split("cli.py", 1)[0]
    lines = [line for line in layout.splitlines()[1:] if line.strip()]
    named = [line.split()[0] for line in lines
             if line.startswith("  ") and not line.startswith("   ")]

    # Assert
    gone = [n for n in named if not (ROOT / "core" / n.rstrip("/")).exists()]
    assert named and not gone, gone
