"""Reading an attempt: the text a learner typed -> typed settings, once.

Each reader takes the exercise (None for the playground and the CLI) and the
inputs as typed, and returns frozen settings or raises `InputProblem`, one
sentence that names the field. A field the exercise does not let the learner
edit is read from the exercise itself, never from the screen, so the run the
learner sees and the run that is judged are the same run. A blank field means
the kind's default (the schema's table).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tutor.lessons.schema import (
    DEFAULT_LEARNING_RATE, MAX_COMPARE, MAX_ITERATIONS, METHODS, defaults_for, example, label,
)

from tutor.practice.problems import InputProblem
from tutor.wording import plural

if TYPE_CHECKING:
    from tutor.lessons.model import Exercise


@dataclass(frozen=True)
class DescentSettings:
    """Checked numbers for one descent. `editable` is None when every field may change."""

    function: str
    start: tuple[float, ...]
    learning_rate: float
    iterations: int
    precision: float
    method: str
    editable: tuple[str, ...] | None = None
    label: str = ""


@dataclass(frozen=True)
class CompareSettings:
    """Several descents drawn on one plot: one per learning rate or per method."""

    runs: tuple[DescentSettings, ...]
    editable: tuple[str, ...] | None = None


@dataclass(frozen=True)
class FitSettings:
    """A straight-line fit: the data file (resolved by the data policy) and the descent."""

    data: str
    path: Path
    learning_rate: float
    iterations: int
    precision: float
    scale: bool
    editable: tuple[str, ...] | None = None
    x_column: str | None = None
    y_column: str | None = None
    x_columns: tuple[str, ...] = ()
    model: str = "linear"
    batch_size: int | None = None
    epochs: int | None = None
    seed: int = 0
    l2: float = 0.0
    test_fraction: float = 0.0
    hidden: int = 0
    method: str = "gd"

    @property
    def trains_model(self) -> bool:
        """Whether this is more than the one-feature line fit: several features, another
        model, batches, epochs, a penalty, a split or a network (run by `engine.train`)."""
        return (len(self.x_columns) > 1 or self.model != "linear" or self.method != "gd"
                or self.batch_size is not None or self.epochs is not None or self.l2 > 0
                or self.test_fraction > 0 or self.hidden > 0)


@dataclass(frozen=True)
class AnswerSettings:
    """A typed number or a chosen option (1-based); None where the exercise asks none."""

    answer: float | None = None
    choice: int | None = None
    editable: tuple[str, ...] | None = None


Settings = DescentSettings | CompareSettings | FitSettings | AnswerSettings


# ----------------------------------------------------------------------------- fields


def number(text: Any, key: str) -> float:
    """A finite float from typed text, or InputProblem naming the field."""
    if isinstance(text, bool):
        raise InputProblem(f"The {label(key)} must be a number, like {example(key)}, not "
                           f"'{text}'.", key)
    try:
        value = float(text) if isinstance(text, (int, float)) else float(str(text).strip())
    except ValueError:
        raise InputProblem(f"The {label(key)} must be a number, like {example(key)}, not "
                           f"'{text}'.", key) from None
    if not math.isfinite(value):
        raise InputProblem(f"The {label(key)} must be a finite number, not '{text}'.", key)
    return value


def learning_rate(text: Any) -> float:
    """A learning rate above 0."""
    value = number(text, "learning_rate")
    if value <= 0:
        raise InputProblem("The learning rate must be greater than 0, like 0.1.", "learning_rate")
    return value


def precision(text: Any) -> float:
    """A precision of 0 or more (0: never stop early)."""
    value = number(text, "precision")
    if value < 0:
        raise InputProblem("The precision must be 0 or more, like 0.0001.", "precision")
    return value


def iterations(text: Any) -> int:
    """A whole number of updates from 1 to MAX_ITERATIONS."""
    value = number(text, "iterations")
    if value != int(value) or not 1 <= value <= MAX_ITERATIONS:
        raise InputProblem(f"The iteration limit must be a whole number from 1 to "
                           f"{MAX_ITERATIONS:,}, not '{text}'.", "iterations")
    return int(value)


def method(text: Any) -> str:
    """One of the engine's methods (case and spaces ignored)."""
    name = str(text).strip().lower()
    if name not in METHODS:
        raise InputProblem(f"The method must be one of {', '.join(METHODS)}, not '{name}'.",
                           "method")
    return name


def start(text: Any) -> tuple[float, ...]:
    """One number per variable: `3`, `-1.2,1`, `-1.2 1`, `(-1.2; 1)` and lists all read the same."""
    if isinstance(text, (int, float)) and not isinstance(text, bool):
        return (number(text, "start"),)
    if isinstance(text, (list, tuple)):
        parts: list[Any] = list(text)
    else:
        bare = str(text).strip().strip("()[]").replace(";", " ").replace(",", " ")
        parts = bare.split()
    if not parts:
        raise InputProblem("The start needs a number for each variable, like 3 or -1.2,1.",
                           "start")
    return tuple(number(p, "start") for p in parts)


def flag(text: Any) -> bool:
    """On or off: true/false, yes/no, on/off, 1/0."""
    if isinstance(text, bool):
        return text
    word = str(text).strip().lower()
    if word in ("true", "yes", "on", "1"):
        return True
    if word in ("false", "no", "off", "0"):
        return False
    raise InputProblem("Scaling must be on or off (true or false).", "scale")


def compare_list(text: Any) -> tuple[tuple[float, ...], tuple[str, ...]]:
    """Typed learning rates or method names to compare (not both), at most MAX_COMPARE."""
    parts = [p.strip().lower() for p in str(text).replace(";", ",").split(",") if p.strip()]
    if not parts:
        raise InputProblem("Type learning rates or methods to compare, like 0.01, 0.1, 0.5.",
                           "compare")
    if len(parts) > MAX_COMPARE:
        raise InputProblem(f"Compare at most {MAX_COMPARE} learning rates or methods at once.",
                           "compare")
    if all(p in METHODS for p in parts):
        return (), tuple(parts)
    rates = tuple(number(p, "compare") for p in parts)
    if any(r <= 0 for r in rates):
        raise InputProblem("Every learning rate to compare must be greater than 0.", "compare")
    return rates, ()


def answer(text: Any) -> float:
    """A typed answer: a finite number, or arithmetic on numbers (`3-0.6`, `1/3`, `2*0.4`)
    read by the engine's safe parser (never eval)."""
    if text is None or (isinstance(text, str) and not text.strip()):
        raise InputProblem("Type a number first, like 12 or 0.5.", "answer")
    if isinstance(text, bool):
        raise InputProblem("Type a finite number, like 12 or 0.5.", "answer")
    try:
        value = float(str(text).strip().replace(" ", ""))
    except ValueError:
        value = _number_expression(str(text))
    if not math.isfinite(value):
        raise InputProblem("Type a finite number, like 12 or 0.5.", "answer")
    return value


def _number_expression(text: str) -> float:
    from tutor.engine.errors import EngineInputError
    from tutor.engine.parser import parse_number_expression

    try:
        return parse_number_expression(text)
    except EngineInputError as exc:
        if any(c.isalpha() or c == "_" for c in text):  # a word, not a slip in a sum
            raise InputProblem(f"'{text}' is not a number; type a number or a sum of numbers, "
                               "like 12, 0.5 or 3-0.6.", "answer") from None
        raise InputProblem(f"'{text}' is not a number: {exc}.", "answer") from None


def choice(text: Any, count: int) -> int:
    """A 1-based option number from 1 to `count`."""
    try:
        picked = int(str(text).strip())
    except ValueError:
        raise InputProblem(f"Pick one of the options, 1 to {count}.", "choice") from None
    if not 1 <= picked <= count:
        raise InputProblem(f"Pick one of the options, 1 to {count}.", "choice")
    return picked


# ----------------------------------------------------------------------------- sources


class Source:
    """Where each field's value comes from: the learner's text where they may edit it,
    else the exercise; a blank means the kind's default."""

    def __init__(self, exercise: Exercise | None, inputs: Mapping[str, Any]) -> None:
        self.exercise = exercise
        self.inputs = inputs
        self.defaults = defaults_for(exercise.kind if exercise is not None else "run")
        self.editable = None if exercise is None else tuple(exercise.editable)

    def may_edit(self, key: str) -> bool:
        """Whether the learner's text counts for `key`."""
        return self.editable is None or key in self.editable

    def get(self, key: str) -> Any:
        """The value to read for `key` (text or the exercise's own value), blanks defaulted."""
        if key in self.inputs and self.may_edit(key):
            value = self.inputs[key]
        elif self.exercise is not None:
            value = getattr(self.exercise, key, None)
            if value is None and key == "learning_rate":
                value = DEFAULT_LEARNING_RATE  # an exercise that names no rate
        else:
            value = None
        if value is None or (isinstance(value, str) and not value.strip()):
            return self.defaults.get(key, "" if value is None else value)
        return value


def read_descent(exercise: Exercise | None, inputs: Mapping[str, Any]) -> DescentSettings:
    """The settings of one descent. The function is checked first (a bad one is the first
    thing to say), then the start against its variables, then the other fields."""
    source = Source(exercise, inputs)
    function = str(source.get("function") or "").strip()
    if not function:
        raise InputProblem("Type a function first, for example x^2.", "function")
    names = variables_of(function)
    point = start(source.get("start"))
    if len(point) != len(names):
        example_start = ",".join(["1"] * len(names))
        count = len(names)
        raise InputProblem(f"This function has {plural(count, 'variable')} ({', '.join(names)}), "
                           f"so the start needs {plural(count, 'number')}, like {example_start}.",
                           "start")
    return DescentSettings(function, point, learning_rate(source.get("learning_rate")),
                           iterations(source.get("iterations")),
                           precision(source.get("precision")), method(source.get("method")),
                           source.editable)


def read_compare(exercise: Exercise | None, inputs: Mapping[str, Any]) -> CompareSettings:
    """One descent per learning rate or method: the exercise's own set, else the typed list."""
    function = str(Source(exercise, inputs).get("function") or "").strip()
    if function:
        variables_of(function)  # a bad function is the first thing to say
    if exercise is not None and exercise.compare:
        rates = tuple(float(r) for r in exercise.compare.get("learning_rates") or [])
        methods = tuple(str(m) for m in exercise.compare.get("methods") or [])
    else:
        rates, methods = compare_list(inputs.get("compare", ""))
    if rates and not str(inputs.get("learning_rate", "")).strip():
        inputs = {**inputs, "learning_rate": rates[0]}  # the rates are the compare set
    base = read_descent(exercise, inputs)
    if methods:
        runs = tuple(replace(base, method=m, label=m) for m in methods)
    else:
        runs = tuple(replace(base, learning_rate=r, label=f"rate {r:g}") for r in rates)
    return CompareSettings(runs, base.editable)


def read_answer(exercise: Exercise, inputs: Mapping[str, Any]) -> AnswerSettings:
    """The typed answer and/or chosen option the exercise's goal asks for."""
    goal = exercise.goal
    typed = inputs.get("answer")
    value = answer(typed) if "answer" in goal else None
    picked = None
    if "choice" in goal:
        picked = choice(inputs.get("choice", typed), len(exercise.options))
    return AnswerSettings(value, picked, tuple(exercise.editable))


def variables_of(function: str) -> tuple[str, ...]:
    """The function's variables (compiling it once; ParseError names the column)."""
    from tutor.practice.compiled import objective_of

    return tuple(objective_of(function).variables)
