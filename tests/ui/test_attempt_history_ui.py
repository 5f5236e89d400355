"""The pane's attempts carry the verdict's diagnosis, and the screen keeps them in the history."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from ui_testkit import VerdictHost, lesson_pane, ready

from tutor.lessons import default_lessons_dir, load_lessons
from tutor.progress import ProgressStore
from tutor.ui.widgets.exercise import ExercisePane


async def test_a_diverging_attempt_reports_its_diagnosis() -> None:
    lesson = load_lessons(default_lessons_dir()).find("learning-rate")
    assert lesson is not None
    app = VerdictHost(next(e for e in lesson.exercises if e.id == "fastest-rate"))
    async with app.run_test(size=(80, 24)) as pilot:
        pane = app.query_one(ExercisePane)
        pane.fields.set_values({"learning_rate": "1.5"})
        pane.action_run()
        end = time.monotonic() + 30
        while not app.attempts and time.monotonic() < end:
            await pilot.pause(0.05)
    assert [(a.passed, a.diagnosis) for a in app.attempts] == [(False, "diverged_oscillating")]


async def test_the_screen_records_the_attempt_with_its_diagnosis(make_app: Any,
                                                                data_dir: Path) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        pane = lesson_pane(app, "first-run")
        pane.post_message(ExercisePane.Attempted(pane, "first-steps/first-run",
                                                 {"learning_rate": "1.5"}, False, "Too big.",
                                                 "diverged_oscillating"))
        pane.post_message(ExercisePane.Attempted(pane, "first-steps/first-run",
                                                 {"learning_rate": "0.4"}, True, "Converged."))
        await pilot.pause()
    with ProgressStore.open_read_only(data_dir) as store:
        seen = [(a.inputs, a.passed, a.diagnosis, a.message) for a in store.attempt_history()]
    assert seen == [({"learning_rate": "1.5"}, False, "diverged_oscillating", "Too big."),
                    ({"learning_rate": "0.4"}, True, None, "Converged.")]
