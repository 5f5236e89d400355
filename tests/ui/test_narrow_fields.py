"""At 60x20 a fixed field shows its whole value, wrapped, never silently cut (issue 12)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.geometry import Region
from textual.widget import Widget
from textual.widgets import Input, Label

from ui_testkit import lesson_pane, ready, wait_until

LESSONS = Path(__file__).resolve().parents[2] / "lessons"
FUNCTION = "((b + w - 2)^2 + (b + 2w - 3)^2 + (b + 3w - 5)^2)/3"


def _drawn(row: Widget) -> str:
    """The characters the row's value widgets draw (not its label), lines joined by spaces."""
    lines = [strip.text.strip() for child in row.children if child.display
             and not isinstance(child, Label) for strip in child.render_lines(
                 Region(0, 0, child.size.width, child.size.height))]
    return " ".join(line for line in lines if line)


async def test_a_fixed_function_is_shown_whole_at_60_columns(make_app: Any) -> None:
    app = make_app(lessons_dir=LESSONS, lesson="linear-regression")
    async with app.run_test(size=(60, 20)) as pilot:
        await ready(pilot)
        pane = lesson_pane(app, "three-points")
        field = pane.query_one("#field-function", Input)
        assert field.value == FUNCTION and field.disabled
        row = field.parent
        assert row is not None
        row.scroll_visible(animate=False, top=True)
        await wait_until(pilot, lambda: row.region.y >= 0 and row.region.height > 0
                         and row.region.bottom <= 20, "the function row in view")
        shown = _drawn(row)
        assert shown.replace(" ", "").endswith(FUNCTION.replace(" ", "")), shown
