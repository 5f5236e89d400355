"""Cost per iteration, one line per run (a legend when there are several)."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from rich.text import Text
from textual_plotext import PlotextPlot

from tutor.ui.widgets.exercise.formatting import finite, sample_indices

MARKERS = ("braille", "+", "x", "o", "*", "#")
"""Distinct markers so several runs read apart without colour."""


def use_log_scale(series: Sequence[Sequence[float]]) -> bool:
    """Log y when every cost is positive and they span more than three decades."""
    values = [v for costs in series for v in finite(costs)]
    return bool(values) and min(values) > 0 and max(values) / min(values) > 1e3


def decade_ticks(series: Sequence[Sequence[float]], most: int = 5) -> tuple[list[float], list[str]]:
    """Powers of ten spanning the costs, at most `most` of them, labelled `1e-06`."""
    values = [v for costs in series for v in finite(costs) if v > 0]
    low, high = math.floor(math.log10(min(values))), math.ceil(math.log10(max(values)))
    stride = max(1, math.ceil((high - low) / (most - 1)))
    powers = list(range(high, low - 1, -stride))[::-1]
    return [10.0 ** p for p in powers], [f"{10.0 ** p:g}" for p in powers]


def iteration_ticks(last: int, most: int = 5) -> list[int]:
    """Whole iteration numbers from 0 to `last`, at most `most` of them, at round steps."""
    if last <= 0:
        return [0]
    raw = last / (most - 1)
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)
    return list(range(0, last + 1, int(max(1, step))))


class CostPlot(PlotextPlot):
    """The cost curve(s), thinned to about two points per column."""

    DEFAULT_CSS = "CostPlot { width: 1fr; height: 1fr; min-height: 6; }"

    def __init__(self) -> None:
        super().__init__(id="cost-plot")
        self.series: list[tuple[str, list[int], list[float]]] = []

    def show_series(self, series: Sequence[tuple[str, Sequence[int], Sequence[float]]]) -> None:
        """Plot each (label, iterations, costs); labels form the legend."""
        self.series = [(label, list(ns), list(costs)) for label, ns, costs in series]
        self.redraw()

    def redraw(self) -> None:
        """Rebuild the plot from the stored series at the current width."""
        plt = self.plt
        plt.clear_data()
        plt.clear_figure()
        limit = max(20, 2 * (self.size.width or 40))
        log = use_log_scale([c for _, _, c in self.series])
        for i, (label, ns, costs) in enumerate(self.series):
            picked = [j for j in sample_indices(len(costs), limit) if _plottable(costs[j], log)]
            ys = [math.log10(costs[j]) if log else costs[j] for j in picked]
            plt.plot([ns[j] for j in picked], ys, marker=MARKERS[i % len(MARKERS)],
                     label=label or None)
        if log:  # log10 of the costs on a linear axis, labelled in powers of ten
            ticks, labels = decade_ticks([c for _, _, c in self.series])
            plt.yticks([math.log10(t) for t in ticks], labels)
        last = max((ns[-1] for _, ns, _ in self.series if ns), default=0)
        plt.xticks(iteration_ticks(last))
        plt.title("cost per iteration" + (" (log scale)" if log else ""))
        plt.xlabel("iteration")
        self.refresh()

    def render(self) -> object:
        """The plot, or a one-line note if plotext cannot draw these numbers."""
        return safe_build(self, super().render)

    def on_resize(self) -> None:
        """Re-thin the series for the new width."""
        if self.series:
            self.redraw()


def safe_build(plot: PlotextPlot, render: Callable[[], object]) -> object:
    """Render a plotext plot, or one line saying it could not be drawn (never crash the app)."""
    try:
        return render()
    except (ArithmeticError, ValueError, IndexError, TypeError):
        plot.plt.clear_data()
        return Text("(this plot could not be drawn for these numbers)")


def _plottable(value: float, log: bool) -> bool:
    return bool(finite([value])) and (value > 0 or not log)
