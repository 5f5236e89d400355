"""The row of action buttons under an exercise, folded onto more rows when it does not fit.

At 80 columns a pane's buttons fit on one row; at 60 the last one ("Cancel Esc") was
cut off. When the buttons are wider than the row, the row becomes a grid of as many
columns as fit, each as wide as its widest button, so every button stays whole.
"""

from __future__ import annotations

from rich.cells import cell_len
from textual.containers import Horizontal
from textual.geometry import Size
from textual.widget import Widget

from tutor.ui.textual_compat import restyle_in_layout

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


def _width(widget: Widget) -> int:
    """A button's width: as laid out, else its label and a cell each side (compact)."""
    return widget.outer_size.width or cell_len(str(getattr(widget, "label", ""))) + 2


class ButtonRow(Horizontal):
    """One row of buttons; a grid of several rows when one row would be cut off.

    The choice is made while Textual lays the row out (its height is `auto`, so Textual
    asks it for its height at the width it will have): the same frame shows the fold.
    """

    _css = ""
    """The layout rules last set (set again only when they change)."""

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        """Fold or unfold for `width`, then measure as the layout chosen says."""
        self.fit(width)
        return super().get_content_height(container, viewport, width)

    def fit(self, room: int) -> None:
        """One row if every shown button fits in `room` columns, else as few rows as fit."""
        widths = [_width(widget) for widget in self.children
                  if isinstance(widget, Widget) and widget.display]
        if not widths or sum(widths) + GAP * len(widths) <= room:
            css = "layout: horizontal;"
        else:
            columns = grid_columns(widths, room)
            css = (f"layout: grid; grid-size: {len(columns)}; "
                   f"grid-columns: {' '.join(map(str, columns))}; grid-rows: 1;")
        if css != self._css:  # only on a change: a new layout for nothing costs a core
            self._css = css
            restyle_in_layout(self, css)  # for the layout under way (no refresh)
