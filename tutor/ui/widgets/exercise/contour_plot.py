"""For two variables: the path over a level (heat) view of f, drawn in characters.

plotext has no contour plot, so the view is a grid of shading characters, from
' ' (lowest tenth of the values on screen) to '@' (highest), which reads the
same with or without colour. The path is drawn over it: S start, o guesses, E end.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Sequence

from textwrap import wrap

from rich.text import Text
from textual.widget import Widget

from tutor.ui.widgets.exercise.formatting import finite

SHADES = " .:-=+*#%@"
"""Low to high; ten levels, each a tenth of the grid's values."""
PATH_MARKS = "SoE"
PATH_STYLE = "bold reverse"


def axis_range(values: Sequence[float]) -> tuple[float, float]:
    """A padded range around the path's coordinates (never empty)."""
    values = finite(values) or [0.0]
    lo, hi = min(values), max(values)
    pad = max((hi - lo) * 0.2, 0.5)
    return lo - pad, hi + pad


def shade_grid(grid: list[list[float]]) -> list[list[str]]:
    """Map each value to a shade by its rank among the grid's finite values."""
    ranked = sorted(v for row in grid for v in finite(row))
    if not ranked:
        return [["?" for _ in row] for row in grid]
    cuts = [ranked[min(len(ranked) - 1, len(ranked) * k // len(SHADES))] for k in range(1, len(SHADES))]
    return [[SHADES[bisect_right(cuts, v)] if finite([v]) else "!" for v in row] for row in grid]


def level_lines(value: Callable[[tuple[float, ...]], float], path: Sequence[tuple[float, ...]],
                width: int, height: int) -> list[str]:
    """`height` text rows of `width` characters: shaded f with the path drawn on top."""
    xr, yr = axis_range([p[0] for p in path]), axis_range([p[1] for p in path])
    rest = tuple(path[-1][2:]) if path else ()
    xs = [xr[0] + (xr[1] - xr[0]) * (i + 0.5) / width for i in range(width)]
    ys = [yr[1] - (yr[1] - yr[0]) * (j + 0.5) / height for j in range(height)]
    cells = shade_grid([[value((x, y, *rest)) for x in xs] for y in ys])
    for k, point in enumerate(path):
        if not finite(point[:2]) or len(finite(point[:2])) < 2:
            continue
        col = int((point[0] - xr[0]) / (xr[1] - xr[0]) * width)
        row = int((yr[1] - point[1]) / (yr[1] - yr[0]) * height)
        if 0 <= col < width and 0 <= row < height:
            mark = "S" if k == 0 else "E" if k == len(path) - 1 else "o"
            if cells[row][col] not in "SE" or mark == "E":
                cells[row][col] = mark
    return ["".join(row) for row in cells]


LEGEND = "S start o path E end; blank low @ high"
"""The caption names every glyph as drawn: the lowest level is a blank, not `.`."""


def caption_lines(names: Sequence[str], xr: tuple[float, float], yr: tuple[float, float],
                  width: int) -> tuple[list[str], list[str]]:
    """The legend and the axis ranges, each wrapped to `width` (never cut: at 60 columns
    `@ high` and the second range were lost)."""
    a, b = names[0], names[1] if len(names) > 1 else "y"
    axes = f"{a} {xr[0]:.3g}..{xr[1]:.3g} across, {b} {yr[0]:.3g}..{yr[1]:.3g} up"
    return wrap(LEGEND, width) or [""], wrap(axes, width) or [""]


class LevelView(Widget):
    """The heat/level view of a two-variable f with the descent's path over it."""

    DEFAULT_CSS = "LevelView { width: 1fr; height: 1fr; min-height: 6; }"

    def __init__(self) -> None:
        super().__init__(id="level-view")
        self.value: Callable[[tuple[float, ...]], float] | None = None
        self.path: list[tuple[float, ...]] = []
        self.names: tuple[str, ...] = ("x", "y")

    def show_path(self, value: Callable[[tuple[float, ...]], float],
                  path: Sequence[tuple[float, ...]], names: Sequence[str]) -> None:
        """Draw f and `path` (a list of points, at most ~2 per column is plenty)."""
        self.value, self.path, self.names = value, [tuple(p) for p in path], tuple(names)
        self.refresh()

    def render(self) -> Text:
        """Title, the shaded grid with the path, and the axis ranges."""
        if self.value is None or not self.path:
            return Text("Run a two-variable function to see its level view.")
        width = max(8, self.size.width)
        xr = axis_range([p[0] for p in self.path])
        yr = axis_range([p[1] for p in self.path])
        title, axes = caption_lines(self.names, xr, yr, width)
        height = max(3, self.size.height - len(title) - len(axes))
        rows = level_lines(self.value, self.path, width, height)
        text = Text("\n".join(title) + "\n")
        for row in rows:
            for char in row:  # the path stands out in bold reverse video, colour or not
                text.append(char, style=PATH_STYLE if char in PATH_MARKS else None)
            text.append("\n")
        text.append("\n".join(axes))
        return text
