"""The catalogue of known mistakes: small changes to the reference solution, as our own code.

Each mistake computes the numbers a function with that one mistake returns on a case
(plain Python here, in the tutor's process: it is our code, not the learner's). When
the learner's numbers match a mistake's on every case, the verdict names the mistake
and where to look, and its key is the verdict's diagnosis. `check-lessons` judges each
mistake an exercise lists as if a learner had sent its numbers: each must fail with
its own key.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from tutor.practice.codechecks import Case
from tutor.practice.codelines import Spot, locate
from tutor.practice import codeshapes as shapes


@dataclass(frozen=True)
class Mistake:
    """One known mistake: its key, what it is, where to look (and a pattern that finds the
    line in the learner's code), and the numbers a function with it returns."""

    key: str
    check: str
    title: str
    look: str
    pattern: str
    numbers: Callable[[Case], list[float]]
    variants: tuple[Callable[[Case], list[float]], ...] = ()
    """Other ways of writing the same mistake that give other numbers (a sign convention)."""
    finder: Callable[[str], int | None] | None = None
    """Finds the mistake's line by the code's shape (codeshapes), before the line diff."""
    only_if_found: bool = False
    """Named only when `finder` finds it: its numbers are also another mistake's."""
    sample: Callable[[str], str] | None = None
    """The reference rewritten with this mistake (check-lessons judges that code)."""


def _loop(case: Case, *, sign: float = -1.0, use_cost: bool = False, stop: str = "step",
          keep_previous: bool = True, rate_power: int = 1, append_first: bool = True,
          bound_shift: int = 0, append_old: bool = False, cost_text: str | None = None
          ) -> list[float]:
    """The article's loop with one knob turned; the defaults give the engine's path."""
    from tutor.practice.compiled import objective_of

    objective = objective_of(cost_text or str(case["function"]))
    slopes = objective_of(str(case["function"]))
    rate = float(case["rate"]) ** rate_power
    precision = float(case.get("precision", 0.0001))
    first = new = float(case["start"])
    guesses = [new]
    for _ in range(int(case.get("iterations", 100)) + bound_shift):
        previous = new if keep_previous else first
        slope = objective.value((previous,)) if use_cost else slopes.gradient((previous,))[0]
        new = previous + sign * rate * slope
        size = abs(new - previous)
        done = {"step": size < precision, "never": False, "inverted": size >= precision,
                "x": abs(new) < precision}[stop]
        if append_first or not done:
            guesses.append(previous if append_old else new)
        if done:
            break
    return guesses


def _mse(case: Case, *, divide: Callable[[int], int] = lambda n: n,
         square: Callable[[list[float]], float] | None = None, sign: float = 1.0) -> list[float]:
    xs, ys = [float(v) for v in case["xs"]], [float(v) for v in case["ys"]]
    errors = [sign * (y - (float(case["slope"]) * x + float(case["intercept"])))
              for x, y in zip(xs, ys)]
    total = square(errors) if square else math.fsum(e * e for e in errors)
    return [total / divide(len(errors))]


def _mse_point(case: Case, index: int, *, mean: bool = True) -> list[float]:
    """One point's squared error (the total overwritten, or returned inside the loop)."""
    xs, ys = [float(v) for v in case["xs"]], [float(v) for v in case["ys"]]
    error = (float(case["slope"]) * xs[index] + float(case["intercept"])) - ys[index]
    return [error * error / (len(xs) if mean else 1)]


def _step(case: Case, *, sign: float = -1.0, slope_uses_x: bool = True,
          factor: float = 2.0, mean: bool = True) -> list[float]:
    xs, ys = [float(v) for v in case["xs"]], [float(v) for v in case["ys"]]
    m, b, rate, n = float(case["slope"]), float(case["intercept"]), float(case["rate"]), len(xs)
    n = n if mean else 1
    errors = [(m * x + b) - y for x, y in zip(xs, ys)]
    grad_m = factor * math.fsum(e * (x if slope_uses_x else 1.0) for e, x in zip(errors, xs)) / n
    grad_b = factor * math.fsum(errors) / n
    return [m + sign * rate * grad_m, b + sign * rate * grad_b]


def _step_in_loop(case: Case, *, running: bool = True, points: int | None = None
                  ) -> list[float]:
    """The update done inside the loop: after each point, with the gradient summed so far
    (`running`) or that point's share only; `points=1`: a return inside the loop."""
    xs, ys = [float(v) for v in case["xs"]], [float(v) for v in case["ys"]]
    m, b, rate, n = float(case["slope"]), float(case["intercept"]), float(case["rate"]), len(xs)
    grad_m = grad_b = 0.0
    for x, y in list(zip(xs, ys))[:points]:
        error = (m * x + b) - y
        share_m, share_b = 2 * error * x / n, 2 * error / n
        grad_m, grad_b = (grad_m + share_m, grad_b + share_b) if running else (share_m, share_b)
        m, b = m - rate * grad_m, b - rate * grad_b
    return [m, b]


UPDATE = r"learning_rate\s*\*|\*\s*learning_rate|rate\s*\*"
STOP = r"^\s*if\b.*(precision|step)"

_PATH = (
    Mistake("sign_flipped", "path", "the step's sign is flipped (+ instead of -), so each "
            "guess climbs uphill", "the update line: it adds the step, so x climbs the slope; "
            "the step must go against the slope", UPDATE, lambda c: _loop(c, sign=1.0)),
    Mistake("cost_not_slope", "path", "the cost is used where the slope belongs", "the slope: "
            "it is the cost's value there, not its derivative (what df gives)",
            r"\bdf\b|\bslope\b|cost_fn|\*\*\s*2",
            lambda c: _loop(c, use_cost=True),
            (lambda c: _loop(c, use_cost=True, cost_text="x^2"),)),  # previous_x**2 typed
    Mistake("no_precision_stop", "path", "the loop never stops early: there is no precision "
            "test", "the end of the loop: nothing breaks when a step gets shorter than the "
            "precision", r"append\(|^\s*if\b", lambda c: _loop(c, stop="never")),
    Mistake("return_in_loop", "path", "the return is inside the loop, so the function "
            "returns after the first update", "the return: it is indented into the loop; "
            "it belongs after the loop", r"^\s*return\b", lambda c: _loop(c, stop="inverted"),
            finder=shapes.return_in_loop, only_if_found=True,
            sample=shapes.indent_last_return),
    Mistake("stop_before_update", "path", "the stop is tested before the new guess is "
            "computed, so new_x still equals previous_x and the loop breaks at once",
            "the if: it runs before the update; test the step after computing new_x", STOP,
            lambda c: [float(c["start"])], finder=shapes.stop_before_update,
            only_if_found=True, sample=shapes.stop_moved_up),
    Mistake("stop_inverted", "path", "the stop test is inverted, so the loop breaks while the "
            "steps are still large", "the if: it breaks when the step is large, not when it "
            "is small", STOP, lambda c: _loop(c, stop="inverted")),
    Mistake("stop_tests_x", "path", "the stop test looks at x instead of the step size",
            "the if: it tests new_x itself, not the step's length", STOP,
            lambda c: _loop(c, stop="x")),
    Mistake("previous_not_updated", "path", "previous_x is never updated, so every update "
            "starts again from the initial guess", "the top of the loop: previous_x is not "
            "set to the latest guess", r"previous_x\s*=", lambda c: _loop(c, keep_previous=False)),
    Mistake("rate_twice", "path", "the learning rate is applied twice (learning_rate * "
            "learning_rate)", "the update line: the rate appears twice", UPDATE,
            lambda c: _loop(c, rate_power=2)),
    Mistake("append_before_update", "path", "the guess is appended before it is updated, so "
            "the list repeats each old guess", "the append: it runs before the update line, "
            "so it keeps the old new_x", r"append", lambda c: _loop(c, append_old=True)),
    Mistake("last_update_dropped", "path", "the last update is never added to the list (the "
            "loop breaks before appending it)", "the order in the loop: the step is tested "
            "before the guess is appended", r"append", lambda c: _loop(c, append_first=False)),
    Mistake("loop_one_short", "path", "the loop bound is one short (range(max_iterations - 1))",
            "the for line: its range stops one update early", r"range\(",
            lambda c: _loop(c, bound_shift=-1)),
    Mistake("loop_one_long", "path", "the loop bound is one too long (range(max_iterations + 1))",
            "the for line: its range runs one update too many", r"range\(",
            lambda c: _loop(c, bound_shift=1)),
)

_MSE = (
    Mistake("mse_sum_not_mean", "mse", "the squared errors are added up but not averaged "
            "(that is the RSS, not the MSE)", "the return line: the total is not divided by "
            "the number of points", r"return", lambda c: _mse(c, divide=lambda n: 1)),
    Mistake("mse_n_minus_1", "mse", "the sum is divided by n - 1 instead of n", "the return "
            "line: it divides by one less than the number of points", r"return",
            lambda c: _mse(c, divide=lambda n: n - 1)),
    Mistake("mse_not_squared", "mse", "the errors are not squared, so positive and negative "
            "errors cancel", "where each error is added: it is added unsquared", r"\+=|sum\(",
            lambda c: _mse(c, square=math.fsum),
            (lambda c: _mse(c, square=math.fsum, sign=-1.0),)),  # error = prediction - y
    Mistake("mse_overwritten", "mse", "the total is overwritten (total = ...) instead of "
            "added to (total += ...), so only the last point counts", "the line that sets "
            "total inside the loop: it replaces the total", r"total\s*=",
            lambda c: _mse_point(c, -1), (lambda c: _mse_point(c, -1, mean=False),)),
    Mistake("mse_return_in_loop", "mse", "the return is inside the loop, so only the first "
            "point counts", "the return: it is indented into the loop; it belongs after the "
            "loop", r"^\s*return\b", lambda c: _mse_point(c, 0),
            (lambda c: _mse_point(c, 0, mean=False),), finder=shapes.return_in_loop),
)

_STEP = (
    Mistake("step_sign_flipped", "step", "the step's sign is flipped (+ instead of -)", "the "
            "update: it adds learning_rate times the gradients, so it climbs", UPDATE,
            lambda c: _step(c, sign=1.0)),
    Mistake("step_slope_without_x", "step", "the slope's gradient is missing the x (each "
            "error must be multiplied by its x)", "the slope's gradient: each error is added "
            "without its x", r"grad_slope\s*\+=|grad_m\s*\+=",
            lambda c: _step(c, slope_uses_x=False)),
    Mistake("step_no_factor_2", "step", "the factor 2 from the square's derivative is missing",
            "both gradients: the 2 is left out", r"grad_\w+\s*\+=|/\s*len|/\s*n\b",
            lambda c: _step(c, factor=1.0)),
    Mistake("step_no_mean", "step", "the gradients are summed but not averaged (the / n is "
            "missing)", "both gradients: they are not divided by n", r"grad_\w+\s*\+=",
            lambda c: _step(c, mean=False)),
    Mistake("step_update_in_loop", "step", "the update is done inside the loop, so the "
            "slope and intercept move after each point instead of once", "the update: it is "
            "inside the loop; update once, after the loop has added every point", UPDATE,
            lambda c: _step_in_loop(c), (lambda c: _step_in_loop(c, running=False),
                                         lambda c: _step_in_loop(c, points=1)),
            finder=shapes.update_in_loop),
    Mistake("step_untouched", "step", "the slope and intercept come back unchanged (the "
            "gradients are never added to, or never used)", "the loop and the return: each "
            "point must add to both gradients, and the return must step against them",
            r"grad_\w+\s*\+=|return",
            lambda c: [float(c["slope"]), float(c["intercept"])]),
)

CATALOGUE: Mapping[str, Mistake] = {m.key: m for m in (*_PATH, *_MSE, *_STEP)}
"""Every known mistake, by key (the verdict's diagnosis)."""


def for_check(check: str) -> tuple[Mistake, ...]:
    """The mistakes a function of this kind can make, in catalogue order."""
    return tuple(m for m in CATALOGUE.values() if m.check == check)


def numbers_of(mistake: Mistake, cases: tuple[Case, ...],
               form: Callable[[Case], list[float]] | None = None
               ) -> tuple[list[float], ...] | None:
    """The mistake's numbers on every case (None when it cannot run on them, e.g. overflow);
    `form` picks one of its variants instead of its main form."""
    try:
        found = tuple((form or mistake.numbers)(case) for case in cases)
    except (ArithmeticError, ValueError):
        return None
    return found if all(all(map(math.isfinite, nums)) for nums in found) else None


def forms_of(mistake: Mistake, cases: tuple[Case, ...]) -> tuple[tuple[list[float], ...], ...]:
    """The numbers of every form of the mistake that can run on the cases, main form first."""
    found = (numbers_of(mistake, cases, form) for form in (mistake.numbers, *mistake.variants))
    return tuple(numbers for numbers in found if numbers is not None)


def where_to_look(mistake: Mistake, source: str, reference: str) -> str:
    """'Look at line 12, the update line: ...' (or near / just below a line, or no line when
    none can be told), the learner's line found by comparing with the reference."""
    found = mistake.finder(source) if mistake.finder else None
    spot = Spot(found) if found else locate(source, reference, mistake.pattern)
    return f"Look {spot.words()}, {mistake.look}." if spot else f"Look at {mistake.look}."


__all__ = ["CATALOGUE", "Mistake", "for_check", "forms_of", "numbers_of", "where_to_look"]
