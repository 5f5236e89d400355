"""The arrows point down: cli -> ui/serve -> practice -> lessons -> engine; progress and
sandbox stand apart.

Checked on the source with `ast`, so a lazy import inside a function counts too.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import tutor

PACKAGE = Path(tutor.__file__).parent

# For each layer: the tutor subpackages and third-party roots it must never import.
FORBIDDEN: dict[str, set[str]] = {
    "engine": {"tutor.ui", "tutor.serve", "tutor.lessons", "tutor.practice", "tutor.progress",
               "tutor.commands", "tutor.cli", "textual", "textual_plotext", "plotext", "numpy",
               "asyncssh"},
    "lessons": {"tutor.ui", "tutor.serve", "tutor.practice", "tutor.progress", "tutor.commands",
                "tutor.cli", "textual", "textual_plotext", "asyncssh"},
    "practice": {"tutor.ui", "tutor.serve", "tutor.progress", "tutor.commands", "tutor.cli",
                 "textual", "textual_plotext", "plotext", "asyncssh"},
    "progress": {"tutor.ui", "tutor.serve", "tutor.lessons", "tutor.practice", "tutor.engine",
                 "tutor.commands", "tutor.cli", "textual", "sympy", "asyncssh"},
    "ui": {"tutor.serve", "tutor.commands", "tutor.cli", "asyncssh"},
    "serve": {"tutor.ui", "tutor.commands", "tutor.cli", "textual"},
    # The sandbox stands apart like progress: callers hand it cases and compare the numbers.
    "sandbox": {"tutor.ui", "tutor.serve", "tutor.lessons", "tutor.practice", "tutor.progress",
                "tutor.engine",
                "tutor.commands", "tutor.cli", "textual", "textual_plotext", "plotext",
                "numpy", "asyncssh"},
}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def _violations(layer: str) -> list[str]:
    found = []
    for path in sorted((PACKAGE / layer).rglob("*.py")):
        for name in _imports(path):
            for banned in FORBIDDEN[layer]:
                if name == banned or name.startswith(banned + "."):
                    found.append(f"{path.relative_to(PACKAGE)} imports {name}")
    return found


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_layer_imports_point_down(layer: str) -> None:
    assert (PACKAGE / layer).is_dir(), f"tutor/{layer} is missing"
    assert _violations(layer) == []


def test_the_checker_sees_a_violation(tmp_path: Path) -> None:
    """Guard against a checker that can never fail."""
    bad = tmp_path / "bad.py"
    bad.write_text("def f():\n    from textual.app import App\n", encoding="utf-8")
    assert "textual.app" in _imports(bad)
