"""The footer: Textual's, with short labels and F1 first when the full one does not fit.

When every key fits with its full label, it is exactly Textual's Footer. When not
(under 80 columns, or at 80 in the code editor, which adds "f5 Run code  esc Leave
editor"), the long labels ran past the edge and cut off "f1 Help", the one key that
explains the others; so then the help key comes first and the other keys get the
short labels below (F1 names every key in full).
"""

from __future__ import annotations

from collections.abc import Iterable

from rich.cells import cell_len

from textual.app import ComposeResult
from textual.events import Resize
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import Footer

SHORT = {"next_exercise": "Next ex", "previous_exercise": "Prev ex", "next_lesson": "Next lesson",
         "previous_lesson": "Prev lesson", "toggle_list": "List", "help": "Help",
         "back": "Back", "run_code": "Run", "leave": "Leave"}
"""Short labels by action (the `app.` prefix dropped)."""


def _action(widget: Widget) -> str:
    """The action a footer key runs, without its namespace ("" for other widgets)."""
    return str(getattr(widget, "action", "")).rpartition(".")[2]


def key_width(widget: Widget) -> int:
    """Columns a footer key takes: " key " then "description " (Textual's paddings)."""
    key = cell_len(str(getattr(widget, "key_display", "")))
    description = cell_len(str(getattr(widget, "description", "")))
    return key + 2 + (description + 1 if description else 0)


def fits(widgets: Iterable[Widget], width: int) -> bool:
    """True if the keys, and the command-palette key at the right edge, fit in `width`."""
    return sum(key_width(widget) + (1 if widget.has_class("-command-palette") else 0)
               for widget in widgets) <= width


def short_keys(widgets: Iterable[Widget]) -> list[Widget]:
    """Footer keys with the help key first and short labels where `SHORT` has one."""
    keys = list(widgets)
    keys.sort(key=lambda widget: _action(widget) != "help")  # stable: the rest keep order
    for widget in keys:
        label = SHORT.get(_action(widget))
        if label is not None and hasattr(widget, "description"):
            widget.description = label
    return keys


class TutorFooter(Footer):
    """Textual's footer; F1 first and short labels when the full labels do not fit."""

    columns: reactive[int] = reactive(0, recompose=True)

    def compose(self) -> ComposeResult:
        """The keys as Textual lays them out, reordered and relabelled if they do not fit."""
        keys = list(super().compose())
        width = self.columns or self.app.size.width
        if fits(keys, width):
            yield from keys
            return
        keys = short_keys(keys)
        while not fits(keys, width) and len(keys) > 2:  # the last keys go; F1 lists them
            keys.pop(-2 if keys[-1].has_class("-command-palette") else -1)
        yield from keys

    def on_resize(self, event: Resize) -> None:
        """Decide again for the new width."""
        self.columns = event.size.width
