"""For one variable: the curve of f with the guesses marked along it."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from textual_plotext import PlotextPlot

from tutor.ui.widgets.exercise.cost_plot import safe_build
from tutor.ui.widgets.exercise.formatting import finite, sample_indices


def curve_domain(xs: Sequence[float]) -> tuple[float, float]:
    """An x-range around the guesses, padded so the curve shows its shape."""
    values = finite(xs) or [0.0]
    lo, hi = min(values), max(values)
    pad = max((hi - lo) * 0.25, abs(hi) * 0.1, 1.0) if hi - lo < 1e-9 else (hi - lo) * 0.25
    return lo - pad, hi + pad


class FunctionPlot(PlotextPlot):
    """f(x) as a line and the descent's guesses as `o` markers on it."""

    DEFAULT_CSS = "FunctionPlot { width: 1fr; height: 1fr; min-height: 6; }"

    def __init__(self) -> None:
        super().__init__(id="function-plot")
        self.value: Callable[[float], float] | None = None
        self.guesses: list[float] = []
        self.costs: list[float] = []
        self.variable = "x"

    def show_guesses(self, value: Callable[[float], float], guesses: Sequence[float],
                     costs: Sequence[float], variable: str = "x") -> None:
        """Plot `value` over the guesses' range and mark each guess."""
        self.value, self.guesses, self.costs = value, list(guesses), list(costs)
        self.variable = variable
        self.redraw()

    def redraw(self) -> None:
        """Rebuild at the current width (about two samples per column)."""
        plt = self.plt
        plt.clear_data()
        plt.clear_figure()
        if self.value is None:
            return
        width = max(20, 2 * (self.size.width or 40))
        lo, hi = curve_domain(self.guesses)
        xs = [lo + (hi - lo) * i / (width - 1) for i in range(width)]
        points = [(x, self.value(x)) for x in xs]
        points = [(x, y) for x, y in points if finite([y])]
        if points:
            plt.plot([p[0] for p in points], [p[1] for p in points], marker="braille")
        picked = [i for i in sample_indices(len(self.guesses), width)
                  if finite([self.guesses[i], self.costs[i]])]
        plt.scatter([self.guesses[i] for i in picked], [self.costs[i] for i in picked],
                    marker="o", label="guesses")
        plt.title(f"f({self.variable}) and the guesses")
        self.refresh()

    def render(self) -> object:
        """The plot, or a one-line note if plotext cannot draw these numbers."""
        return safe_build(self, super().render)

    def on_resize(self) -> None:
        """Resample for the new width."""
        if self.value is not None:
            self.redraw()
