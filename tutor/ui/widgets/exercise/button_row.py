"""The row of action buttons under an exercise, folded onto more rows when it does not fit.

At 80 columns a pane's buttons fit on one row; at 60 the last one ("Cancel Esc") was
cut off. When the buttons are wider than the row, the row becomes a grid of as many
columns as fit, each as wide as its widest button, so every button stays whole.
"""

from __future__ import annotations

from textual.containers import Horizontal
from textual.events import Resize
from textual.widget import Widget

GAP = 1
"""Columns between two buttons (their right margin)."""


def grid_columns(widths: list[int], room: int) -> list[int]:
    """The widths of the most grid columns that hold buttons of `widths` (in reading order,
    each with its gap) within `room` columns; each column as wide as its widest button."""
    for count in range(len(widths), 1, -1):
        columns = [max(widths[start::count]) + GAP for start in range(count)]
        if sum(columns) <= room:
            return columns
    return [max(widths) + GAP]


class ButtonRow(Horizontal):
    """One row of buttons; a grid of several rows when one row would be cut off."""

    DEFAULT_CSS = "ButtonRow.-folded { layout: grid; grid-rows: 1; }"

    def on_resize(self, event: Resize) -> None:
        """Fold or unfold to suit the new width."""
        self.fit(event.size.width)

    def fit(self, room: int) -> None:
        """One row if every shown button fits in `room` columns, else as few rows as fit."""
        widths = [widget.outer_size.width for widget in self.children
                  if isinstance(widget, Widget) and widget.display]
        if not widths or sum(widths) + GAP * len(widths) <= room:
            self.remove_class("-folded")
            self.styles.height = 1
            return
        columns = grid_columns(widths, room)
        self.set_styles(f"grid-columns: {' '.join(map(str, columns))};")
        self.styles.grid_size_columns = len(columns)
        self.styles.height = -(-len(widths) // len(columns))  # rows, rounded up
        self.add_class("-folded")
