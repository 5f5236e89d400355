"""Judging an attempt: exercise + settings + the outcome the learner saw -> a verdict.

Nothing here runs the engine: the verdict is about the one run the attempt made.
"""

from __future__ import annotations

import math
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from tutor.lessons.schema import ANSWER_KEYS, RUN_GOALS
from tutor.practice.advice import try_advice
from tutor.practice.model_verdicts import is_model_result, judge_model, known_why
from tutor.practice.settings import AnswerSettings, DescentSettings, FitSettings
from tutor.practice.verdicts import Verdict, judge_run

if TYPE_CHECKING:
    from tutor.lessons.model import Exercise
    from tutor.practice.running import Outcome


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
    return needs_run(exercise) or bool({"learning_rate_between", "function_equals"}
                                       & set(exercise.goal))


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
    if isinstance(settings, DescentSettings) and "function_equals" in goal:
        ok, message, diagnosis = same_function(settings.function, str(goal["function_equals"]))
        if not ok:
            return Verdict(False, message, diagnosis=diagnosis)
    if settings is not None and "learning_rate_between" in goal:
        ok, message = _judge_rate(settings.learning_rate, goal["learning_rate_between"])
        if not ok:
            return Verdict(False, message, diagnosis="rate_out_of_range")
        passes.append(message)
    result = getattr(outcome, "result", None) if needs_run(exercise) else None
    if settings is not None and result is not None:
        objective = getattr(outcome, "objective", None)
        finding = (judge_model(goal, result, settings) if is_model_result(result)
                   else judge_run(goal, result, settings, getattr(objective, "value", None)))
        if not finding.passed:
            advice = try_advice(settings, finding.directions, goal,
                                lambda candidate: _passes(exercise, candidate),
                                before=result) if advise else None
            known = (known_why(exercise, settings) if is_model_result(result)
                     and finding.diagnosis != "no_test_set" else "")
            message = " ".join(part for part in (finding.message, known,
                                                 advice.why if advice else "") if part)
            return Verdict(False, message, (advice,) if advice else (), result,
                           finding.diagnosis)
        passes.append(finding.message)
    return Verdict(True, " ".join(passes) or "Done.", (), result,
                   explain=explain_for(exercise, settings, result))


def explain_for(exercise: Exercise, settings: Any, result: Any) -> str:
    """The explanation for a pass: the first case whose conditions hold for this run, else
    the exercise's plain `explain`."""
    for case in exercise.explain_when:
        if _holds(case, settings, result):
            return case.text
    return exercise.explain


def _holds(case: Any, settings: Any, result: Any) -> bool:
    start = getattr(settings, "start", None)
    if case.start_between is not None:
        if not start or not case.start_between[0] <= start[0] <= case.start_between[1]:
            return False
    if case.rate_between is not None:
        rate = getattr(settings, "learning_rate", None)
        if rate is None or not case.rate_between[0] <= rate <= case.rate_between[1]:
            return False
    if case.end_near is not None:
        end = getattr(result, "x", None)
        if end is None or len(end) != len(case.end_near) or max(
                abs(a - b) for a, b in zip(end, case.end_near)) > case.tolerance:
            return False
    return True


SAMPLES = (-2.5, -0.7, 0.3, 1.9, 4.6)


def same_function(typed: str, wanted: str) -> tuple[bool, str, str | None]:
    """Is the learner's function the one asked for? Compared by value at sample points; a
    constant factor is named (the MSE of four days divided by 3 instead of 4)."""
    from tutor.practice.compiled import objective_of

    mine, target = objective_of(typed), objective_of(wanted)
    if tuple(mine.variables) != tuple(target.variables):
        names = ", ".join(target.variables)
        return False, f"The cost should be a function of {names}, like the one asked for.", \
            "function_variables"
    points = [tuple(SAMPLES[(i + j) % len(SAMPLES)] for j in range(len(target.variables)))
              for i in range(len(SAMPLES))]
    pairs = [(mine.value(p), target.value(p)) for p in points]
    if all(math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12) for a, b in pairs):
        return True, "", None
    ratios = {round(a / b, 9) for a, b in pairs if b != 0 and math.isfinite(a / b)}
    if len(ratios) == 1 and all(b != 0 for _, b in pairs):
        (ratio,) = ratios
        fraction = Fraction(ratio).limit_denominator(12)
        shown = str(fraction) if abs(float(fraction) - ratio) < 1e-9 else _fmt(ratio)
        return (False, f"Not quite: your function is {shown} times the cost asked for at "
                "every point, so it has the same lowest point but not the same values; check "
                "what you divide by.", "function_factor")
    p, (a, b) = points[0], pairs[0]
    where = ", ".join(f"{n} = {_fmt(v)}" for n, v in zip(target.variables, p))
    return (False, f"Not quite: at {where} your function gives {_fmt(a)}, but the cost asked "
            f"for gives {_fmt(b)}.", "function_differs")


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
    for number, (wrong, why) in enumerate(zip(exercise.wrong, exercise.wrong_notes), start=1):
        known = wrong.get("answer")
        if why and known is not None and abs(got - float(known)) <= allowed:
            return False, f"Not quite: {why}", f"known_wrong_{number}"
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
                    return (f"Not quite: {_fmt(got)} is {factor} {way}; look for a factor "
                            "applied once too often, or left out.", "answer_factor")
    if any(abs(got - round(want, places)) < 1e-9 * max(1.0, abs(want)) for places in range(5)):
        return (f"Not quite: {_fmt(got)} is the answer rounded too far; keep more decimals "
                "while you work, and round only at the end.", "answer_rounding")
    return f"Not quite: {_fmt(got)} is {side}.", "answer_off"


def _judge_choice(exercise: Exercise, answers: AnswerSettings) -> tuple[bool, str, str | None]:
    picked = int(answers.choice or 0)
    option = exercise.options[picked - 1]
    if picked == int(exercise.goal["choice"]):
        return True, f"Right: {option}.", None
    notes = exercise.option_notes
    why = notes[picked - 1] if picked - 1 < len(notes) and notes[picked - 1] else ""
    if why:
        return False, f"Not that one: {why}", f"choice_{picked}"
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
