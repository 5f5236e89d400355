"""A choice exercise's options: the highlighted one marked `▶` (seen without colour), and
keys that act only while the list is on screen."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Console, ConsoleOptions, RenderResult
from rich.table import Table
from rich.text import Text
from textual.containers import ScrollableContainer
from textual.widget import Widget
from textual.widgets import OptionList

MARK = "▶ "
"""Before the highlighted option: the one Enter answers (NO_COLOR shows it too)."""


class Hanging:
    """An option's text wrapped under itself, not under its mark and number: `▶ 2. text`
    (str() gives the one-line text)."""

    def __init__(self, head: str, text: str) -> None:
        self.head, self.text = head, text

    def __str__(self) -> str:
        return self.head + self.text

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        grid = Table.grid()
        grid.add_column(no_wrap=True)
        grid.add_column(ratio=1)
        grid.add_row(Text(self.head), Text(self.text))  # Text: `[1, 2]` is not markup
        yield grid


class ChoiceList(OptionList):
    """Numbered options. None is highlighted until the learner moves (Enter alone must not
    answer 1); Down then highlights the first. Scrolled out of view while the learner
    reads on, its arrows scroll the lesson and Enter brings it back, instead of choosing
    an option they cannot see."""

    def __init__(self, options: Sequence[str], **kwargs: object) -> None:
        self._texts = list(options)
        super().__init__(*(self._prompt(i, None) for i in range(len(self._texts))),
                         **kwargs)  # type: ignore[arg-type]

    def _prompt(self, index: int, highlighted: int | None) -> Hanging:
        mark = MARK if index == highlighted else " " * len(MARK)
        return Hanging(f"{mark}{index + 1}. ", self._texts[index])

    def watch_highlighted(self, highlighted: int | None) -> None:
        """Move the marker to the highlighted option, then do what the list does."""
        if not self.is_attached:  # set before mounting: the prompts are drawn on mount
            return
        self._mark(highlighted)
        super().watch_highlighted(highlighted)

    def on_mount(self) -> None:
        """Draw the marker where the highlight already is (a saved choice)."""
        self._mark(self.highlighted)

    def _mark(self, highlighted: int | None) -> None:
        for index in range(min(len(self._texts), self.option_count)):
            self.replace_option_prompt_at_index(index, self._prompt(index, highlighted))

    def _viewport(self) -> Widget:
        """The nearest scrolling container (the lesson reader), else the screen."""
        return next((node for node in self.ancestors if isinstance(node, ScrollableContainer)),
                    self.screen)

    @property
    def on_screen(self) -> bool:
        """True when some of the list shows in its scrolling container (or not mounted yet).

        Worked out from the layout and the container's scroll offset, which a scroll (F3,
        PgDn) sets at once: the screen regions are only updated at the next paint, and a key
        typed right after F3 must act on the list it brought into view."""
        if not self.is_attached:
            return True
        viewport = self._viewport()
        if viewport is self.screen:
            return True
        top, node = 0, self
        while node is not viewport and isinstance(node, Widget):
            top += node.virtual_region.y
            node = node.parent  # type: ignore[assignment]
        shown_from = viewport.scroll_y
        shown_to = shown_from + viewport.scrollable_content_region.height
        return top < shown_to and top + self.outer_size.height > shown_from

    def action_cursor_down(self) -> None:
        """Next option; off screen, scroll the lesson down instead."""
        self._scroll_or(1, super().action_cursor_down)

    def action_cursor_up(self) -> None:
        """Previous option; off screen, scroll the lesson up instead."""
        self._scroll_or(-1, super().action_cursor_up)

    def action_first(self) -> None:
        """First option (only while on screen)."""
        self._scroll_or(0, super().action_first)

    def action_last(self) -> None:
        """Last option (only while on screen)."""
        self._scroll_or(0, super().action_last)

    def action_select(self) -> None:
        """Answer with the highlighted option; off screen, show the list first."""
        if self.on_screen:
            super().action_select()
        else:
            self.scroll_visible(animate=False)

    def _scroll_or(self, step: int, act: object) -> None:
        if self.on_screen:
            act()  # type: ignore[operator]
            return
        viewport = self._viewport()
        if step > 0:
            viewport.scroll_down(animate=False)
        elif step < 0:
            viewport.scroll_up(animate=False)
