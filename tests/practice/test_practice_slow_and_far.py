"""A run that converged too slowly and also missed the goal says both (a learner read only
"Converged in 3867 updates, but the goal is 1000 or fewer" for a run that ended 0.2 from the
goal point, and "converged" for a run that stopped on a slope far from the bottom)."""

from __future__ import annotations

from tutor.lessons import default_lessons_dir, load_lessons
from tutor.practice import check_attempt

LESSONS = load_lessons(default_lessons_dir())


def _exercise(key: str):
    return next(e for lesson in LESSONS.lessons for e in lesson.exercises if e.key == key)


def test_a_slow_run_that_missed_the_point_says_both() -> None:
    verdict = check_attempt(_exercise("capstone/banana-challenge"),
                            {"learning_rate": "0.001", "iterations": "1000000"})
    assert not verdict.passed
    assert verdict.message.startswith("Converged in 3867 updates, but the goal is 1000 or fewer")
    assert "It ended at (x, y) = (0.8974, 0.8048), but the goal is within 0.02 of (1, 1)." \
        in verdict.message


def test_a_slow_run_that_stopped_on_a_slope_says_it_did_not_reach_a_bottom() -> None:
    verdict = check_attempt(_exercise("capstone/own-function"),
                            {"learning_rate": "0.000001", "iterations": "1000000"})
    assert not verdict.passed and verdict.diagnosis == "stopped_early"
    assert "but the goal is 200 or fewer, and it did not reach a bottom" in verdict.message
    assert "while the ground was still sloping" in verdict.message


def test_a_slow_run_that_reached_the_bottom_says_only_that_it_was_slow() -> None:
    verdict = check_attempt(_exercise("capstone/own-function"), {"learning_rate": "0.01"})
    assert not verdict.passed and verdict.diagnosis in ("too_slow", "crawling")
    assert "did not reach a bottom" not in verdict.message
