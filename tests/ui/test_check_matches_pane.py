"""`gd-tutor check` gives the pane's verdict, and an attempt runs the engine once.

The same inputs go to a real exercise pane (typed into its fields, Enter pressed)
and to the real `gd-tutor check` command; passed and message must be equal.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from typing import Any

import pytest
from ui_testkit import VerdictHost

import tutor.engine
from tutor.lessons import Exercise, default_lessons_dir, load_lessons
from tutor.ui.widgets.exercise import ExercisePane

LESSONS = load_lessons(default_lessons_dir())


def exercise(key: str) -> Exercise:
    lesson_slug, _, exercise_id = key.partition("/")
    lesson = LESSONS.find(lesson_slug)
    assert lesson is not None
    return next(e for e in lesson.exercises if e.id == exercise_id)


async def pane_verdict(shown: Exercise, typed: dict[str, str]) -> tuple[bool, str]:
    """Type `typed` into the pane's fields, press Enter, and read the verdict it reports
    (inputs it cannot run at all are a problem sentence on its status line: not passed)."""
    app = VerdictHost(shown)
    async with app.run_test(size=(80, 24)) as pilot:
        pane = app.query_one(ExercisePane)
        pane.fields.set_values({k: v for k, v in typed.items() if k != "choice"})
        if "choice" in typed:
            pane.query_one("#choices").highlighted = int(typed["choice"]) - 1
        pane.action_run()
        end = time.monotonic() + 30
        while not app.attempts and time.monotonic() < end:
            await pilot.pause(0.05)
            if pane.status.has_class("-error"):
                return False, pane.status.outcome_text.removeprefix("Problem: ")
        assert app.attempts, "the pane gave no verdict"
        return bool(app.attempts[0].passed), app.attempts[0].message


def check_verdict(key: str, typed: dict[str, str]) -> dict[str, Any]:
    """The real `gd-tutor check KEY --set ... --json`."""
    args = [sys.executable, "-m", "tutor.cli", "check", key, "--json"]
    for field, value in typed.items():
        args += ["--set", f"{field}={value}"]
    done = subprocess.run(args, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0 and done.stderr == "", done.stderr
    return json.loads(done.stdout)


CASES = [
    ("gradient-descent/halve-each-step", {"learning_rate": "0.25"}),   # passes
    ("gradient-descent/halve-each-step", {"learning_rate": "0.7"}),    # outside the range
    ("learning-rate/make-it-diverge", {"learning_rate": "0.9"}),       # converges instead
    ("learning-rate/fastest-rate", {"learning_rate": "1.5"}),          # diverges
    ("when-to-stop/good-enough", {"precision": "0"}),                  # runs to the limit
    ("two-variables/north-west-valley", {"start": "-3 3"}),            # typed with a space
    ("capstone/own-function", {"function": "x^^2"}),                   # does not parse
    ("learning-rate/boundary", {"answer": "3-0.6"}),                   # not a number
    ("cost-functions/lowest-cost", {"choice": "2"}),
    ("linear-regression/fit-anscombe", {"data": "anscombe2.csv", "iterations": "50"}),
]


@pytest.mark.parametrize(("key", "typed"), CASES, ids=[c[0] + str(c[1]) for c in CASES])
async def test_check_gives_the_panes_verdict(key: str, typed: dict[str, str]) -> None:
    from_pane = await pane_verdict(exercise(key), typed)
    report = check_verdict(key, typed)
    assert (report["passed"], report["message"]) == from_pane
    assert report["exercise"] == key.split("/")[1] and report["kind"] == exercise(key).kind


def test_check_json_has_the_run_and_the_advice() -> None:
    report = check_verdict("learning-rate/fastest-rate", {"learning_rate": "1.5"})
    assert set(report) == {"lesson", "exercise", "kind", "passed", "message", "diagnosis",
                           "explain", "advice", "run"}
    assert report["run"]["status"] == "diverged" and report["passed"] is False
    assert report["advice"] == [{"set": {"learning_rate": 0.5},
                                 "why": "Try a learning rate of 0.5: that converges in 2 "
                                        "updates."}]
    assert report["diagnosis"] == "diverged_oscillating"
    answer = check_verdict("learning-rate/boundary", {"answer": "1"})
    assert answer["run"] is None and answer["advice"] == []


@pytest.mark.parametrize(("args", "sentence"), [
    (["99/x"], "there is no lesson '99'"),
    (["learning-rate/nope"], "has no exercise 'nope'"),
    (["learning-rate"], "name the exercise as LESSON/EXERCISE"),
    (["learning-rate/fastest-rate", "--set", "colour=red"], "there is no field 'colour'"),
    (["learning-rate/fastest-rate", "--set", "start=1"], "'start' is not editable"),
    (["learning-rate/fastest-rate", "--set", "learning_rate"], "--set takes KEY=VALUE"),
])
def test_check_refuses_unusable_arguments_in_one_line(args: list[str], sentence: str) -> None:
    done = subprocess.run([sys.executable, "-m", "tutor.cli", "check", *args],
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 2 and done.stdout == ""
    assert len(done.stderr.splitlines()) == 1 and sentence in done.stderr


class Counting:
    """Counts engine runs by their settings: every Descent made and every line fit."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.rates: list[float] = []
        descent, fit = tutor.engine.Descent, tutor.engine.fit

        def counted_descent(*args: Any, **kwargs: Any) -> Any:
            self.rates.append(kwargs["learning_rate"])
            return descent(*args, **kwargs)

        def counted_fit(*args: Any, **kwargs: Any) -> Any:
            self.rates.append(kwargs["learning_rate"])
            return fit(*args, **kwargs)

        monkeypatch.setattr(tutor.engine, "Descent", counted_descent)
        monkeypatch.setattr(tutor.engine, "fit", counted_fit)


@pytest.mark.parametrize(("key", "typed", "passes"), [
    ("gradient-descent/halve-each-step", {"learning_rate": "0.25"}, True),
    ("learning-rate/fastest-rate", {"learning_rate": "0.3"}, False),
    ("linear-regression/fit-anscombe", {"learning_rate": "0.002"}, False),
    ("how-machines-learn/walk-the-loop", {"learning_rate": "0.3"}, True),
])
async def test_an_attempt_in_the_pane_runs_the_engine_once(
        key: str, typed: dict[str, str], passes: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    """The learner's settings run once and that run is judged; a NOT YET may also try
    other settings (the advice it offers), never the learner's again."""
    counter = Counting(monkeypatch)
    passed, message = await pane_verdict(exercise(key), typed)
    assert passed is passes
    assert counter.rates[0] == float(typed["learning_rate"])
    assert counter.rates.count(float(typed["learning_rate"])) == 1
    if passes:
        assert len(counter.rates) == 1
    elif "Try a learning rate of " in message:
        tried = float(message.split("Try a learning rate of ")[1].split(":")[0])
        assert tried in counter.rates[1:]


async def test_a_walk_in_step_mode_is_the_run_that_is_judged(
        monkeypatch: pytest.MonkeyPatch) -> None:
    counter = Counting(monkeypatch)
    app = VerdictHost(exercise("how-machines-learn/walk-the-loop"))
    async with app.run_test(size=(80, 24)) as pilot:
        pane = app.query_one(ExercisePane)
        pane.fields.set_values({"learning_rate": "0.5"})  # x^2: lands on 0 in one step
        for _ in range(3):
            pane.action_step()
            end = time.monotonic() + 30
            while not pane.reports and time.monotonic() < end:
                await pilot.pause(0.05)
            await app.workers.wait_for_complete()
            await pilot.pause()
            if app.attempts:
                break
        assert app.attempts and app.attempts[0].passed
        assert counter.rates == [0.5]
