"""`check-lessons` for code exercises: the reference must pass (run through the sandbox,
as a learner's code is) and every mistake the exercise lists must fail with its own
diagnosis (its numbers judged as if a learner's function had returned them)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tutor.practice.codechecks import CHECKS

if TYPE_CHECKING:
    from tutor.lessons.model import Exercise


def code_problems(exercise: Exercise) -> list[tuple[str, str]]:
    """(block key, message) for everything wrong with a code exercise."""
    from tutor.engine import EngineInputError

    spec = exercise.code
    assert spec is not None
    try:
        for case in spec.cases:
            CHECKS[spec.check].args(case)
    except (KeyError, TypeError, ValueError) as exc:
        return [("cases", f"a case lacks or mistypes {exc} for a '{spec.check}' check.")]
    try:
        found = _reference_problems(exercise) + _mistake_problems(exercise)
    except EngineInputError as exc:
        return [("cases", f"the engine cannot run a case: {exc}")]
    return found


def _reference_problems(exercise: Exercise) -> list[tuple[str, str]]:
    from tutor.practice.attempts import check_attempt

    assert exercise.code is not None
    verdict = check_attempt(exercise, {"code": exercise.code.reference})
    if verdict.passed:
        return []
    return [("reference", f"the reference solution fails: {verdict.message}")]


def _mistake_problems(exercise: Exercise) -> list[tuple[str, str]]:
    from tutor.practice.code import expected_and_mistakes
    from tutor.practice.mistakes import CATALOGUE

    spec = exercise.code
    assert spec is not None
    found: list[tuple[str, str]] = []
    _, numbers = expected_and_mistakes(spec)
    for key in spec.mistakes:
        mistake = CATALOGUE.get(key)
        if mistake is None or mistake.check != spec.check:
            known = ", ".join(k for k, m in CATALOGUE.items() if m.check == spec.check)
            found.append(("mistakes", f"'{key}' is not a catalogued mistake of a "
                          f"'{spec.check}' function (known: {known})."))
        elif key not in numbers:
            found.append(("mistakes", f"mistake '{key}' gives no finite numbers on these "
                          "cases (it overflows); pick cases where it does."))
        else:
            found += _judged_forms(exercise, key, numbers[key])
    return found


def _judged_forms(exercise: Exercise, key: str, forms: tuple) -> list[tuple[str, str]]:
    """Every form of a mistake, judged as a learner's numbers, must fail with its own key."""
    from tutor.practice.code import judge_code, outcome_from_numbers

    from tutor.practice.mistakes import CATALOGUE

    spec = exercise.code
    assert spec is not None
    sample = CATALOGUE[key].sample
    source = sample(spec.reference) if sample else ""
    for numbers in forms:
        verdict = judge_code(exercise, outcome_from_numbers(spec, numbers, source))
        if verdict.passed:
            return [("mistakes", f"mistake '{key}' passes on these cases; add a case where "
                     "it makes a difference.")]
        if verdict.diagnosis != key:
            return [("mistakes", f"mistake '{key}' is diagnosed as '{verdict.diagnosis}' on "
                     "these cases; add a case that tells them apart.")]
    return []
