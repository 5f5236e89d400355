"""Turn the pane's typed inputs into engine runs, off the UI thread.

Nothing here imports Textual, and the engine (hence SymPy) is imported only
inside the functions, which the pane calls from a worker thread.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

METHOD_NAMES = ("gd", "momentum", "nesterov", "adagrad", "rmsprop", "adam")
"""The engine's METHODS, copied so the fields can suggest them without SymPy."""

MAX_ITERATIONS = 10_000_000
"""Highest iteration limit: the path of a run this long already takes about 160 MB."""
PROGRESS_EVERY_S = 0.1
FAST_RUN = 20_000
"""Runs up to this many updates go through the engine's fast loop (no callback) first."""


class InputProblem(ValueError):
    """A typed value the pane cannot use; the text is one sentence for the learner."""


@dataclass(frozen=True)
class RunRequest:
    """Checked numbers for one descent, built from the strings the learner typed."""

    function: str
    start: tuple[float, ...]
    learning_rate: float
    iterations: int
    precision: float
    method: str


@dataclass(frozen=True)
class RunOutcome:
    """One finished (or stopped) descent with the objective it ran on."""

    request: RunRequest
    result: Any
    objective: Any
    label: str = ""


@dataclass(frozen=True)
class FitOutcome:
    """A straight-line fit with the data it was fitted to."""

    data: Any
    result: Any


EXAMPLES = {"precision": "0.0001", "start": "3", "iteration limit": "100"}
"""A sensible example number for each field's messages (else 0.1)."""


def parse_number(text: str, label: str) -> float:
    """A finite float from `text`, or InputProblem naming the field."""
    try:
        value = float(str(text).strip())
    except ValueError:
        example = EXAMPLES.get(label, "0.1")
        raise InputProblem(f"The {label} must be a number, like {example}, not '{text}'.") from None
    if not math.isfinite(value):
        raise InputProblem(f"The {label} must be a finite number, not '{text}'.")
    return value


def parse_start(text: str) -> tuple[float, ...]:
    """One number per variable, separated by commas, spaces or semicolons (`-1.2, 1`),
    brackets allowed (`(-1.2, 1)`)."""
    bare = str(text).strip().strip("()[]").replace(";", " ")
    parts = [p for p in bare.replace(",", " ").split() if p]
    if not parts:
        raise InputProblem("The start needs a number for each variable, like 3 or -1.2,1.")
    return tuple(parse_number(p, "start") for p in parts)


def parse_iterations(text: str) -> int:
    """A whole number of updates between 1 and MAX_ITERATIONS."""
    value = parse_number(text, "iteration limit")
    if value != int(value) or not 1 <= value <= MAX_ITERATIONS:
        raise InputProblem(
            f"The iteration limit must be a whole number from 1 to {MAX_ITERATIONS:,}, not '{text}'."
        )
    return int(value)


def parse_request(inputs: Mapping[str, str]) -> RunRequest:
    """Check every descent field of `inputs`; the function itself is checked by the engine."""
    function = str(inputs.get("function", "")).strip()
    if not function:
        raise InputProblem("Type a function first, for example x^2.")
    rate = parse_number(inputs.get("learning_rate", ""), "learning rate")
    if rate <= 0:
        raise InputProblem("The learning rate must be greater than 0, like 0.1.")
    precision = parse_number(inputs.get("precision", "") or "0.0001", "precision")
    if precision < 0:
        raise InputProblem("The precision must be 0 or more, like 0.0001.")
    method = str(inputs.get("method", "") or "gd").strip().lower()
    if method not in METHOD_NAMES:
        raise InputProblem(f"The method must be one of {', '.join(METHOD_NAMES)}, not '{method}'.")
    return RunRequest(function, parse_start(inputs.get("start", "")), rate,
                      parse_iterations(inputs.get("iterations", "") or "100"), precision, method)


@lru_cache(maxsize=64)
def compile_cached(function: str) -> Any:
    """The engine's Objective for `function`, compiled once per text."""
    from tutor.engine import compile_objective

    return compile_objective(function)


@lru_cache(maxsize=64)
def derivative_of(function: str) -> str:
    """`f'(x) = 2*x` for `function` (SymPy's printing, so call it from a worker first)."""
    return str(compile_cached(function).derivative_text)


def objective_for(request: RunRequest) -> Any:
    """Compile the request's function and check the start has one number per variable."""
    objective = compile_cached(request.function)
    names = tuple(objective.variables)
    if len(names) != len(request.start):
        example = ",".join(["1"] * len(names))
        raise InputProblem(
            f"This function has {len(names)} variable(s) ({', '.join(names)}), so the start "
            f"needs {len(names)} number(s), like {example}."
        )
    return objective


def progress_callback(
    should_stop: Callable[[], bool], on_progress: Callable[[int], None]
) -> Callable[[Any], bool]:
    """An engine callback that reports progress now and then and stops when asked."""
    last = [time.monotonic()]

    def callback(report: Any) -> bool:
        if should_stop():
            return True
        now = time.monotonic()
        if now - last[0] >= PROGRESS_EVERY_S:
            last[0] = now
            on_progress(int(report.n))
        return False

    return callback


def run_descent(
    request: RunRequest,
    should_stop: Callable[[], bool] = lambda: False,
    on_progress: Callable[[int], None] = lambda n: None,
    label: str = "",
) -> RunOutcome:
    """Run `minimize` for `request`, stoppable through `should_stop`.

    The engine's loop is about ten times faster without a callback, so the first
    FAST_RUN updates run without one; only a run still going after that is run
    again with the callback that reports progress and can be cancelled.
    """
    from tutor.engine import minimize

    objective = objective_for(request)
    derivative_of(request.function)  # printed here, off the UI thread
    settings = {"learning_rate": request.learning_rate, "precision": request.precision,
                "method": request.method}
    result = minimize(objective, request.start, max_iterations=min(request.iterations, FAST_RUN),
                      **settings)
    if request.iterations > FAST_RUN and result.status == "max_iterations" and not should_stop():
        result = minimize(objective, request.start, max_iterations=request.iterations,
                          callback=progress_callback(should_stop, on_progress), **settings)
    return RunOutcome(request, result, objective, label)


def compare_requests(
    base: RunRequest, rates: list[float] | None = None, methods: list[str] | None = None
) -> list[tuple[str, RunRequest]]:
    """One labelled request per learning rate or per method, all else as in `base`."""
    from dataclasses import replace

    if methods:
        return [(m, replace(base, method=m)) for m in methods]
    return [(f"rate {r:g}", replace(base, learning_rate=r)) for r in rates or [base.learning_rate]]


def parse_compare(text: str) -> tuple[list[float], list[str]]:
    """Split a typed compare list into learning rates or method names (not both)."""
    parts = [p.strip().lower() for p in str(text).replace(";", ",").split(",") if p.strip()]
    if not parts:
        raise InputProblem("Type learning rates or methods to compare, like 0.01, 0.1, 0.5.")
    if all(p in METHOD_NAMES for p in parts):
        return [], parts
    rates = [parse_number(p, "compare list") for p in parts]
    if any(r <= 0 for r in rates):
        raise InputProblem("Every learning rate to compare must be greater than 0.")
    return rates, []


def resolve_data_path(text: str, data_dir: Path | None) -> Path:
    """The CSV a fit uses: relative to the lessons' data folder first, else as typed.
    Served to a class, only the lessons' and the learner's data folders (InputProblem)."""
    from tutor.lessons.checks import AttemptError, existing
    from tutor.lessons.checks import resolve_data_path as resolve

    try:
        return existing(resolve(text, data_dir), text)
    except AttemptError as exc:
        raise InputProblem(str(exc)) from None


def run_fit(inputs: Mapping[str, str], data_dir: Path | None,
            should_stop: Callable[[], bool] = lambda: False) -> FitOutcome:
    """Load the data file and fit a line by gradient descent."""
    from tutor.engine import fit, load_xy_csv

    if not str(inputs.get("data", "")).strip():
        raise InputProblem("Type the name of a CSV data file first.")
    data = load_xy_csv(resolve_data_path(inputs["data"], data_dir))
    result = fit(
        data.xs, data.ys,
        learning_rate=parse_number(inputs.get("learning_rate", "") or "0.1", "learning rate"),
        max_iterations=parse_iterations(inputs.get("iterations", "") or "10000"),
        precision=parse_number(inputs.get("precision", "") or "1e-9", "precision"),
        scale=str(inputs.get("scale", "true")).lower() in ("1", "true", "yes", "on"),
        callback=lambda *a: should_stop(),
    )
    return FitOutcome(data, result)


def user_message(exc: BaseException) -> str:
    """One sentence for any failure: the engine's own message where it has one."""
    text = str(exc).strip() or type(exc).__name__
    if isinstance(exc, (InputProblem, ValueError)):
        return text if text.endswith((".", "?", "!")) else text + "."
    return f"Something went wrong while running ({type(exc).__name__}: {text})."
