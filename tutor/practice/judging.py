"""Judging an attempt: exercise + settings + the outcome the learner saw -> a verdict.

Nothing here runs the engine: the verdict is about the one run the attempt made.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from tutor.lessons.schema import ANSWER_KEYS, RUN_GOALS
from tutor.practice.advice import try_advice
from tutor.practice.settings import AnswerSettings, DescentSettings, FitSettings
from tutor.practice.verdicts import Advice, judge_run

if TYPE_CHECKING:
    from tutor.lessons.model import Exercise
    from tutor.practice.running import Outcome


@dataclass(frozen=True)
class Verdict:
    """Did the attempt pass, one message saying why (cause first), advice that was tried
    and passed (as data), the run that was judged (a DescentResult or FitResult; None when
    nothing ran), and a diagnosis key a teacher's view can group wrong attempts by."""

    passed: bool
    message: str
    advice: tuple[Advice, ...] = ()
    result: Any = None
    diagnosis: str | None = None


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
          outcome: Outcome | None = None, advise: bool = True) -> Verdict:
    """Test every goal (all must hold); the first that fails decides the message. A failed
    run goal comes with advice only when a change within the learner's fields was tried
    and passed (`advise=False` skips the trying, as the trying itself does)."""
    goal = exercise.goal
    passes: list[str] = []
    if answers is not None:
        for key, check in (("answer", _judge_answer), ("choice", _judge_choice)):
            if key in goal:
                ok, message, diagnosis = check(exercise, answers)
                if not ok:
                    return Verdict(False, message, diagnosis=diagnosis)
                passes.append(message)
    if settings is not None and "learning_rate_between" in goal:
        ok, message = _judge_rate(settings.learning_rate, goal["learning_rate_between"])
        if not ok:
            return Verdict(False, message, diagnosis="rate_out_of_range")
        passes.append(message)
    result = getattr(outcome, "result", None) if needs_run(exercise) else None
    if settings is not None and result is not None:
        objective = getattr(outcome, "objective", None)
        finding = judge_run(goal, result, settings, getattr(objective, "value", None))
        if not finding.passed:
            advice = try_advice(settings, finding.directions, goal,
                                lambda candidate: _passes(exercise, candidate),
                                before=result) if advise else None
            message = f"{finding.message} {advice.why}" if advice else finding.message
            return Verdict(False, message, (advice,) if advice else (), result,
                           finding.diagnosis)
        passes.append(finding.message)
    return Verdict(True, " ".join(passes) or "Done.", (), result)


def _passes(exercise: Exercise, candidate: DescentSettings | FitSettings) -> tuple[bool, Any]:
    """Run a candidate change and judge it as the learner's own attempt would be."""
    from tutor.practice.running import run

    outcome = run(candidate)
    verdict = judge(exercise, settings=candidate, outcome=outcome, advise=False)
    return verdict.passed, getattr(outcome, "result", None)


def _fmt(value: float) -> str:
    return f"{value:.6g}"


FACTORS = (2, 3, 4, 5, 6, 7, 8, 9, 10)


def _judge_answer(exercise: Exercise, answers: AnswerSettings) -> tuple[bool, str, str | None]:
    want = float(exercise.goal["answer"])
    got = float(answers.answer if answers.answer is not None else math.nan)
    tolerance = exercise.goal.get("tolerance")
    allowed = float(tolerance) if tolerance is not None else 1e-6 * max(1.0, abs(want))
    if abs(got - want) <= allowed:
        return True, f"Right: {_fmt(want)}.", None
    return (False, *_answer_diagnosis(got, want, allowed))


def _answer_diagnosis(got: float, want: float, allowed: float) -> tuple[str, str]:
    """What kind of wrong a number is: the sign, a whole factor, rounding, or just off."""
    side = "too small" if got < want else "too large"
    if want != 0 and abs(got + want) <= allowed:
        return (f"Not quite: {_fmt(got)} has the right size but the wrong sign; check the sign "
                "of each term.", "answer_sign")
    if want != 0 and got != 0:
        for factor in FACTORS:
            for ratio, way in ((factor, "times too large"), (1 / factor, "times too small")):
                if abs(got - want * ratio) <= allowed * max(1.0, ratio):
                    return (f"Not quite: {_fmt(got)} is {factor} {way}; check whether you "
                            "divided (or multiplied) by the right count.", "answer_factor")
    if any(abs(got - round(want, places)) < 1e-9 * max(1.0, abs(want)) for places in range(5)):
        return (f"Not quite: {_fmt(got)} is the answer rounded too far; keep more decimals "
                "while you work, and round only at the end.", "answer_rounding")
    return f"Not quite: {_fmt(got)} is {side}.", "answer_off"


def _judge_choice(exercise: Exercise, answers: AnswerSettings) -> tuple[bool, str, str | None]:
    picked = int(answers.choice or 0)
    option = exercise.options[picked - 1]
    if picked == int(exercise.goal["choice"]):
        return True, f"Right: {option}.", None
    return (False, f"Not that one: \"{option}\" is not the answer. Look again and try another.",
            f"choice_{picked}")


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
