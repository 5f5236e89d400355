"""No import circle among tutor modules.

Read from the source with `ast`, so an import inside a function counts too: a
lazy import hides a circle from Python but not from a reader of the map.
"""

from __future__ import annotations

import ast
from pathlib import Path

import tutor

PACKAGE = Path(tutor.__file__).parent


def _module_name(path: Path, root: Path) -> str:
    """`root/tutor/lessons/claims.py` -> `tutor.lessons.claims` (a package is its `__init__`)."""
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _absolute(node: ast.ImportFrom, module: str, is_package: bool) -> str:
    """The absolute module an `ImportFrom` names (resolving `from . import x`)."""
    if node.level == 0:
        return node.module or ""
    base = module.split(".")
    if not is_package:
        base.pop()
    base = base[: len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def _targets(tree: ast.AST, module: str, is_package: bool, known: set[str]) -> set[str]:
    """The tutor modules one module imports, anywhere in its body."""
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            source = _absolute(node, module, is_package)
            for alias in node.names:
                # `from tutor.lessons import claims` imports the submodule `claims`;
                # `from tutor.engine import minimize` imports the package `tutor.engine`.
                submodule = f"{source}.{alias.name}"
                found.add(submodule if submodule in known else source)
    return {name for name in found if name in known and name != module}


def import_graph(root: Path) -> dict[str, set[str]]:
    """Module name -> the package's modules it imports (edges of the import map)."""
    paths = {_module_name(path, root): path for path in sorted(root.rglob("*.py"))}
    known = set(paths)
    graph = {}
    for name, path in paths.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        graph[name] = _targets(tree, name, path.name == "__init__.py", known)
    return graph


def find_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every strongly connected group of two or more modules (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return groups


def test_no_import_cycle_in_tutor() -> None:
    cycles = find_cycles(import_graph(PACKAGE))
    assert cycles == [], "modules that import each other: " + "; ".join(
        " <-> ".join(group) for group in cycles)


def _package(root: Path, files: dict[str, str]) -> Path:
    for relative, text in files.items():
        path = root / "pkg" / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root / "pkg"


def test_the_checker_sees_a_circle_through_a_function_level_import(tmp_path: Path) -> None:
    """Guard against a checker that can never fail: the claims/recompute shape it was made for."""
    root = _package(tmp_path, {
        "__init__.py": "",
        "sub/__init__.py": "",
        "sub/a.py": "from pkg.sub.b import helper\n",
        "sub/b.py": "def f():\n    from pkg.sub import a\n    return a\n",
        "sub/c.py": "from . import a\n",
    })
    assert find_cycles(import_graph(root)) == [["pkg.sub.a", "pkg.sub.b"]]


def test_the_checker_resolves_relative_imports(tmp_path: Path) -> None:
    root = _package(tmp_path, {
        "__init__.py": "from .x import y\n",
        "x.py": "from . import z\n",
        "z.py": "import pkg.x\n",
    })
    assert find_cycles(import_graph(root)) == [["pkg.x", "pkg.z"]]
