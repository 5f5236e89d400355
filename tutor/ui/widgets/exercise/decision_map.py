"""For a classifier on two features: the plane in characters, regions, boundary and points.

Each cell is the model's prediction at its centre: `.` where it says 1, blank
where it says 0, `*` on the boundary (the cell nearer to where the probability
crosses 0.5 between two neighbours). The data are drawn over it, `o` for class 0
and `x` for class 1 (`@` where both share a cell), so it reads the same without
colour. The axes are named by the feature columns.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from textwrap import wrap

from rich.text import Text
from textual.widget import Widget

from tutor.ui.widgets.exercise.formatting import finite

Predict = Callable[[list[list[float]]], list[float]]
CLASS_MARKS = {0: "o", 1: "x"}
BOTH, SAYS_ONE, SAYS_ZERO, EDGE = "@", ".", " ", "*"
POINT_STYLE = "bold reverse"


def plane_range(values: Sequence[float]) -> tuple[float, float]:
    """The data's range with a margin of a tenth on each side (never empty)."""
    values = finite(values) or [0.0]
    lo, hi = min(values), max(values)
    pad = (hi - lo) * 0.1 if hi > lo else 1.0
    return lo - pad, hi + pad


def centres(lo: float, hi: float, count: int) -> list[float]:
    """The centre of each of `count` equal cells from lo to hi."""
    return [lo + (hi - lo) * (i + 0.5) / count for i in range(count)]


def cell_of(value: float, lo: float, hi: float, count: int) -> int | None:
    """The cell holding `value` (None outside)."""
    index = int((value - lo) / (hi - lo) * count)
    return index if 0 <= index < count else None


def predicted_grid(predict: Predict, xs: list[float], ys: list[float]) -> list[list[float]]:
    """The probability at every cell centre, rows from the top (largest y) down."""
    rows = [[x, y] for y in reversed(ys) for x in xs]
    flat = predict(rows)
    return [flat[r * len(xs):(r + 1) * len(xs)] for r in range(len(ys))]


def boundary_cells(grid: list[list[float]]) -> set[tuple[int, int]]:
    """Cells on the boundary: of two neighbours (across or up) on either side of 0.5,
    the one nearer the crossing (linear between their centres)."""
    marked: set[tuple[int, int]] = set()
    height, width = len(grid), len(grid[0]) if grid else 0
    for r in range(height):
        for c in range(width):
            for r2, c2 in ((r, c + 1), (r + 1, c)):
                if r2 < height and c2 < width:
                    a, b = grid[r][c] - 0.5, grid[r2][c2] - 0.5
                    if (a > 0) != (b > 0):
                        marked.add((r, c) if abs(a) <= abs(b) else (r2, c2))
    return marked


def map_lines(predict: Predict, first: Sequence[float], second: Sequence[float],
              labels: Sequence[float], width: int, height: int) -> list[str]:
    """`height` rows of `width` characters: regions, boundary, then the points on top."""
    xr, yr = plane_range(first), plane_range(second)
    grid = predicted_grid(predict, centres(*xr, width), centres(*yr, height))
    cells = [[SAYS_ONE if p > 0.5 else SAYS_ZERO for p in row] for row in grid]
    for r, c in boundary_cells(grid):
        cells[r][c] = EDGE
    drawn: dict[tuple[int, int], str] = {}
    for x, y, label in zip(first, second, labels):
        col, row = cell_of(x, *xr, width), cell_of(y, yr[1], yr[0], height)
        if col is not None and row is not None:
            mark = CLASS_MARKS.get(int(label), "?")
            drawn[(row, col)] = mark if drawn.get((row, col), mark) == mark else BOTH
    for (row, col), mark in drawn.items():
        cells[row][col] = mark
    return ["".join(row) for row in cells]


def legend(y_name: str, width: int) -> list[str]:
    """What each glyph means, on one line if it fits, else two."""
    parts = [f"o {y_name} 0  x {y_name} 1", f"{SAYS_ONE} predicts 1  {EDGE} boundary"]
    whole = "  ".join(parts)
    return [whole] if len(whole) <= width else [p[:width] for p in parts]


class DecisionMap(Widget):
    """A two-feature classifier's decision regions with the data over them."""

    DEFAULT_CSS = "DecisionMap { width: 1fr; height: 1fr; min-height: 6; margin: 0 0 0 1; }"

    def __init__(self) -> None:
        super().__init__(id="decision-map")
        self.predict: Predict | None = None
        self.first: list[float] = []
        self.second: list[float] = []
        self.labels: list[float] = []
        self.names: tuple[str, str, str] = ("x1", "x2", "y")

    def show_model(self, predict: Predict, first: Sequence[float], second: Sequence[float],
                   labels: Sequence[float], names: Sequence[str]) -> None:
        """Draw the model's `predict` (rows of raw feature values -> probabilities)."""
        self.predict = predict
        self.first, self.second, self.labels = list(first), list(second), list(labels)
        self.names = (str(names[0]), str(names[1]), str(names[2]))
        self.refresh()

    def parts(self, width: int, height: int) -> tuple[list[str], list[str], str]:
        """The legend, the map rows and the axes line(s), together at most `height` rows."""
        if self.predict is None:
            return ["Fit a classifier on two features to see its map."], [], ""
        a, b, y = self.names
        top = legend(y, width)
        xr, yr = plane_range(self.first), plane_range(self.second)
        axes = "\n".join(wrap(f"{a} {xr[0]:.3g}..{xr[1]:.3g} across, "
                              f"{b} {yr[0]:.3g}..{yr[1]:.3g} up", width))  # wrapped, never cut
        rows = map_lines(self.predict, self.first, self.second, self.labels, width,
                         max(3, height - len(top) - 1 - axes.count("\n")))
        return top, rows, axes

    def lines(self, width: int, height: int) -> list[str]:
        """Every row as plain text (what a test or a screen reader sees)."""
        top, rows, axes = self.parts(width, height)
        return top + rows + (axes.split("\n") if axes else [])

    def render(self) -> Text:
        """The rows, the data points in bold reverse video (they stand out without colour)."""
        top, rows, axes = self.parts(max(8, self.size.width), max(6, self.size.height))
        text = Text("\n".join(top))
        for row in rows:
            text.append("\n")
            for char in row:
                text.append(char, style=POINT_STYLE if char in "ox@" else None)
        if axes:
            text.append("\n" + axes)
        return text
