"""Check a learner's attempt at an exercise and say why, in plain words.

`check_attempt(exercise, inputs)` merges what the learner changed into the
exercise's settings, runs the engine when a goal is about a run, and tests
every goal (all must hold). The message says what happened and what to try:
"It diverged at iteration 7: the cost grew every step. Try a smaller learning
rate." The engine is imported inside functions so the loader stays light.
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from tutor.lessons.blocks import parse_point
from tutor.lessons.model import Exercise

RUN_GOALS = ("converge_within", "diverge", "stop_at_limit", "end_near",
             "slope_near", "intercept_near")
MAX_ITERATIONS = 10_000_000
"""The same limit as the exercise pane's iteration field."""
DEFAULT_LEARNING_RATE = 0.1
LEARNER_ENV = "GD_TUTOR_LEARNER"
"""Set by `gd-tutor serve` for each learner: data paths are then kept to safe folders."""


@dataclass(frozen=True)
class CheckOutcome:
    """Did the attempt pass, one message saying why, and the run (if one was made)."""

    passed: bool
    message: str
    result: Any = None


class AttemptError(ValueError):
    """An input the learner typed that cannot be used; the message is one sentence."""


@dataclass(frozen=True)
class Settings:
    """The exercise's settings after the learner's inputs are applied."""

    function: str | None
    start: tuple[float, ...] | None
    learning_rate: float
    iterations: int
    precision: float
    method: str
    scale: bool
    data: str | None
    editable: tuple[str, ...] | None = None


def _sentence(text: object) -> str:
    text = str(text).strip()
    text = text[:1].upper() + text[1:]
    return text if text.endswith((".", "!", "?")) else text + "."


def _number(value: Any, what: str, example: str, *, positive: bool = True) -> float:
    try:
        number = float(str(value).strip()) if not isinstance(value, (int, float)) else float(value)
    except ValueError:
        raise AttemptError(f"The {what} must be a number, like {example}.") from None
    if isinstance(value, bool) or not math.isfinite(number) or (positive and number <= 0):
        raise AttemptError(f"The {what} must be a number above 0, like {example}.")
    if number < 0:
        raise AttemptError(f"The {what} must be 0 or more, like {example}.")
    return number


def _iterations(value: Any) -> int:
    number = _number(value, "number of iterations", "100")
    if not number.is_integer() or number > MAX_ITERATIONS:
        raise AttemptError(f"The number of iterations must be a whole number from 1 to "
                           f"{MAX_ITERATIONS}.")
    return int(number)


def _flag(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("true", "yes", "on", "1"):
        return True
    if text in ("false", "no", "off", "0"):
        return False
    raise AttemptError("Scaling must be on or off (true or false).")


BLANK_DEFAULTS = {"iterations": 100, "precision": 0.0001, "method": "gd"}
BLANK_FIT_DEFAULTS = {"iterations": 10_000, "precision": 1e-9, "learning_rate": 0.1}
"""What an empty field means: the same defaults as the exercise pane's runs and fits."""


def _given(exercise: Exercise, inputs: Mapping[str, Any], key: str) -> Any:
    """The learner's value for `key` (a blank field is the pane's default), else the exercise's."""
    value = inputs.get(key, getattr(exercise, key))
    blanks = BLANK_FIT_DEFAULTS if exercise.kind == "fit" else BLANK_DEFAULTS
    if isinstance(value, str) and not value.strip() and key in blanks:
        return blanks[key]
    return value


def settings_for(exercise: Exercise, inputs: Mapping[str, Any]) -> Settings:
    """The exercise's settings with the learner's inputs applied (AttemptError if unusable).
    A blank iterations, precision or method field means the pane's default, as in its runs."""
    from tutor.engine import METHODS

    method = str(_given(exercise, inputs, "method")).strip().lower()
    if method not in METHODS:
        raise AttemptError(f"'{method}' is not a method; use one of {', '.join(METHODS)}.")
    start = inputs.get("start", exercise.start)
    try:
        point = None if start is None else parse_point(start_text(start))
    except ValueError as exc:
        raise AttemptError(_sentence(exc)) from None
    function = inputs.get("function", exercise.function)
    data = inputs.get("data", exercise.data)
    return Settings(
        function=None if function is None else str(function),
        start=point,
        learning_rate=_number(_given(exercise, inputs, "learning_rate")
                              if "learning_rate" in inputs
                              else exercise.learning_rate or DEFAULT_LEARNING_RATE,
                              "learning rate", "0.1"),
        iterations=_iterations(_given(exercise, inputs, "iterations")),
        precision=_number(_given(exercise, inputs, "precision"), "precision", "0.0001",
                          positive=False),  # 0: never stop early, as in the pane
        method=method,
        scale=_flag(inputs.get("scale", exercise.scale)),
        data=None if data is None else str(data),
        editable=tuple(exercise.editable),
    )


def start_text(value: Any) -> Any:
    """A typed start as the pane reads it: `(-1, 2)`, `-1 2` and `-1;2` all mean -1,2."""
    if not isinstance(value, str):
        return value
    text = value.strip().strip("()[]").replace(";", ",").replace(",", " ")
    return ",".join(text.split()) or value


def check_attempt(exercise: Exercise, inputs: Mapping[str, Any] | None = None) -> CheckOutcome:
    """Check one attempt: `inputs` may hold function, start, learning_rate, iterations,
    precision, method, scale, data, answer or choice. Never raises for bad input."""
    from tutor.engine import EngineInputError

    inputs = dict(inputs or {})
    try:
        return _check(exercise, inputs)
    except (AttemptError, EngineInputError) as exc:
        return CheckOutcome(False, _sentence(exc))


def _check(exercise: Exercise, inputs: dict[str, Any]) -> CheckOutcome:
    goal = exercise.goal
    passes: list[str] = []
    for key, judge in (("answer", _judge_answer), ("choice", _judge_choice)):
        if key in goal:
            ok, message = judge(exercise, inputs)
            if not ok:
                return CheckOutcome(False, message)
            passes.append(message)
    needs_settings = any(k in goal for k in RUN_GOALS + ("learning_rate_between",))
    if not needs_settings:
        return CheckOutcome(True, " ".join(passes) or "Done.")
    settings = settings_for(exercise, inputs)
    if "learning_rate_between" in goal:
        ok, message = _judge_rate(settings.learning_rate, goal["learning_rate_between"])
        if not ok:
            return CheckOutcome(False, message)
        passes.append(message)
    result = None
    if any(k in goal for k in RUN_GOALS):
        result = _perform(exercise, settings)
        from tutor.lessons.verdicts import judge_run

        ok, message = judge_run(goal, result, settings)
        if not ok:
            return CheckOutcome(False, message, result)
        passes.append(message)
    return CheckOutcome(True, " ".join(passes), result)


def _perform(exercise: Exercise, settings: Settings) -> Any:
    """Run the engine: a fit for `kind: fit`, else gradient descent."""
    if exercise.kind == "fit":
        return _fit(exercise, settings)
    from tutor.engine import minimize, parse_function

    if not settings.function:
        raise AttemptError("Type a function first, for example x^2.")
    parsed = parse_function(settings.function)
    if settings.start is None or len(settings.start) != len(parsed.variables):
        count = 0 if settings.start is None else len(settings.start)
        names = ", ".join(parsed.variables)
        raise AttemptError(f"The start point has {count} number(s) but the function has "
                           f"{len(parsed.variables)} variable(s) ({names}); give one number "
                           "for each.")
    return minimize(parsed.text, list(settings.start), learning_rate=settings.learning_rate,
                    max_iterations=settings.iterations, precision=settings.precision,
                    method=settings.method)


def data_path(exercise: Exercise, name: str) -> Path:
    """Resolve a data file: absolute or relative paths that exist as typed, else lessons/data/.

    When the tutor is served to a class ($GD_TUTOR_LEARNER set), only files in the
    lessons' data folder or the learner's own data folder may be read (AttemptError)."""
    folder = exercise.path.parent if exercise.path is not None else Path.cwd()
    return resolve_data_path(name, folder / "data")


def resolve_data_path(name: str, lessons_data: Path | None) -> Path:
    """The CSV a fit reads: in the lessons' data folder first, else as typed, kept to the
    lessons' and the learner's data folders when serving a class."""
    typed = Path(str(name).strip()).expanduser() if not _served() else Path(str(name).strip())
    found = typed
    if not typed.is_absolute():
        for folder in _data_folders(lessons_data):
            if (folder / typed).is_file():
                found = folder / typed
                break
        else:
            found = typed if typed.exists() or lessons_data is None else lessons_data / typed
    if _served() and not _inside_allowed(found, lessons_data):
        raise AttemptError("In a class only the lesson data files (like anscombe1.csv) and "
                           "files in your own data folder can be fitted.")
    return found


def existing(path: Path, typed: str) -> Path:
    """`path` if something is there; else AttemptError naming the lessons' data files."""
    if path.exists():
        return path
    shipped = sorted(p.name for p in path.parent.glob("*.csv")) if path.parent.is_dir() else []
    files = f" The lesson data files are {', '.join(shipped)}." if shipped else ""
    raise AttemptError(f"There is no data file '{str(typed).strip()}'.{files}")


def _served() -> bool:
    return bool(os.environ.get(LEARNER_ENV))


def _learner_folder() -> Path | None:
    folder = os.environ.get("GD_TUTOR_DATA_DIR")
    return Path(folder) if folder else None


def _data_folders(lessons_data: Path | None) -> list[Path]:
    folders = [lessons_data] if lessons_data is not None else []
    learner = _learner_folder()
    return folders + [learner] if _served() and learner is not None else folders


def _inside_allowed(path: Path, lessons_data: Path | None) -> bool:
    target = path.resolve() if path.is_absolute() else (Path.cwd() / path).resolve()
    for folder in _data_folders(lessons_data):
        if target.is_relative_to(folder.resolve()):
            return True
    return False


def _fit(exercise: Exercise, settings: Settings) -> Any:
    from tutor.engine import fit, load_xy_csv

    if not settings.data:
        raise AttemptError("Name a CSV file to fit, for example anscombe1.csv.")
    data = load_xy_csv(existing(data_path(exercise, settings.data), settings.data))
    return fit(list(data.xs), list(data.ys), learning_rate=settings.learning_rate,
               max_iterations=settings.iterations, precision=settings.precision,
               scale=settings.scale)


def _typed_number(value: Any, example: str) -> float:
    if value is None or (isinstance(value, str) and not value.strip()):
        raise AttemptError(f"Type a number first, like {example}.")
    try:
        number = float(str(value).strip().replace(" ", ""))
    except ValueError:
        raise AttemptError(f"'{value}' is not a number; type just the number, like {example} "
                           "(no letters or sums).") from None
    if isinstance(value, bool) or not math.isfinite(number):
        raise AttemptError(f"Type a finite number, like {example}.")
    return number


def _fmt(value: float) -> str:
    return f"{value:.6g}"


def _judge_answer(exercise: Exercise, inputs: Mapping[str, Any]) -> tuple[bool, str]:
    want = float(exercise.goal["answer"])
    got = _typed_number(inputs.get("answer"), "12 or 0.5")
    tolerance = exercise.goal.get("tolerance")
    allowed = float(tolerance) if tolerance is not None else 1e-6 * max(1.0, abs(want))
    if abs(got - want) <= allowed:
        return True, f"Right: {_fmt(want)}."
    side = "too small" if got < want else "too large"
    return False, f"Not quite: {_fmt(got)} is {side}."


def _judge_choice(exercise: Exercise, inputs: Mapping[str, Any]) -> tuple[bool, str]:
    count = len(exercise.options)
    raw = inputs.get("choice", inputs.get("answer"))
    try:
        picked = int(str(raw).strip())
    except ValueError:
        raise AttemptError(f"Pick one of the options, 1 to {count}.") from None
    if not 1 <= picked <= count:
        raise AttemptError(f"Pick one of the options, 1 to {count}.")
    option = exercise.options[picked - 1]
    if picked == int(exercise.goal["choice"]):
        return True, f"Right: {option}."
    return False, f"Not that one: \"{option}\" is not the answer. Look again and try another."


def _judge_rate(rate: float, bounds: Any) -> tuple[bool, str]:
    """Within the goal's range? A wide range is named; a narrow one is the answer, so a
    miss only says which way to go."""
    low, high = (float(b) for b in bounds)
    span = f"between {_fmt(low)} and {_fmt(high)}"
    if low <= rate <= high:
        return True, f"The learning rate {_fmt(rate)} is {span}."
    side, size, way = ("below", "small", "larger") if rate < low else ("above", "large", "smaller")
    if high - low >= 0.1 * max(abs(low), abs(high)):
        return False, f"The learning rate {_fmt(rate)} is {side} the goal ({span})."
    return False, f"The learning rate {_fmt(rate)} is too {size} for this goal; try a {way} one."


def with_inputs(exercise: Exercise, inputs: Mapping[str, Any]) -> Exercise:
    """A copy of the exercise with the learner's run settings applied (for display)."""
    settings = settings_for(exercise, inputs)
    return replace(exercise, function=settings.function, start=settings.start,
                   learning_rate=settings.learning_rate, iterations=settings.iterations,
                   precision=settings.precision, method=settings.method,
                   scale=settings.scale, data=settings.data)
