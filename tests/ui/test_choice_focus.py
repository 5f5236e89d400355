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


async def test_a_long_option_wraps_under_its_own_text() -> None:
    """At 60 columns a long option went on under its number: `1. It makes ... one rate` /
    `suits every direction`; its second line starts under the text now."""
    from textual.app import App, ComposeResult

    from tutor.ui.widgets.exercise.choices import ChoiceList

    long = "It makes the cost valley rounder, so one rate suits every direction"

    class Host(App[None]):
        def compose(self) -> ComposeResult:
            yield ChoiceList([long, "Short"], id="choices")

    app = Host()
    async with app.run_test(size=(40, 10)) as pilot:
        choices = app.query_one(ChoiceList)
        choices.highlighted = 0
        await pilot.pause()
        rows = [strip.text for strip in app.screen._compositor.render_strips()]  # noqa: SLF001
        first = next(i for i, row in enumerate(rows) if "1. It makes" in row)
        text_at = rows[first].index("It makes")
        assert rows[first][:text_at].strip().endswith("▶ 1.")
        assert rows[first + 1][text_at - 5:text_at] == " " * 5  # under "▶ 1. ": nothing
        assert rows[first + 1][text_at] != " "  # the option goes on under its own text
        assert "2. Short" in "".join(rows[first + 1:])
        assert str(choices.get_option_at_index(0).prompt) == f"▶ 1. {long}"


async def test_an_option_with_brackets_is_shown_as_written() -> None:
    """Options are text, not markup: `[1, 2]` and `[b]x[/b]` show as typed."""
    from textual.app import App, ComposeResult

    from tutor.ui.widgets.exercise.choices import ChoiceList

    class Host(App[None]):
        def compose(self) -> ComposeResult:
            yield ChoiceList(["start at [1, 2]", "[b]x[/b] or [/]"], id="choices")

    app = Host()
    async with app.run_test(size=(60, 10)) as pilot:
        await pilot.pause()
        rows = "\n".join(strip.text for strip in app.screen._compositor.render_strips())  # noqa: SLF001
        assert "1. start at [1, 2]" in rows and "2. [b]x[/b] or [/]" in rows
