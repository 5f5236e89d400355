"""The footer: Textual's, with short labels and F1 first on terminals under 80 columns.

At 80 columns and more it is exactly Textual's Footer. Narrower, the long labels
("f3 Next exercise  ^n Next lesson ...") ran past the edge and cut off "f1 Help",
the one key that explains the others; so there the help key comes first and the
other keys get the short labels below (F1 names every key in full).
"""

from __future__ import annotations

from collections.abc import Iterable

from textual.app import ComposeResult
from textual.events import Resize
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import Footer

NARROW = 80
"""Below this many columns the footer is short."""
SHORT = {"next_exercise": "Next ex", "previous_exercise": "Prev ex", "next_lesson": "Next lesson",
         "previous_lesson": "Prev lesson", "toggle_list": "List", "help": "Help",
         "back": "Back"}
"""Short labels by action (the `app.` prefix dropped)."""


def _action(widget: Widget) -> str:
    """The action a footer key runs, without its namespace ("" for other widgets)."""
    return str(getattr(widget, "action", "")).rpartition(".")[2]


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
    """Textual's footer; under `NARROW` columns, F1 first and short labels."""

    short: reactive[bool] = reactive(False, recompose=True)

    def compose(self) -> ComposeResult:
        """The keys as Textual lays them out, reordered and relabelled when short."""
        keys = list(super().compose())
        yield from (short_keys(keys) if self.short else keys)

    def on_resize(self, event: Resize) -> None:
        """Switch to the short form below `NARROW` columns (and back)."""
        self.short = event.size.width < NARROW
