"""Read a code exercise's own keys (entry, starter, signature, cases, reference, mistakes,
check) into a `CodeSpec`, noting every problem at its key's line.

Only the shape is checked here (no engine, no sandbox): `check-lessons` runs the
reference and the catalogued mistakes (tutor.practice.review).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Any

from tutor.lessons.model import CodeSpec
from tutor.lessons.schema import CODE_CASE_KEYS, CODE_CHECKS, MAX_CODE_CASES

Note = Callable[..., None]


def read_code_spec(data: Mapping[str, Any], note: Note, error: type[Exception]) -> CodeSpec:
    """The CodeSpec of a `kind: code` block; `error(message, key)` when it cannot be used."""
    entry = str(data.get("entry") or "").strip()
    if not entry.isidentifier():
        raise error("a 'code' exercise needs 'entry:', the name of the learner's function "
                    "(e.g. entry: gradient_descent).", "entry")
    reference = data.get("reference")
    if not isinstance(reference, str) or f"def {entry}" not in reference:
        raise error(f"a 'code' exercise needs 'reference:', a solution defining {entry}().",
                    "reference")
    check = str(data.get("check", "path"))
    if check not in CODE_CHECKS:
        raise error(f"unknown code check '{check}' (use {', '.join(CODE_CHECKS)}).", "check")
    return CodeSpec(entry=entry, cases=_cases(data.get("cases"), error), reference=reference,
                    starter=str(data.get("starter") or ""),
                    signature=str(data.get("signature") or "").strip(),
                    mistakes=_mistakes(data.get("mistakes"), note), check=check)


def _cases(value: Any, error: type[Exception]) -> tuple[Mapping[str, Any], ...]:
    if not isinstance(value, list) or not value:
        raise error("a 'code' exercise needs 'cases:', a list such as "
                    "[{function: x^2, start: 3, rate: 0.1}].", "cases")
    if len(value) > MAX_CODE_CASES:
        raise error(f"at most {MAX_CODE_CASES} cases per code exercise.", "cases")
    cases = []
    for item in value:
        if not isinstance(item, dict) or not item:
            raise error("each case is a mapping such as {function: x^2, start: 3, rate: 0.1}.",
                        "cases")
        unknown = sorted(set(map(str, item)) - set(CODE_CASE_KEYS))
        if unknown:
            raise error(f"unknown case key '{unknown[0]}' (use {', '.join(CODE_CASE_KEYS)}).",
                        "cases")
        for key, number in item.items():
            if key != "function" and not _numbers(number):
                raise error(f"case key '{key}' must be a finite number (or a list of them).",
                            "cases")
        cases.append(dict(item))
    return tuple(cases)


def _numbers(value: Any) -> bool:
    if isinstance(value, list):
        return bool(value) and all(_numbers(v) for v in value)
    return isinstance(value, (int, float)) and not isinstance(value, bool) \
        and math.isfinite(value)


def _mistakes(value: Any, note: Note) -> tuple[str, ...]:
    if value is None:
        return ()
    names = [value] if isinstance(value, str) else value
    if not isinstance(names, list):
        note("'mistakes' must be a list of catalogue keys.", "mistakes")
        return ()
    return tuple(str(name) for name in names)
