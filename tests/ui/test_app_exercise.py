"""A real exercise pane inside a lesson: run, feedback, hints, reset, and restore after restart."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.widgets import Input
from ui_testkit import lesson_pane, ready, settle, use_palette, wait_until

from tutor.progress import ProgressStore
from tutor.ui.screens.main import TutorScreen
from tutor.ui.widgets.exercise import ExercisePane


def _rate_field(pane: ExercisePane) -> Input:
    return pane.query_one(".field-learning_rate Input", Input)


def _state(data_dir: Path, key: str) -> str:
    with ProgressStore.open(data_dir) as store:
        return store.exercise(key).state


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
        await ready(pilot)
        pane = lesson_pane(app, "first-run")
        await _type_rate(pilot, pane, "1.5")
        await pilot.press("enter")
        await wait_until(pilot, lambda: _state(data_dir, "first-steps/first-run") == "attempted",
                         "the failed attempt being recorded")
        await _type_rate(pilot, pane, "0.4")
        await pilot.press("enter")
        await settle(pilot, pane)
        await wait_until(pilot, lambda: str(app.screen.lesson_list.options[0].prompt)
                         == "✓ done  1. First steps", "lesson 1 being marked done")
    with ProgressStore.open(data_dir) as store:
        record = store.exercise("first-steps/first-run")
        assert (record.state, record.attempts) == ("done", 2)
        assert dict(record.last_inputs or {})["learning_rate"] == "0.4"


async def test_hints_and_inputs_come_back_after_a_restart(make_app: Any, data_dir: Path) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        pane = lesson_pane(app, "first-run")
        await _type_rate(pilot, pane, "0.7")
        await pilot.press("ctrl+g")
        await wait_until(pilot, lambda: pane.hints_shown == 1, "the first hint showing")
        await pilot.pause(0.6)  # the pane debounces InputsChanged
        await pilot.press("ctrl+q")
    with ProgressStore.open(data_dir) as store:
        record = store.exercise("first-steps/first-run")
        assert record.hints_shown == 1
        assert dict(record.last_inputs or {})["learning_rate"] == "0.7"
    again = make_app()
    async with again.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        pane = lesson_pane(again, "first-run")
        assert _rate_field(pane).value == "0.7"
        assert pane.hints_shown == 1


async def test_ctrl_q_right_after_typing_loses_nothing(make_app: Any, data_dir: Path) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await _type_rate(pilot, lesson_pane(app, "first-run"), "0.25")
        await pilot.press("ctrl+q")  # at once: before the pane's own debounced save
    with ProgressStore.open(data_dir) as store:
        assert dict(store.exercise("first-steps/first-run").last_inputs or {})["learning_rate"] == "0.25"
        assert store.exercise("counting/how-many").last_inputs in (None, {})  # untouched: unsaved


async def test_palette_reset_puts_the_exercise_back(make_app: Any) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        pane = lesson_pane(app, "first-run")
        await _type_rate(pilot, pane, "0.9")
        assert _rate_field(pane).value == "0.9"
        await use_palette(pilot, "reset exercise", "Reset exercise")
        await wait_until(pilot, lambda: _rate_field(pane).value == "1.5", "the reset")


async def test_theme_change_after_a_log_scale_run_keeps_the_app_alive(make_app: Any) -> None:
    """The palette's theme switch repaints every plot; a log-scale cost plot must survive it."""
    app = make_app(lesson="counting")
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await use_palette(pilot, "playground", "Playground")
        await wait_until(pilot, lambda: type(app.screen).__name__ == "PlaygroundScreen",
                         "the playground opening")
        for name, value in [("function", "x^2"), ("start", "3"), ("learning_rate", "0.1")]:
            app.screen.query_one(f"#field-{name}", Input).value = value
        app.screen.query_one("#field-function", Input).focus()
        await pilot.press("enter")  # costs from 9 down to 1e-9: a log-scale cost plot
        await settle(pilot, app.screen.pane)
        assert "converged" in str(app.screen.query_one("RunStatus").render()).lower()
        app.theme = "textual-light"
        await pilot.pause(0.2)
        app.theme = "textual-dark"
        await pilot.pause(0.2)
        assert app.is_running
        await pilot.press("escape")  # back to the lessons
        await pilot.pause()
        assert isinstance(app.screen, TutorScreen)
