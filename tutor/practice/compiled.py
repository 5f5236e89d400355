"""Functions compiled once per text: the Objective (and its printed derivative) of a typed
function, shared by reading (to count its variables) and running."""

from __future__ import annotations

from functools import lru_cache
from typing import Any


@lru_cache(maxsize=64)
def objective_of(function: str) -> Any:
    """The engine's Objective for a function's text, compiled once per text."""
    from tutor.engine import compile_objective

    return compile_objective(function)


@lru_cache(maxsize=64)
def derivative_of(function: str) -> str:
    """`f'(x) = 2*x` for `function` (SymPy's printing: call it from a worker first)."""
    return str(objective_of(function).derivative_text)
