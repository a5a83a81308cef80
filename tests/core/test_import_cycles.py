"""No import cycle inside ``core/``: function-level imports count too.

Each ``core`` module's imports are read from its source (module level, inside functions and
classes alike; only ``if TYPE_CHECKING:`` blocks are left out, as they never run). An import
``from core.a import b`` points at the module ``core.a.b`` when there is one, else at ``core.a``.
A cycle is a strongly connected set of two or more modules, or a module importing itself.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CORE = ROOT / "core"


def _modules() -> dict[str, Path]:
    out = {}
    for path in CORE.rglob("*.py"):
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = path
    return out


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _imports(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()

    def target(dotted: str) -> str | None:
        while dotted and dotted not in modules:
            dotted = dotted.rpartition(".")[0]
        return dotted or None

    def visit(node: ast.AST) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and _is_type_checking(child):
                for sub in child.orelse:
                    visit(sub)
                continue
            if isinstance(child, ast.Import):
                for alias in child.names:
                    if alias.name.startswith("core"):
                        found.add(target(alias.name))
            elif isinstance(child, ast.ImportFrom):
                base = child.module or ""
                if child.level:
                    up = package.split(".")[: len(package.split(".")) - child.level + 1]
                    base = ".".join([*up, base] if base else up)
                if base.startswith("core"):
                    for alias in child.names:
                        sub = f"{base}.{alias.name}"
                        found.add(sub if sub in modules else target(base))
            visit(child)

    visit(tree)
    found.discard(None)
    return found


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's strongly connected components of size > 1 (or a self-loop)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    out: list[list[str]] = []
    counter = [0]

    def strong(v: str) -> None:
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                strong(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1 or v in graph.get(v, ()):
                out.append(sorted(comp))

    for v in sorted(graph):
        if v not in index:
            strong(v)
    return out


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    return {name: _imports(name, path, modules) - {None} for name, path in modules.items()}


def test_core_has_no_import_cycle():
    cycles = _cycles(_graph())
    assert not cycles, "import cycles in core/: " + "; ".join(" <-> ".join(c) for c in cycles)


def test_the_cycle_finder_sees_a_function_level_cycle():
    # Setup: a -> b at module level, b -> a inside a function (the kind of cycle it must catch)
    graph = {"core.a": {"core.b"}, "core.b": {"core.a"}, "core.c": {"core.a"}}

    # Run
    cycles = _cycles(graph)

    # Assert
    assert cycles == [["core.a", "core.b"]]


def test_the_import_reader_counts_imports_inside_functions(tmp_path):
    # Setup
    mod = tmp_path / "m.py"
    mod.write_text(
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    from core.store.db import Store\n"
        "def f():\n    from core.store import runs\n    import core.errors\n"
    )
    modules = _modules()

    # Run
    found = _imports("core.m", mod, modules)

    # Assert
    assert found == {"core.store.runs", "core.errors"}
