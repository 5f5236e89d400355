"""Judging an attempt: exercise + settings + the outcome the learner saw -> a verdict.

Nothing here runs the engine: the verdict is about the one run the attempt made.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from tutor.lessons.schema import ANSWER_KEYS, RUN_GOALS
from tutor.practice.settings import AnswerSettings, DescentSettings, FitSettings
from tutor.practice.verdicts import Advice, judge_run

if TYPE_CHECKING:
    from tutor.lessons.model import Exercise
    from tutor.practice.running import Outcome


@dataclass(frozen=True)
class Verdict:
    """Did the attempt pass, one message saying why, what to try (as data), and the run
    that was judged (a DescentResult or FitResult; None when nothing ran)."""

    passed: bool
    message: str
    advice: tuple[Advice, ...] = ()
    result: Any = None


def judged_on_run(exercise: Exercise | None) -> bool:
    """True when the exercise's goal is judged from a run (not from a typed answer)."""
    if exercise is None or not exercise.goal:
        return False
    return not (set(ANSWER_KEYS) & set(exercise.goal))


def needs_run(exercise: Exercise) -> bool:
    """True when some goal is about a run (so an attempt must make one)."""
    return any(key in exercise.goal for key in RUN_GOALS)


def needs_settings(exercise: Exercise) -> bool:
    """True when some goal is about the run's settings or the run itself."""
    return needs_run(exercise) or "learning_rate_between" in exercise.goal


def judge(exercise: Exercise, *, answers: AnswerSettings | None = None,
          settings: DescentSettings | FitSettings | None = None,
          outcome: Outcome | None = None) -> Verdict:
    """Test every goal (all must hold); the first that fails decides the message."""
    goal = exercise.goal
    passes: list[str] = []
    if answers is not None:
        for key, check in (("answer", _judge_answer), ("choice", _judge_choice)):
            if key in goal:
                ok, message = check(exercise, answers)
                if not ok:
                    return Verdict(False, message)
                passes.append(message)
    if settings is not None and "learning_rate_between" in goal:
        ok, message = _judge_rate(settings.learning_rate, goal["learning_rate_between"])
        if not ok:
            return Verdict(False, message)
        passes.append(message)
    result = getattr(outcome, "result", None) if needs_run(exercise) else None
    if settings is not None and result is not None:
        advice: list[Advice] = []
        ok, message = judge_run(goal, result, settings, advice)
        if not ok:
            return Verdict(False, message, tuple(advice), result)
        passes.append(message)
    return Verdict(True, " ".join(passes) or "Done.", (), result)


def _fmt(value: float) -> str:
    return f"{value:.6g}"


def _judge_answer(exercise: Exercise, answers: AnswerSettings) -> tuple[bool, str]:
    want = float(exercise.goal["answer"])
    got = float(answers.answer if answers.answer is not None else math.nan)
    tolerance = exercise.goal.get("tolerance")
    allowed = float(tolerance) if tolerance is not None else 1e-6 * max(1.0, abs(want))
    if abs(got - want) <= allowed:
        return True, f"Right: {_fmt(want)}."
    side = "too small" if got < want else "too large"
    return False, f"Not quite: {_fmt(got)} is {side}."


def _judge_choice(exercise: Exercise, answers: AnswerSettings) -> tuple[bool, str]:
    picked = int(answers.choice or 0)
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
