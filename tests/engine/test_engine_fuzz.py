"""A seeded grammar fuzz of parse + diff + compile: only refusals, never internal errors.

The generator and the check are benchmarks/fuzz_parser.py's (which runs
10,000 functions, with the shapes that once hung at full size); here 500
functions with those shapes kept small, in this process. Each must compile or
be refused with one sentence (ParseError / EngineInputError), evaluate to
floats without raising, and use under a second of this thread's CPU time.
"""

from __future__ import annotations

import importlib.util
import time
from pathlib import Path
from types import ModuleType

import pytest

FUZZ = Path(__file__).resolve().parents[2] / "benchmarks" / "fuzz_parser.py"


def _fuzz_module() -> ModuleType:
    """benchmarks/fuzz_parser.py, imported from its path (benchmarks is not a package)."""
    spec = importlib.util.spec_from_file_location("fuzz_parser", FUZZ)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.timeout(240)
def test_500_generated_functions_are_compiled_or_refused_quickly() -> None:
    fuzz = _fuzz_module()
    fuzz.check("x^2")  # first-use imports are not the function's cost
    problems, statuses = [], {"accepted": 0, "refused": 0}
    for text in fuzz.functions(500, seed=20261206, heavy=False):
        start = time.thread_time()
        status, detail = fuzz.check(text)
        cpu = time.thread_time() - start
        if status == "internal" or cpu >= 1.0:
            problems.append((text, status, detail, round(cpu, 2)))
        else:
            statuses[status] += 1
    assert problems == []
    assert statuses["accepted"] > 100 and statuses["refused"] > 100  # both kinds were tried


def test_the_generator_is_seeded_and_stays_within_the_length_limit() -> None:
    fuzz = _fuzz_module()
    first = fuzz.functions(200, seed=7)
    assert first == fuzz.functions(200, seed=7) != fuzz.functions(200, seed=8)
    assert all(0 < len(text) <= 500 for text in first)
    heavy = "".join(fuzz.functions(300, seed=7))
    assert "abs(" in heavy and "2^1000" in heavy and "e-" in heavy
