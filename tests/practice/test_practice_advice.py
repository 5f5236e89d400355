"""Advice is tried before it is shown: applied as the learner would, it passes (or, where
it says so, improves); it names only fields the learner may change."""

from __future__ import annotations

from typing import Any

import pytest

from tutor.lessons import Exercise, default_lessons_dir, load_lessons
from tutor.practice import Verdict, check_attempt

LESSONS = load_lessons(default_lessons_dir())
EXERCISES = [e for lesson in LESSONS.lessons for e in lesson.exercises]


def _typed(value: Any) -> str:
    """A value as a learner would type it into the field."""
    if isinstance(value, (list, tuple)):
        return ",".join(repr(float(v)) for v in value)
    return str(value).lower() if isinstance(value, bool) else str(value)


def _attempts() -> list[tuple[Exercise, dict[str, Any]]]:
    """Every wrong answer of every lesson exercise, plus a few plausible slips per field."""
    found = []
    for exercise in EXERCISES:
        for wrong in exercise.wrong:
            found.append((exercise, dict(wrong)))
        if "learning_rate" in exercise.editable:
            found += [(exercise, {"learning_rate": r}) for r in (0.001, 1.5)]
        if "iterations" in exercise.editable:
            found.append((exercise, {"iterations": 3}))
        if exercise.goal.get("converge_within"):
            found.append((exercise, {}))  # Enter on the settings as the lesson gives them
    return found


ATTEMPTS = _attempts()


@pytest.mark.parametrize(("exercise", "inputs"), ATTEMPTS,
                         ids=[f"{e.key}{i}" for e, i in ATTEMPTS])
def test_advice_applied_passes_or_improves(exercise: Exercise, inputs: dict[str, Any]) -> None:
    verdict = check_attempt(exercise, inputs)
    for advice in verdict.advice:
        assert set(advice.set) <= set(exercise.editable), (advice, exercise.editable)
        assert advice.why in verdict.message
        applied = check_attempt(exercise, inputs | {k: _typed(v) for k, v in advice.set.items()})
        if "not there yet" in advice.why:
            assert _better(applied, verdict), (advice, applied.message)
            limit = exercise.goal.get("converge_within")
            # a budget past the goal's own limit is no step towards it (the capstone's race
            # once advised 5000 iterations for a run that had to finish within 1000)
            assert not limit or advice.set.get("iterations", 0) <= limit, advice
        else:
            assert applied.passed, (advice, applied.message)


def _better(after: Verdict, before: Verdict) -> bool:
    order = {"diverged": 0, "stopped": 0, "max_iterations": 1, "converged": 2}
    return order[after.result.status] > order[before.result.status]


def test_some_advice_is_given_and_every_message_is_one_paragraph() -> None:
    verdicts = [check_attempt(e, i) for e, i in ATTEMPTS]
    assert sum(bool(v.advice) for v in verdicts) >= 20
    assert all("\n" not in v.message for v in verdicts)


def test_wrong_answers_are_diagnosed_with_a_key() -> None:
    keys = {check_attempt(e, w).diagnosis for e in EXERCISES for w in e.wrong}
    assert {"diverged_oscillating", "too_slow", "crawling"} <= keys
    assert None not in {check_attempt(e, w).diagnosis for e in EXERCISES for w in e.wrong
                        if not check_attempt(e, w).passed}
