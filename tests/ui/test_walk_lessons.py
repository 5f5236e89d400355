"""Walk every shipped lesson with the keyboard at 60x20 without colour (issue 12, "done when").

One key (f3) reaches each exercise from the one before; its first field has the cursor,
is wholly on screen and carries a mark that needs no colour; no button of the pane is
cut off at the right edge; ctrl+n then opens the next lesson. A second walk does the
same at 80x24.

Mounting a lesson costs 1-2 s of CPU under the test pilot, so the suite walks a sample
(the lessons with a code exercise, a data fit and the capstone's every kind) and
`python benchmarks/walk_lessons.py` walks all of them at both sizes (about a minute each).
"""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path
from typing import Any

from textual.widget import Widget
from textual.widgets import Button, OptionList, TextArea

from tutor.lessons import default_lessons_dir, load_lessons
from tutor.ui.app import TutorApp
from tutor.ui.screens import moving
from tutor.ui.widgets.exercise.fields import FOCUS_MARK, FieldRow
from ui_testkit import main_screen, ready, wait_until

SAMPLE = ("gradient-descent", "linear-regression", "capstone")
"""Lessons the suite walks: a code exercise, a data fit, and the capstone's mix of kinds."""


def focus_is_marked(widget: Widget) -> bool:
    """The focused widget shows it without colour: a ▶ on its field label or button, the
    option list's side bar, or the editor's cursor."""
    if isinstance(widget, (OptionList, TextArea)):
        return True  # the options get a bar at the left, the editor a cursor and line
    row = widget.parent
    if isinstance(row, FieldRow):
        return str(row.query_one("Label").content).startswith(FOCUS_MARK)
    return isinstance(widget, Button) and str(widget.label).startswith(FOCUS_MARK)


def problems_at(app: TutorApp, key: str) -> list[str]:
    """What is wrong with the screen after moving to the exercise `key` (nothing: [])."""
    screen = main_screen(app)
    focused = app.focused
    pane = moving.pane_holding(focused)
    if pane is None or pane.key != key:
        return [f"{key}: the cursor is in {pane.key if pane else focused!r}"]
    view = screen.reader.scrollable_content_region
    found = []
    if isinstance(focused, TextArea):  # an editor taller than the screen: its cursor shows
        if not view.contains(*focused.cursor_screen_offset):
            found.append(f"{key}: the editor's cursor at {focused.cursor_screen_offset} is off screen")
    elif not view.contains_region(focused.region):
        found.append(f"{key}: {focused.id} at {focused.region} is not within {view}")
    if not focus_is_marked(focused):
        found.append(f"{key}: {focused.id} has the cursor but no mark")
    for button in pane.query(Button):
        if button.display and button.region.width and button.region.right > view.right:
            found.append(f"{key}: the {button.id} is cut off at the right edge")
    return found


async def walk(size: tuple[int, int], data_dir: Path,
               only: Collection[str] | None = None) -> list[str]:
    """f3 through every exercise of every shipped lesson, ctrl+n between lessons (`only`
    these slugs: each opened directly instead)."""
    lessons = load_lessons(default_lessons_dir()).lessons
    if only is not None:
        lessons = [lesson for lesson in lessons if lesson.slug in only]
        assert lessons, f"none of {sorted(only)} is a shipped lesson"
    app = TutorApp(lessons_dir=default_lessons_dir(), data_dir=data_dir, lesson=lessons[0].slug)
    found: list[str] = []
    async with app.run_test(size=size) as pilot:
        await ready(pilot)
        for index, lesson in enumerate(lessons):
            if index:
                if only is None:
                    await pilot.press("ctrl+n")
                else:
                    await main_screen(app).open_lesson(lesson.slug)
                await wait_until(pilot, lambda: main_screen(app).current.slug == lesson.slug,
                                 f"lesson {lesson.number}")
                await ready(pilot)
            for exercise in lesson.exercises:
                await pilot.press("f3")
                await wait_until(pilot, lambda: getattr(moving.pane_holding(app.focused),
                                                        "key", None) == exercise.key,
                                 f"f3 reaching {exercise.key}", timeout=10)
                found += problems_at(app, exercise.key)
    return found


async def test_one_key_reaches_every_exercise_on_screen_at_60x20(data_dir: Path,
                                                                monkeypatch: Any) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    found = await walk((60, 20), data_dir, only=SAMPLE)
    assert found == [], "\n".join(found)


def test_folded_buttons_take_the_most_columns_that_fit() -> None:
    from tutor.ui.widgets.exercise.button_row import grid_columns

    widths = [6, 9, 9, 9, 10, 12]  # Run, Step, Hint, Skip, Reset, Cancel (with their space)
    assert grid_columns(widths, 80) == [7, 10, 10, 10, 11, 13]
    assert grid_columns(widths, 55) == [13, 10, 10, 10, 11]  # Cancel folds under Run
    assert grid_columns(widths, 24) == [11, 13]  # Run/Hint/Reset over Step/Skip/Cancel
    assert grid_columns(widths, 5) == [13]  # one column, however narrow
