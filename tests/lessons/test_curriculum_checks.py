"""The shipped curriculum runs: every claim holds, every exercise starts unsolved,
every reference solution passes, every wrong answer fails, and the real
`gd-tutor check-lessons` command passes on the shipped folder.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tutor.lessons import Exercise, Lesson, load_lessons
from tutor.lessons.recompute import evaluate_claim
from tutor.practice import check_attempt

LESSONS_DIR = Path(__file__).resolve().parents[2] / "lessons"
DATA_DIR = LESSONS_DIR / "data"
OBSERVE_KINDS = ("step",)


def _lessons() -> list[Lesson]:
    return list(load_lessons(LESSONS_DIR).lessons)


def _exercises() -> list[Exercise]:
    return [exercise for lesson in _lessons() for exercise in lesson.exercises]


def _gd_tutor() -> list[str]:
    """The installed console script next to this Python, else the module."""
    script = Path(sys.executable).with_name("gd-tutor")
    if script.is_file():
        return [str(script)]
    found = shutil.which("gd-tutor")
    return [found] if found else [sys.executable, "-m", "tutor.cli"]


@pytest.mark.parametrize("lesson", _lessons(), ids=lambda lesson: lesson.slug)
def test_every_claim_holds(lesson: Lesson) -> None:
    failures = [evaluate_claim(claim, DATA_DIR).message for claim in lesson.claims
                if not evaluate_claim(claim, DATA_DIR).holds]
    assert failures == []


@pytest.mark.parametrize("exercise", _exercises(), ids=lambda e: e.key)
def test_every_exercise_starts_unsolved(exercise: Exercise) -> None:
    outcome = check_attempt(exercise, {})
    if exercise.kind in OBSERVE_KINDS:
        assert outcome.passed, outcome.message
    else:
        assert not outcome.passed, f"{exercise.key} passes with its defaults"


@pytest.mark.parametrize("exercise", _exercises(), ids=lambda e: e.key)
def test_solution_passes_and_every_wrong_answer_fails(exercise: Exercise) -> None:
    outcome = check_attempt(exercise, exercise.solution)
    assert outcome.passed, outcome.message
    for wrong in exercise.wrong:
        assert not check_attempt(exercise, wrong).passed, wrong


def test_solutions_only_touch_editable_fields() -> None:
    for exercise in _exercises():
        for inputs in (exercise.solution, *exercise.wrong):
            touched = set(inputs) - {"answer", "choice"}
            assert touched <= set(exercise.editable), (exercise.key, touched)


def test_x_squared_headline_numbers() -> None:
    """Lessons 04-05 rest on these runs; pin them with the engine directly."""
    from tutor.engine import minimize

    assert minimize("x^2", [3], learning_rate=0.1).nit == 40
    assert minimize("x^2", [3], learning_rate=0.5, max_iterations=1).x == (0.0,)
    bounce = minimize("x^2", [3], learning_rate=1)
    assert (bounce.status, bounce.x) == ("max_iterations", (3.0,))
    assert minimize("x^2", [3], learning_rate=1.1).status == "diverged"


def test_anscombe_quartet_is_the_published_data() -> None:
    from tutor.engine import least_squares_line, load_xy_csv

    sums = []
    for number in range(1, 5):
        data = load_xy_csv(DATA_DIR / f"anscombe{number}.csv")
        line = least_squares_line(data.xs, data.ys)
        assert len(data.xs) == 11
        assert round(line.intercept, 2) == 3.00 and round(line.slope, 3) == 0.500
        sums.append(round(sum(data.ys), 2))
    assert sums == [82.51, 82.51, 82.5, 82.51]


def _exercise(key: str) -> Exercise:
    return next(e for e in _exercises() if e.key == key)


@pytest.mark.parametrize("number", [1, 2, 3, 4])
def test_every_anscombe_set_gives_the_same_fitted_line(number: int) -> None:
    """Lesson 09 tells the learner to load anscombe2-4 in the fit exercise: all pass."""
    exercise = _exercise("linear-regression/fit-anscombe")
    outcome = check_attempt(exercise, {"learning_rate": 0.1, "data": f"anscombe{number}.csv"})
    assert outcome.passed, outcome.message


def test_a_learners_own_csv_works_in_the_capstone(tmp_path: Path) -> None:
    own = tmp_path / "study.csv"
    own.write_text("hours,score\n1,5\n2,8\n3,11\n4,14\n5,17\n", encoding="utf-8")
    exercise = _exercise("capstone/own-data")
    outcome = check_attempt(exercise, {"data": str(own), "scale": "true"})
    assert outcome.passed, outcome.message
    assert abs(outcome.result.slope - 3.0) < 1e-6 and abs(outcome.result.intercept - 2.0) < 1e-6


def test_a_broken_csv_gets_one_sentence_not_a_traceback(tmp_path: Path) -> None:
    broken = tmp_path / "broken.csv"
    broken.write_text("a,b\nx,y\n", encoding="utf-8")
    outcome = check_attempt(_exercise("capstone/own-data"), {"data": str(broken)})
    assert not outcome.passed
    assert outcome.message.endswith(".") and "\n" not in outcome.message
    assert "Traceback" not in outcome.message


def test_check_lessons_command_passes_on_the_shipped_lessons() -> None:
    done = subprocess.run([*_gd_tutor(), "check-lessons", str(LESSONS_DIR)],
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    count = len(load_lessons(LESSONS_DIR).lessons)
    assert f"{count} lessons" in done.stdout and "all checks pass" in done.stdout
