"""A real exercise pane inside a lesson: run, feedback, hints, reset, and restore after restart."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from textual.widgets import Input

from tutor.progress import ProgressStore
from tutor.ui.screens.main import TutorScreen
from tutor.ui.widgets.exercise import ExercisePane


async def _ready(pilot: Any) -> None:
    """Wait until the lesson on show is fully mounted (exercise panes included)."""
    await pilot.pause()
    await asyncio.wait_for(pilot.app.screen.loaded.wait(), timeout=30)
    await pilot.pause()


def _pane(app: Any, exercise_id: str) -> ExercisePane:
    assert isinstance(app.screen, TutorScreen)
    return app.screen.query_one(f"#exercise-{exercise_id}", ExercisePane)


def _rate_field(pane: ExercisePane) -> Input:
    return pane.query_one(".field-learning_rate Input", Input)


async def _settle(app: Any, pilot: Any) -> None:
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause(0.1)
    await app.workers.wait_for_complete()
    await pilot.pause()


async def _type_rate(pilot: Any, pane: ExercisePane, rate: str) -> None:
    field = _rate_field(pane)
    field.focus()
    await pilot.pause()
    field.value = ""
    await pilot.press(*rate)


async def test_running_an_exercise_in_a_lesson_records_the_pass(make_app: Any,
                                                               data_dir: Path) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await _ready(pilot)
        pane = _pane(app, "first-run")
        await _type_rate(pilot, pane, "1.5")
        await pilot.press("enter")
        await _settle(app, pilot)
        with ProgressStore.open(data_dir) as store:
            assert store.exercise("first-steps/first-run").state == "attempted"
        await _type_rate(pilot, pane, "0.4")
        await pilot.press("enter")
        await _settle(app, pilot)
        prompts = [str(o.prompt) for o in app.screen.lesson_list.options]
        assert prompts[0] == "✓ done  1. First steps"
    with ProgressStore.open(data_dir) as store:
        record = store.exercise("first-steps/first-run")
        assert (record.state, record.attempts) == ("done", 2)
        assert dict(record.last_inputs or {})["learning_rate"] == "0.4"


async def test_hints_and_inputs_come_back_after_a_restart(make_app: Any, data_dir: Path) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await _ready(pilot)
        pane = _pane(app, "first-run")
        await _type_rate(pilot, pane, "0.7")
        await pilot.press("ctrl+g")
        await _settle(app, pilot)
        await pilot.pause(0.6)  # the pane debounces InputsChanged
        await pilot.press("ctrl+q")
    with ProgressStore.open(data_dir) as store:
        record = store.exercise("first-steps/first-run")
        assert record.hints_shown == 1
        assert dict(record.last_inputs or {})["learning_rate"] == "0.7"
    again = make_app()
    async with again.run_test(size=(80, 24)) as pilot:
        await _ready(pilot)
        pane = _pane(again, "first-run")
        assert _rate_field(pane).value == "0.7"
        assert pane.hints_shown == 1


async def test_ctrl_q_right_after_typing_loses_nothing(make_app: Any, data_dir: Path) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await _ready(pilot)
        await _type_rate(pilot, _pane(app, "first-run"), "0.25")
        await pilot.press("ctrl+q")  # at once: before the pane's own debounced save
    with ProgressStore.open(data_dir) as store:
        assert dict(store.exercise("first-steps/first-run").last_inputs or {})["learning_rate"] == "0.25"
        assert store.exercise("counting/how-many").last_inputs in (None, {})  # untouched: unsaved


async def test_palette_reset_puts_the_exercise_back(make_app: Any) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await _ready(pilot)
        pane = _pane(app, "first-run")
        await _type_rate(pilot, pane, "0.9")
        assert _rate_field(pane).value == "0.9"
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"reset exercise")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert _rate_field(pane).value == "1.5"


async def test_theme_change_after_a_log_scale_run_keeps_the_app_alive(make_app: Any) -> None:
    """The palette's theme switch repaints every plot; a log-scale cost plot must survive it."""
    app = make_app(lesson="counting")
    async with app.run_test(size=(80, 24)) as pilot:
        await _ready(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"playground")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        await pilot.pause()
        assert type(app.screen).__name__ == "PlaygroundScreen"
        for name, value in [("function", "x^2"), ("start", "3"), ("learning_rate", "0.1")]:
            app.screen.query_one(f"#field-{name}", Input).value = value
        app.screen.query_one("#field-function", Input).focus()
        await pilot.press("enter")  # costs from 9 down to 1e-9: a log-scale cost plot
        await _settle(app, pilot)
        assert "converged" in str(app.screen.query_one("RunStatus").render()).lower()
        await _settle(app, pilot)
        app.theme = "textual-light"
        await pilot.pause(0.2)
        app.theme = "textual-dark"
        await pilot.pause(0.2)
        assert app.is_running
        await pilot.press("escape")  # back to the lessons
        await pilot.pause()
        assert isinstance(app.screen, TutorScreen)
