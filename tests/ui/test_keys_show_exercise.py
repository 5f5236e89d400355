"""After scrolling away (PgDn, PgUp) a key that acts on the focused exercise brings it back into view (issue 12)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.widget import Widget
from textual.widgets import Input

from ui_testkit import lesson_pane, main_screen, ready, wait_until

LESSONS = Path(__file__).resolve().parents[2] / "lessons"


def _in_view(app: Any, widget: Widget) -> bool:
    """Is all of `widget` inside the lesson reader's visible region?"""
    reader = main_screen(app).reader
    region = widget.region
    return region.height > 0 and reader.region.contains_region(region)


@pytest.mark.parametrize("key", ["ctrl+t", "enter"])
async def test_a_key_on_the_focused_exercise_scrolls_it_back(make_app: Any, key: str) -> None:
    app = make_app(lessons_dir=LESSONS, lesson="linear-regression")
    async with app.run_test(size=(60, 20)) as pilot:
        await ready(pilot)
        pane = lesson_pane(app, "three-points")
        field = pane.query_one(".field-learning_rate Input", Input)
        main_screen(app).show_pane(pane, field)
        await wait_until(pilot, lambda: app.focused is field and _in_view(app, field),
                         "the rate field focused in view")
        await pilot.press("pageup", "pageup", "pageup")
        await wait_until(pilot, lambda: not _in_view(app, field), "the field scrolled away", 5)
        await pilot.press(key)
        await wait_until(pilot, lambda: _in_view(app, field) and _in_view(app, pane.status),
                         f"{key} bringing the field and its status into view")
