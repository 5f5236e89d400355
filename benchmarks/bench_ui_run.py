"""Enter -> plot on screen in the playground, for a 10,000-iteration run (headless Textual).

    python benchmarks/bench_ui_run.py [--repeat 9] [--iterations 10000]

In one process, interleaved, medians of wall-clock milliseconds:
- floor: Enter -> plot for a 1-iteration run (the UI's own round trip: worker
  thread, messages, plot building and the screen refresh);
- Enter -> cost plot rendered with the finished run, the same function each time
  (objective compiled once and cached, as when a learner tries another rate);
- the same with a new function text each time (SymPy differentiates and compiles again);
- for reference, the engine alone on the same run (`runner.run_descent`).
Run: f = x^2 + c*x from 3, rate 0.0001, precision 0, so every run does exactly
`--iterations` updates. Target: Enter -> plot <= 100 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from textual.app import App  # noqa: E402
from textual.widgets import Input  # noqa: E402

from tutor.ui.screens.playground import PlaygroundScreen  # noqa: E402
from tutor.ui.widgets.exercise import runner  # noqa: E402
from tutor.ui.widgets.exercise.cost_plot import CostPlot  # noqa: E402

RENDERED: list[tuple[float, int]] = []
_render, _show_series = CostPlot.render, CostPlot.show_series


def _timed_show_series(self: CostPlot, series):  # type: ignore[no-untyped-def]
    """CostPlot.show_series, marking the plot as holding a new run."""
    _show_series(self, series)
    self.fresh = True  # type: ignore[attr-defined]


def _timed_render(self: CostPlot):  # type: ignore[no-untyped-def]
    """CostPlot.render, noting when a new run's plot was first drawn for the screen."""
    out = _render(self)
    if getattr(self, "fresh", False):
        self.fresh = False  # type: ignore[attr-defined]
        RENDERED.append((time.perf_counter(), self.series[0][1][-1]))
    return out


CostPlot.render = _timed_render  # type: ignore[method-assign]
CostPlot.show_series = _timed_show_series  # type: ignore[method-assign]


FLOOR = "Enter -> plot, 1 iteration (floor)"


class Host(App):
    """The playground alone, as `gd-tutor playground` shows it."""

    def on_mount(self) -> None:
        self.push_screen(PlaygroundScreen("x^2", "3", "0.0001"))


async def enter_to_plot(pilot, function: str, iterations: int) -> float:  # type: ignore[no-untyped-def]
    """Seconds from pressing Enter to the cost plot of the finished run being rendered."""
    screen = pilot.app.screen
    screen.query_one("#field-iterations", Input).value = str(iterations)
    screen.query_one("#field-function", Input).value = function
    await pilot.pause()
    screen.query_one("#field-function", Input).focus()
    await pilot.pause()
    RENDERED.clear()
    start = time.perf_counter()
    await pilot.press("enter")
    while not any(last == iterations for _, last in RENDERED):
        await asyncio.sleep(0.0005)
    return next(t for t, last in RENDERED if last == iterations) - start


def engine_floor(function: str, iterations: int) -> float:
    """Seconds for the same run in the engine alone (objective already compiled)."""
    request = runner.RunRequest(function, (3.0,), 0.0001, iterations, 0.0, "gd")
    runner.compile_cached(function)
    start = time.perf_counter()
    result = runner.run_descent(request).result
    assert result.nit == iterations, result
    return time.perf_counter() - start


async def measure(repeat: int, iterations: int) -> dict[str, list[float]]:
    """Interleaved timings of the floor, the warm run and the new-function run."""
    times: dict[str, list[float]] = {FLOOR: [], "Enter -> plot, same f": [],
                                     "Enter -> plot, new f": [], "engine alone, same run": []}
    app = Host()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.screen.query_one("#field-precision", Input).value = "0"
        await enter_to_plot(pilot, "x^2", iterations)  # warm-up: SymPy import, first compile
        for k in range(repeat):
            times[FLOOR].append(await enter_to_plot(pilot, "x^2", 1))
            times["engine alone, same run"].append(engine_floor("x^2", iterations))
            times["Enter -> plot, same f"].append(await enter_to_plot(pilot, "x^2", iterations))
            new = f"x^2 + {k + 1}*x/1000"
            times["Enter -> plot, new f"].append(await enter_to_plot(pilot, new, iterations))
    return times


def main() -> int:
    """Print medians and ratios; exit 1 when Enter -> plot misses 100 ms."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=9)
    parser.add_argument("--iterations", type=int, default=10_000)
    args = parser.parse_args()
    times = asyncio.run(measure(args.repeat, args.iterations))
    floor = statistics.median(times[FLOOR])
    print(f"{args.iterations:,} iterations, median of {args.repeat} runs each")
    for label, values in times.items():
        median = statistics.median(values)
        print(f"  {label:36s} {median * 1000:7.1f} ms   x{median / floor:.2f} of the floor")
    warm = statistics.median(times["Enter -> plot, same f"]) * 1000
    print(f"Enter -> plot (same f) = {warm:.1f} ms (target <= 100 ms)")
    return 0 if warm <= 100 else 1


if __name__ == "__main__":
    raise SystemExit(main())
