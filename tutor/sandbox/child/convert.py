"""Turn what learner code returned or raised into plain JSON data (runs in the child).

The learner's code shares this process, so nothing here is a security boundary:
the parent validates every line it reads again. What this module does is give
an honest learner a precise sentence (the line of *their* code, the kind of
value they returned) without ever calling methods of their objects: values are
accepted by exact type, so an object with an odd `__eq__`, `__float__` or
`__iter__` is named, never used.
"""

from __future__ import annotations

import traceback
from typing import Any

LEARNER_FILE = "<your code>"
MAX_NUMBERS = 10_000
MAX_DEPTH = 3
MAX_MESSAGE = 240
BIG_INT = 2**53


class NotNumbers(Exception):
    """The returned value is not a number or a (nested) list of numbers."""


def to_numbers(value: Any, depth: int = 0, budget: list[int] | None = None) -> Any:
    """Plain ints/floats/lists for `value`, or NotNumbers with a sentence."""
    budget = [MAX_NUMBERS] if budget is None else budget
    kind = type(value)
    if kind is list or kind is tuple:
        if depth >= MAX_DEPTH:
            raise NotNumbers(f"lists nested more than {MAX_DEPTH} deep")
        if len(value) > budget[0]:
            raise NotNumbers(f"more than {MAX_NUMBERS:,} numbers")
        return [to_numbers(item, depth + 1, budget) for item in value]
    budget[0] -= 1
    if budget[0] < 0:
        raise NotNumbers(f"more than {MAX_NUMBERS:,} numbers")
    return _number(value, kind)


def _number(value: Any, kind: type) -> int | float:
    if kind is float:
        return value
    if kind is int:
        return value if -BIG_INT < value < BIG_INT else _big(value)
    if kind is bool:
        raise NotNumbers(f"{value} (yes or no), not a number")
    sympy_number = _sympy_number(value, kind)
    if sympy_number is not None:
        return sympy_number
    raise NotNumbers(f"a value of type {_type_name(kind)}, not a number or a list of numbers")


def _big(value: int) -> float:
    try:
        return float(value)
    except OverflowError:
        raise NotNumbers("a whole number too large for a float") from None


def _sympy_number(value: Any, kind: type) -> float | None:
    """float() of a SymPy or mpmath number; a sentence for a SymPy expression."""
    module = getattr(kind, "__module__", "") or ""
    if module.startswith("mpmath.") and kind.__name__ == "mpf":
        return float(value)
    if not module.startswith("sympy."):
        return None
    if getattr(value, "is_Number", False) is True:
        return float(value)
    raise NotNumbers(f"the SymPy expression {str(value)[:60]}, not a number: substitute a "
                     "number for x, or call the function lambdify made")


def _type_name(kind: type) -> str:
    name = getattr(kind, "__name__", "value")
    return name if isinstance(name, str) else "value"


def learner_line(error: BaseException) -> int | None:
    """The line of the learner's code nearest to where `error` was raised."""
    line = None
    for frame, lineno in traceback.walk_tb(error.__traceback__):
        if frame.f_code.co_filename == LEARNER_FILE:
            line = lineno
    if line is None and isinstance(error, SyntaxError) and error.filename == LEARNER_FILE:
        line = error.lineno
    return line


def describe(error: BaseException, fallback_line: int | None = None) -> dict[str, Any]:
    """One sentence for the learner about `error`, at their own line."""
    line = learner_line(error) or fallback_line
    kind = "memory" if isinstance(error, MemoryError) else "error"
    text = _error_text(error)
    prefix = f"line {line}: " if line else ""
    return {"error": clip(prefix + text), "line": line, "kind": kind}


def _error_text(error: BaseException) -> str:
    name = type(error).__name__
    if isinstance(error, MemoryError):
        return "MemoryError: your code used more memory than the sandbox allows"
    if isinstance(error, SystemExit):
        return "SystemExit: your code called sys.exit(); return the result instead"
    if isinstance(error, SyntaxError):
        return f"{name}: {error.msg}"
    detail = _safe_str(error)
    return f"{name}: {detail}" if detail else name


def _safe_str(error: BaseException) -> str:
    try:
        text = str(error)
    except BaseException:  # a learner's exception class with a broken __str__
        return ""
    return text if isinstance(text, str) else ""


def clip(text: str) -> str:
    """Printable text of at most MAX_MESSAGE characters on one line."""
    first = text.splitlines()[0] if text else ""
    flat = "".join(ch if ch.isprintable() else " " for ch in first[: MAX_MESSAGE * 2])
    return flat if len(flat) <= MAX_MESSAGE else flat[: MAX_MESSAGE - 1] + "…"
