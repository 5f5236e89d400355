"""run_code with the real sandbox: right answers come back as numbers, mistakes as one line."""

from __future__ import annotations

import math
import textwrap
from typing import Callable

from support.article import ARTICLE_CASE, REFERENCE

from tutor.sandbox import RunResult

Run = Callable[..., RunResult]


def test_the_articles_function_returns_its_41_guesses(run: Run) -> None:
    result = run(REFERENCE, [ARTICLE_CASE], entry="gradient_descent")
    guesses = result.cases[0].value
    assert result.cases[0].ok and len(guesses) == 41
    assert guesses[0] == 3 and math.isclose(guesses[-1], 3 * 0.8**40, rel_tol=1e-12)
    assert all(type(g) in (int, float) for g in guesses)


def test_each_case_gets_its_own_result_and_keywords_reach_the_function(run: Run) -> None:
    cases = [ARTICLE_CASE, {"args": [{"sympy": "(x-2)^2"}, 0], "kwargs": {"learning_rate": 0.5}}]
    first, second = run(REFERENCE, cases, entry="gradient_descent").cases
    assert len(first.value) == 41 and second.value == [0, 2.0, 2.0]


def test_a_name_error_is_one_sentence_at_the_learners_line(run: Run) -> None:
    source = REFERENCE.replace("slope = df(previous_x)", "slope = df(previous_x)\n"
                               "        new_x = gradiant")
    case = run(source, [ARTICLE_CASE], entry="gradient_descent").cases[0]
    assert case.error == "line 14: NameError: name 'gradiant' is not defined"
    assert case.line == 14 and case.kind == "error" and "harness" not in case.error


def test_a_syntax_error_names_its_line_for_every_case(run: Run) -> None:
    result = run("def f():\n    return 1 +\n", [{"args": []}, {"args": []}])
    assert [c.error for c in result.cases] == ["line 2: SyntaxError: invalid syntax"] * 2


def test_calling_with_the_wrong_arguments_points_at_the_def_line(run: Run) -> None:
    case = run("\n\ndef f(a):\n    return a\n", [{"args": [1, 2]}]).cases[0]
    assert case.line == 3 and case.error.startswith("line 3: TypeError: f() takes 1")


def test_a_missing_function_is_named(run: Run) -> None:
    case = run("def g():\n    return 1\n", entry="gradient_descent").cases[0]
    assert case.error == "your code does not define a function named gradient_descent()"


def test_a_loop_that_never_stops_is_ended_after_the_wall_time(run: Run) -> None:
    result = run("def f():\n    while True:\n        pass\n", [{"args": []}, {"args": []}])
    first, second = result.cases
    assert first.kind == "timeout" and first.error == (
        "your code did not finish in 2 s: does every loop in it end?")
    assert second.kind == "skipped"


def test_the_cpu_limit_ends_a_busy_loop_the_wall_clock_would_allow(run: Run) -> None:
    case = run("def f():\n    while True:\n        pass\n", wall_s=20, cpu_s=1).cases[0]
    assert case.kind == "cpu" and "1 s of processor time" in case.error


def test_printed_output_comes_back_as_plain_text(run: Run) -> None:
    case = run("print('loaded')\ndef f():\n    print('\\x1b[2Jhi')\n    return 1\n").cases[0]
    assert case.value == 1 and case.printed == "loaded\n[2Jhi\n"


def test_sympy_numbers_become_floats_and_a_sympy_expression_is_named(run: Run) -> None:
    source = textwrap.dedent('''\
        from sympy import Symbol
        x = Symbol("x")
        def f(cost_fn, guess):
            slope = cost_fn.diff(x)
            return [slope.subs(x, guess), slope]
    ''')
    case = run(source, [{"args": [{"sympy": "x^2"}, 3]}]).cases[0]
    assert case.kind == "value" and case.error == (
        "your f() returned the SymPy expression 2*x, not a number: substitute a number for x, "
        "or call the function lambdify made")
    floats = run(source.replace(", slope]", "]"), [{"args": [{"sympy": "x^2"}, 3]}]).cases[0]
    assert floats.value == [6.0] and type(floats.value[0]) is float


def test_a_cancelled_run_is_killed_at_once_and_leaves_nothing(sandbox: None) -> None:
    import time
    from pathlib import Path

    import pytest
    from sandbox_testkit import my_children

    from tutor.sandbox import RunCancelled, run_code
    from tutor.sandbox.spares import SPARES

    started = time.monotonic()
    with pytest.raises(RunCancelled, match="you cancelled the run"):
        run_code("def f():\n    while True:\n        pass\n", "f", [{"args": []}], wall_s=8.0,
                 isolate="require", cancelled=lambda: time.monotonic() - started > 0.5)
    assert time.monotonic() - started < 4.0  # not left to its 8 s wall limit
    spares = SPARES.tokens()
    left = [Path(f"/proc/{pid}/cmdline").read_bytes() for pid in my_children()]
    assert [c for c in left if not any(t.encode() in c for t in spares)] == []
