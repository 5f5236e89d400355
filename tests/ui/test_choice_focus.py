"""A choice list with the cursor shows it without colour (issue 12): before any option is
highlighted (Enter alone must not answer 1) only the bar's colour changed, so a learner
with NO_COLOR could not tell the cursor was there."""

from __future__ import annotations

from typing import Any

from ui_testkit import keys_ready, lesson_pane, wait_until


def _bar(app: Any, choices: Any) -> str:
    """The left bar's character on the choice list's first row, as painted."""
    x, y = choices.region.x, choices.region.y
    strip = app.screen._compositor.render_strips()[y]  # noqa: SLF001 - the painted row
    return strip.text[x]


async def test_the_focused_choice_list_has_a_thicker_bar(make_app: Any,
                                                         monkeypatch: Any) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = make_app(lesson="counting")
    async with app.run_test(size=(80, 24)) as pilot:
        await keys_ready(pilot)
        choices = lesson_pane(app, "which-way").query_one("ChoiceList")
        app.screen.scroll_to_widget(choices, animate=False)
        await pilot.pause()
        blurred = _bar(app, choices)
        choices.focus()
        await wait_until(pilot, lambda: choices.has_focus, "the list focused")
        await pilot.pause()
        assert choices.highlighted is None  # nothing picked yet: only the bar shows focus
        assert blurred != "█" and _bar(app, choices) == "█", (blurred, _bar(app, choices))
