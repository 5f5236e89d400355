"""Where a learner's code has a mistake's shape (read with `ast.parse`, never run).

Some mistakes give the same numbers as another (a `return` inside the loop and an
inverted stop test both return two guesses), so numbers alone cannot tell them apart:
these finders look at the code's shape and give the learner's line, so the verdict
names the mistake that is really there, at its own line. Each finder returns None when
the code does not have the shape (or cannot be read).
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator


def _tree(source: str) -> ast.AST | None:
    try:
        return ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None


def _loops(source: str) -> Iterator[ast.For | ast.While]:
    tree = _tree(source)
    if tree is not None:
        for node in ast.walk(tree):
            if isinstance(node, (ast.For, ast.While)):
                yield node


def return_in_loop(source: str) -> int | None:
    """The line of the first `return` standing in a loop's body itself (not under an `if`
    there: `if step < precision: return x_list` is a right way to stop)."""
    lines = [s.lineno for loop in _loops(source) for s in loop.body if isinstance(s, ast.Return)]
    return min(lines) if lines else None


def _names(node: ast.AST) -> set[str]:
    return {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}


def _breaks(node: ast.stmt) -> bool:
    return isinstance(node, ast.If) and any(isinstance(n, ast.Break) for n in ast.walk(node))


def _updates(node: ast.stmt) -> bool:
    """An assignment to new_x, or whose value uses the learning rate (the update line)."""
    if not isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign)) or node.value is None:
        return False
    targets = node.targets if isinstance(node, ast.Assign) else [node.target]
    return any(isinstance(t, ast.Name) and t.id == "new_x" for t in targets) or \
        any(re.search(r"rate", name) for name in _names(node.value))


def stop_before_update(source: str) -> int | None:
    """The line of an `if ...: break` in a loop's body that comes before the update line."""
    for loop in _loops(source):
        update = next((i for i, s in enumerate(loop.body) if _updates(s)), None)
        stop = next((i for i, s in enumerate(loop.body) if _breaks(s)), None)
        if update is not None and stop is not None and stop < update:
            return loop.body[stop].lineno
    return None


def update_in_loop(source: str) -> int | None:
    """The line of the first update (an assignment using the learning rate) or return
    standing in a loop's body itself."""
    lines = [s.lineno for loop in _loops(source) for s in loop.body
             if isinstance(s, ast.Return) or _updates(s)]
    return min(lines) if lines else None


def indent_last_return(reference: str) -> str:
    """The reference with its last `return` (and the lines it continues on) moved into the
    loop above it: how a learner writes a return inside the loop."""
    lines = reference.rstrip("\n").split("\n")
    start = max(i for i, line in enumerate(lines) if line.lstrip().startswith("return"))
    return "\n".join(lines[:start] + ["    " + line for line in lines[start:]]) + "\n"


def stop_moved_up(reference: str) -> str:
    """The reference with its stop test moved right after `previous_x = new_x`."""
    lines = reference.rstrip("\n").split("\n")
    kept = [ln for ln in lines if not re.match(r"\s*(step_size\s*=|if\b.*precision|break\b)",
                                                ln)]
    at = next(i for i, ln in enumerate(kept) if re.match(r"\s*previous_x\s*=", ln))
    pad = kept[at][: len(kept[at]) - len(kept[at].lstrip())]
    test = [pad + "if abs(new_x - previous_x) < precision:", pad + "    break"]
    return "\n".join(kept[: at + 1] + test + kept[at + 1:]) + "\n"


__all__ = ["indent_last_return", "return_in_loop", "stop_before_update", "stop_moved_up",
           "update_in_loop"]
