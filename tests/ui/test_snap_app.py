"""How the tutor looks (pytest-textual-snapshot) on fixture lessons with an empty data dir.

Update after an intended change with `pytest tests/ui/test_snap_app.py --snapshot-update`
and look at every changed SVG before committing it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Input
from ui_testkit import ready

APP = Path(__file__).parent / "apps" / "app_tutor.py"
SIZES = [(80, 24), (120, 40)]


@pytest.fixture(autouse=True)
def _isolated(data_dir: Path, lessons_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Fixture lessons, an empty progress store, colour on, no learner name."""
    monkeypatch.delenv("NO_COLOR", raising=False)


async def _run_first_exercise(pilot: Any) -> None:
    """Type a passing learning rate into lesson 1's exercise, run it, wait for the result."""
    app = pilot.app
    await ready(pilot)
    field = app.screen.query_one("#exercise-first-run .field-learning_rate Input", Input)
    field.focus()
    field.value = ""
    await pilot.press(*"0.4", "enter")
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause(0.2)
    reader = app.screen.query_one("#reader")
    reader.scroll_to_widget(field, top=True, animate=False)
    reader.focus()  # a focused Input's blinking cursor would make the snapshot flaky
    await pilot.pause()


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_main_screen(snap_compare: Any, size: tuple[int, int]) -> None:
    assert snap_compare(APP, terminal_size=size, run_before=ready)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_exercise_after_a_run(snap_compare: Any, size: tuple[int, int]) -> None:
    assert snap_compare(APP, terminal_size=size, run_before=_run_first_exercise)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_help_screen(snap_compare: Any, size: tuple[int, int]) -> None:
    assert snap_compare(APP, press=["f1"], terminal_size=size, run_before=ready)


def test_lesson_list_open_on_narrow_terminal(snap_compare: Any) -> None:
    assert snap_compare(APP, press=["ctrl+l"], terminal_size=(80, 24), run_before=ready)


def test_no_color(snap_compare: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    assert snap_compare(APP, terminal_size=(80, 24), run_before=ready)
