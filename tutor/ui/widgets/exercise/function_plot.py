"""For one variable: the curve of f with the guesses marked along it."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from textual_plotext import PlotextPlot

from tutor.ui.widgets.exercise.cost_plot import safe_build, short_axes
from tutor.practice.running import sample_indices
from tutor.ui.widgets.exercise.formatting import finite

BLOW_UP = 1e3
"""A guess this many times farther out than the start (or than 1) means the run blew up."""


def sensible_count(guesses: Sequence[float]) -> int:
    """How many leading guesses to draw: all, or those before the run blew up."""
    if not guesses:
        return 0
    bound = BLOW_UP * max(1.0, abs(guesses[0]) if finite([guesses[0]]) else 1.0)
    for i, x in enumerate(guesses):
        if not finite([x]) or abs(x) > bound:
            return max(1, i)
    return len(guesses)


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
        shown = sensible_count(self.guesses)
        guesses, costs = self.guesses[:shown], self.costs[:shown]
        lo, hi = curve_domain(guesses)
        xs = [lo + (hi - lo) * i / (width - 1) for i in range(width)]
        points = [(x, self.value(x)) for x in xs]
        points = [(x, y) for x, y in points if finite([y])]
        if points:
            plt.plot([p[0] for p in points], [p[1] for p in points], marker="braille")
        picked = [i for i in sample_indices(len(guesses), width)
                  if finite([guesses[i], costs[i]])]
        plt.scatter([guesses[i] for i in picked], [costs[i] for i in picked], marker="o")
        short_axes(plt, [p[0] for p in points] + [guesses[i] for i in picked],
                   [p[1] for p in points] + [costs[i] for i in picked])
        if shown < len(self.guesses):
            plt.title(f"f({self.variable}): blew up; first {shown} guesses")
        else:
            plt.title(f"f({self.variable}) and the guesses (o)")
        self.refresh()

    def render(self) -> object:
        """The plot, or a one-line note if plotext cannot draw these numbers."""
        return safe_build(self, super().render)

    def on_resize(self) -> None:
        """Resample for the new width."""
        if self.value is not None:
            self.redraw()
