"""Errors in a learner's code said in words at the line where the trouble came in: a SymPy
formula or function where a number belongs, and an import the sandbox leaves out (the
learner's code runs in the real sandbox: the errors are Python's own)."""

from __future__ import annotations

import pytest

from tutor.lessons import default_lessons_dir, load_lessons
from tutor.practice import check_attempt
from tutor.practice.codeerrors import explain

WRITE_IT = next(e for lesson in load_lessons(default_lessons_dir()).lessons
                for e in lesson.exercises if e.id == "write-it")
SLOPE = "slope = df(previous_x)"
UPDATE = "new_x = previous_x - learning_rate * slope"
IMPORT = "from sympy import symbols, lambdify"


def _line(source: str, text: str) -> int:
    return next(n for n, line in enumerate(source.splitlines(), 1) if text in line)


@pytest.mark.parametrize("old,new,said", [
    (SLOPE, "slope = cost_fn.diff(x)",
     "slope is a formula in x (the derivative), not a number: call df(previous_x)."),
    (SLOPE, "slope = df(x)", "slope is a formula in x, not a number: call df(previous_x)."),
    (SLOPE, "slope = df", "slope is the function df itself, not a number: call df(previous_x)."),
    (UPDATE, "new_x = previous_x - learning_rate * cost_fn",
     "cost_fn is a formula in x, not a number: for the slope there, call df(previous_x)."),
    (IMPORT, f"import numpy\n{IMPORT}", "numpy cannot be imported here; this exercise may "
     "import only Python's standard library and SymPy: lambdify turns the derivative into "
     "plain math functions, as the engine does, so numpy is left out."),
])
def test_the_line_that_brought_the_trouble_in_is_named(old: str, new: str, said: str) -> None:
    source = WRITE_IT.code.reference.replace(old, new)
    verdict = check_attempt(WRITE_IT, {"code": source})
    line = _line(source, new.split("\n")[0])
    assert verdict.message == f"Line {line}: {said}", verdict.message
    assert verdict.diagnosis == "code_error"


def test_a_derivative_kept_for_lambdify_is_not_blamed() -> None:
    source = ("from sympy import symbols, lambdify\nx = symbols('x')\n\n"
              "def f(cost_fn):\n    derivative = cost_fn.diff(x)\n"
              "    df = lambdify(x, derivative)\n    return df\n")
    assert explain(source, "line 9: TypeError: cannot determine truth value of Relational",
                   9) is None
    assert explain(source, "line 3: ValueError: bad", 3) is None
