"""What a code exercise's function is called with, what the engine says it should return,
and how a difference is said in words.

One `Check` per kind of function (schema.CODE_CHECKS): `path` (gradient_descent's list
of guesses, compared with the engine's `minimize(...).path`, initial guess first), `mse`
(the mean squared error of a line on data, the engine's value of that cost) and `step`
(one descent step for slope and intercept, the engine's first update of that cost).
The engine is imported inside the functions (SymPy loads off the UI thread).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from tutor.wording import plural

REL_TOL = 1e-9
"""Every number must be within this relative distance of the engine's."""
ABS_TOL = 1e-12
"""... or this close in absolute terms (numbers near 0)."""

Case = Mapping[str, Any]


@dataclass(frozen=True)
class Check:
    """How one kind of code exercise is called, answered and described."""

    key: str
    args: Callable[[Case], list[Any]]
    expected: Callable[[Case], list[float]]
    describe: Callable[[Case], str]
    shape: str  # "list" (any length), "pair" (two numbers) or "number"
    item: Callable[[int], str]


def path_args(case: Case) -> list[Any]:
    """gradient_descent(cost_fn, initial_guess, learning_rate, precision, max_iterations)."""
    return [{"sympy": str(case["function"])}, float(case["start"]), float(case["rate"]),
            float(case.get("precision", 0.0001)), int(case.get("iterations", 100))]


def path_expected(case: Case) -> list[float]:
    """The engine's guesses for the same settings: initial guess first, one per update."""
    from tutor.engine import minimize

    result = minimize(str(case["function"]), float(case["start"]),
                      learning_rate=float(case["rate"]),
                      max_iterations=int(case.get("iterations", 100)),
                      precision=float(case.get("precision", 0.0001)))
    return list(result.path.column(0))


def path_describe(case: Case) -> str:
    text = f"{case['function']} from {_fmt(case['start'])} at rate {_fmt(case['rate'])}"
    if "precision" in case:
        text += f", precision {_fmt(case['precision'])}"
    if "iterations" in case:
        text += f", at most {plural(int(case['iterations']), 'update')}"
    return text


def mse_text(case: Case) -> str:
    """The case's MSE as a formula in the line's slope m and intercept b."""
    terms = [f"({_num(y)} - (m*{_num(x)} + b))^2" for x, y in zip(case["xs"], case["ys"])]
    return f"({' + '.join(terms)})/{len(terms)}"


def mse_args(case: Case) -> list[Any]:
    """mse(xs, ys, slope, intercept)."""
    return [list(map(float, case["xs"])), list(map(float, case["ys"])),
            float(case["slope"]), float(case["intercept"])]


def mse_expected(case: Case) -> list[float]:
    """The engine's value of the MSE at the case's slope and intercept."""
    from tutor.engine import compile_objective

    objective = compile_objective(mse_text(case))
    point = _point(objective.variables, case)
    return [float(objective.value(point))]


def line_describe(case: Case) -> str:
    rate = f" at rate {_fmt(case['rate'])}" if "rate" in case else ""
    return (f"the line slope {_fmt(case['slope'])}, intercept {_fmt(case['intercept'])} on "
            f"{plural(len(case['xs']), 'point')}{rate}")


def step_args(case: Case) -> list[Any]:
    """step(xs, ys, slope, intercept, learning_rate) -> [new_slope, new_intercept]."""
    return mse_args(case) + [float(case["rate"])]


def step_expected(case: Case) -> list[float]:
    """The engine's first gradient-descent update of the MSE from (slope, intercept)."""
    from tutor.engine import compile_objective, minimize

    objective = compile_objective(mse_text(case))
    start = _point(objective.variables, case)
    result = minimize(objective, start, learning_rate=float(case["rate"]), max_iterations=1,
                      precision=0.0)
    end = dict(zip(objective.variables, result.path[-1].x))
    return [end["m"], end["b"]]


def _point(variables: Sequence[str], case: Case) -> tuple[float, ...]:
    values = {"m": float(case["slope"]), "b": float(case["intercept"])}
    return tuple(values[name] for name in variables)


def ordinal(n: int) -> str:
    """1st, 2nd, 3rd, 4th, 11th, 21st."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


CHECKS: Mapping[str, Check] = {
    "path": Check("path", path_args, path_expected, path_describe, "list",
                  lambda i: f"{ordinal(i + 1)} guess"),
    "mse": Check("mse", mse_args, mse_expected, line_describe, "number", lambda i: "MSE"),
    "step": Check("step", step_args, step_expected, line_describe, "pair",
                  lambda i: ("new slope", "new intercept")[i]),
}


def as_numbers(value: Any, shape: str) -> list[float] | str:
    """The learner's value as a flat list of floats, or a sentence saying what is wrong."""
    if shape == "number":
        if isinstance(value, list):
            return "your function should return one number, but it returned a list"
        return [float(value)]
    if not isinstance(value, list):
        return "your function should return a list, but it returned a single number"
    if any(isinstance(v, list) for v in value):
        return "your function should return a flat list of numbers, but it holds lists"
    if shape == "pair" and len(value) != 2:
        return (f"your function should return two numbers, [new_slope, new_intercept], "
                f"but it returned {plural(len(value), 'number')}")
    return [float(v) for v in value]


def close(a: float, b: float) -> bool:
    """The same number within REL_TOL (NaN equals NaN, infinities by sign)."""
    if math.isnan(a) or math.isnan(b):
        return math.isnan(a) and math.isnan(b)
    return math.isclose(a, b, rel_tol=REL_TOL, abs_tol=ABS_TOL)


def same(got: Sequence[float], want: Sequence[float]) -> bool:
    """Same length and every number close."""
    return len(got) == len(want) and all(close(a, b) for a, b in zip(got, want))


def difference(check: Check, case: Case, got: Sequence[float], want: Sequence[float], *,
               advise: bool = True) -> str:
    """The first difference in words, or '' when there is none; `advise=False` leaves out
    where to look (a named mistake says that itself)."""
    where = check.describe(case)
    for i, (a, b) in enumerate(zip(got, want)):
        if not close(a, b):
            said = f"For {where}, your {check.item(i)} is {_fmt(a)}, the engine's {_fmt(b)}."
            negative = advise and check.key == "mse" and a < 0
            return said + (" A mean of squares is never negative: is each error squared?"
                           if negative else "")
    if len(got) == len(want):
        return ""
    mine, theirs = len(got) - 1, len(want) - 1
    if check.shape != "list":
        return (f"For {where}, your function returned {plural(len(got), 'number')}, not "
                f"{len(want)}.")
    if mine == 0:
        return (f"For {where}, your list holds only the initial guess; the engine's has "
                f"{plural(len(want), 'guess')} ({plural(theirs, 'update')})"
                + (": append each new guess to the list inside the loop." if advise else "."))
    return (f"For {where}, your list has {plural(len(got), 'guess')} "
            f"({plural(mine, 'update')}); the engine's has {len(want)} "
            f"({plural(theirs, 'update')}), the same up to there"
            + (": look at when your loop stops." if advise else "."))


def _fmt(value: Any) -> str:
    return f"{float(value):.6g}"


def _num(value: Any) -> str:
    return f"({float(value)!r})"
