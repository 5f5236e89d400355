"""For a line fit: the data as points and the fitted straight line through them."""

from __future__ import annotations

from collections.abc import Sequence

from textual_plotext import PlotextPlot

from tutor.ui.widgets.exercise.cost_plot import LEGEND_LINE, fitting_title, safe_build, short_axes
from tutor.practice.running import sample_indices
from tutor.ui.widgets.exercise.formatting import finite


class FitPlot(PlotextPlot):
    """Scatter of (x, y) with the line y = intercept + slope*x, or a model's curve."""

    DEFAULT_CSS = "FitPlot { width: 1fr; height: 1fr; min-height: 6; }"

    def __init__(self) -> None:
        super().__init__(id="fit-plot")
        self.xs: list[float] = []
        self.ys: list[float] = []
        self.line: tuple[float, float] | None = None
        self.curve: tuple[list[float], list[float]] | None = None
        self.names = ("x", "y")
        self.title = ""

    def show_fit(self, xs: Sequence[float], ys: Sequence[float], intercept: float,
                 slope: float, names: Sequence[str] = ("x", "y")) -> None:
        """Plot the data and the fitted line."""
        self.xs, self.ys, self.line = list(xs), list(ys), (intercept, slope)
        self.names = (str(names[0]), str(names[1]))
        b, m = self.line
        lo, hi = (min(finite(xs)), max(finite(xs))) if finite(xs) else (0.0, 0.0)
        self.curve = ([lo, hi], [b + m * lo, b + m * hi])
        self.title = f"{self.names[1]} against {self.names[0]}: o data, {LEGEND_LINE} line"
        self.redraw()

    def show_curve(self, xs: Sequence[float], ys: Sequence[float],
                   curve: tuple[Sequence[float], Sequence[float]], names: Sequence[str],
                   title: str) -> None:
        """Plot the data and a model's curve through them (a probability, a prediction)."""
        self.xs, self.ys, self.line = list(xs), list(ys), None
        self.curve = (list(curve[0]), list(curve[1]))
        self.names, self.title = (str(names[0]), str(names[1])), title
        self.redraw()

    def redraw(self) -> None:
        """Rebuild the scatter (thinned to ~2 points per column) and the line."""
        plt = self.plt
        plt.clear_data()
        plt.clear_figure()
        if self.curve is None or not finite(self.xs):
            return
        picked = sample_indices(len(self.xs), max(40, 2 * (self.size.width or 40)))
        plt.plot(*self.curve, marker="braille")
        # the points last, so a line passing close to them does not hide them
        plt.scatter([self.xs[i] for i in picked], [self.ys[i] for i in picked], marker="o")
        short_axes(plt, self.xs + self.curve[0], self.ys + self.curve[1])
        # the legend in the title and the column names on the axes: nothing covers a point
        y, x = self.names[1], self.names[0]
        plt.title(fitting_title(self.size.width, self.title,
                                self.title.replace(" against ", " vs ", 1),
                                f"{y}: {self.title.split(': ', 1)[-1]}",
                                f"{y} vs {x}", self.title.split(": ", 1)[-1]))
        plt.xlabel(self.names[0])
        self.refresh()

    def render(self) -> object:
        """The plot, or a one-line note if plotext cannot draw these numbers."""
        return safe_build(self, super().render)

    def on_resize(self) -> None:
        """Re-thin for the new width."""
        if self.curve is not None:
            self.redraw()
