"""Cost per iteration, one line per run (a legend when there are several)."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from rich.text import Text
from textual_plotext import PlotextPlot

from tutor.practice.running import sample_indices
from tutor.ui.widgets.exercise.formatting import finite, nice_ticks, tick_label

MARKERS = ("braille", "+", "x", "o", "*", "#")
"""Distinct markers so several runs read apart without colour."""


LEGEND_LINE = "—"
"""How the legend names the braille line of the first run (its other runs use markers)."""


def use_log_scale(series: Sequence[Sequence[float]]) -> bool:
    """Log y when no cost is negative and the positive ones span more than three decades
    (a cost that reaches exactly 0, as with precision 0, is left off the log plot)."""
    values = [v for costs in series for v in finite(costs)]
    positive = [v for v in values if v > 0]
    return bool(positive) and min(values) >= 0 and max(positive) / min(positive) > 1e3


def short_axes(plt: object, xs: Sequence[float], ys: Sequence[float]) -> None:
    """Round ticks with labels of at most 8 characters on both axes (plotext's own labels
    can take 34 digits and squeeze the curve to a few columns)."""
    axes = ((finite(xs), plt.xticks, plt.xlim), (finite(ys), plt.yticks, plt.ylim))  # type: ignore[attr-defined]
    for values, set_ticks, set_limits in axes:
        if values:
            ticks = nice_ticks(min(values), max(values))
            set_ticks(ticks, [tick_label(t) for t in ticks])
            _hold_ticks(set_limits, values, ticks)


def _hold_ticks(set_limits: Callable[..., object], values: Sequence[float],
                ticks: Sequence[float]) -> None:
    """Make the axis span every tick: a tick outside the data would be drawn on the frame,
    the title line or beside the next label (`1e+06 cost per...`, `1 0   50`)."""
    low, high = min(*values, *ticks), max(*values, *ticks)
    if high > low:
        set_limits(low, high)


def fitting_title(width: int, *candidates: str) -> str:
    """The first title that fits `width` columns (plotext drops a title that does not),
    else the last one cut to fit."""
    room = max(1, (width or 80) - 2)
    return next((text for text in candidates if len(text) <= room), candidates[-1][:room])


def legend_title(labels: Sequence[str]) -> str:
    """The legend as the title, so it never covers a curve: `— 0.1  + 0.5  x 0.9`."""
    marks = [LEGEND_LINE if MARKERS[i % len(MARKERS)] == "braille" else MARKERS[i % len(MARKERS)]
             for i in range(len(labels))]
    return "  ".join(f"{mark} {label}" for mark, label in zip(marks, labels))


def hidden_curves(series: Sequence[tuple[str, Sequence[float]]]) -> str:
    """Say which compared curves the plot cannot show apart: runs with the same costs (as
    far as the shorter goes) draw one over the other, and a cost of exactly 0 lies below a log scale. Empty if none."""
    notes: list[str] = []
    for i, (label, costs) in enumerate(series):
        twin = next((other for other, seen in series[:i]
                     if min(len(seen), len(costs)) > 1 and all(
                         math.isclose(a, b, rel_tol=1e-6)
                         for a, b in zip(seen, costs))), None)
        if twin is not None:
            notes.append(f"{twin} and {label.removeprefix('rate ')} have the same costs")
    log = use_log_scale([costs for _, costs in series])
    if log:
        notes += [f"{label} reaches 0, below the log scale"
                  for label, costs in series if 0.0 in costs]
    where = "On the plot (cost, log scale)" if log else "On the plot"
    return f"{where}: {'; '.join(notes)}." if notes else ""


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
        self.unit = "iteration"

    def show_series(self, series: Sequence[tuple[str, Sequence[int], Sequence[float]]],
                    unit: str = "iteration") -> None:
        """Plot each (label, iterations, costs); labels form the legend. `unit` names the
        x axis (a model counts epochs, or updates when it learns in batches)."""
        self.series = [(label, list(ns), list(costs)) for label, ns, costs in series]
        self.unit = unit
        self.redraw()

    def redraw(self) -> None:
        """Rebuild the plot from the stored series at the current width."""
        plt = self.plt
        plt.clear_data()
        plt.clear_figure()
        limit = max(20, 2 * (self.size.width or 40))
        log = use_log_scale([c for _, _, c in self.series])
        shown: list[float] = []
        for i, (label, ns, costs) in enumerate(self.series):
            picked = [j for j in sample_indices(len(costs), limit) if _plottable(costs[j], log)]
            ys = [math.log10(costs[j]) if log else costs[j] for j in picked]
            plt.plot([ns[j] for j in picked], ys, marker=MARKERS[i % len(MARKERS)])
            shown += ys
        if log and shown:  # log10 of the costs on a linear axis, labelled in powers of ten
            ticks, labels = decade_ticks([c for _, _, c in self.series])
            plt.yticks([math.log10(t) for t in ticks], labels)
            _hold_ticks(plt.ylim, shown, [math.log10(t) for t in ticks])
        elif shown:
            ticks = nice_ticks(min(shown), max(shown))
            plt.yticks(ticks, [tick_label(t) for t in ticks])
            _hold_ticks(plt.ylim, shown, ticks)
        ns_shown = [n for _, ns, _ in self.series for n in ns]
        if ns_shown:
            ticks = iteration_ticks(max(ns_shown))
            plt.xticks(ticks)
            _hold_ticks(plt.xlim, ns_shown, ticks)
        plt.title(self._title(log))
        plt.xlabel(self.unit)
        self.refresh()

    def _title(self, log: bool) -> str:
        """The legend (several runs) or what is plotted, shortened to fit the width."""
        labels = [label for label, _, _ in self.series if label]
        if len(labels) > 1:
            short = [label.removeprefix("rate ") for label in labels]
            return fitting_title(self.size.width, legend_title(labels),
                                 "rates " + legend_title(short), legend_title(short))
        if log:
            return fitting_title(self.size.width, f"cost per {self.unit} (log scale)",
                                 "cost (log scale)", "cost (log)")
        return fitting_title(self.size.width, f"cost per {self.unit}", "cost")

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
