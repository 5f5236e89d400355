"""`gd-tutor run FUNCTION --start ... --lr ...`: gradient descent from the command line.

Prints a summary, the first and last iterations as a table and an ASCII plot
of the cost, or with `--json` exactly one JSON object. Never imports Textual;
plotext is imported only for the text report.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import sys
from typing import TYPE_CHECKING, Any

from tutor.errors import UserError

if TYPE_CHECKING:
    from tutor.engine import DescentResult, Objective, Trajectory

TABLE_ROWS = 5
PLOT_WIDTH, PLOT_HEIGHT = 76, 14
_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def _shorten(text: str, limit: int = 40) -> str:
    """Quote typed text for an error line, cut so the line stays one line."""
    flat = " ".join(text.split())
    return repr(flat if len(flat) <= limit else flat[: limit - 3] + "...")


def run_command(args: argparse.Namespace) -> int:
    """Read the options as the exercise pane reads its fields, run once, print the report."""
    from tutor.practice import run

    if args.lr is None:
        raise UserError("--lr is required: give a learning rate, for example --lr 0.1")
    inputs = {"function": args.function, "start": args.start, "learning_rate": args.lr,
              "iterations": args.iterations, "precision": args.precision,
              "method": args.method}
    settings = read_options(None, inputs, "run", args.function)
    outcome = run(settings)
    if args.json:
        print(json.dumps(result_json(outcome.result, outcome.objective), allow_nan=False))
    else:
        print(text_report(outcome.result, outcome.objective))
    return 0


# ----------------------------------------------------------------------------- options

OPTIONS = {"function": "FUNCTION", "start": "--start", "learning_rate": "--lr",
           "iterations": "--iterations", "precision": "--precision", "method": "--method",
           "scale": "--no-scale", "x": "--x", "y": "--y", "model": "--model",
           "batch_size": "--batch-size", "epochs": "--epochs", "seed": "--seed", "l2": "--l2",
           "test_fraction": "--test-fraction", "hidden": "--hidden"}
"""The command-line name of each field, for one-line errors."""


def read_options(exercise: object, inputs: dict[str, Any], mode: str,
                 function: str | None = None) -> Any:
    """Typed settings from option values (None: the field's default), as the pane reads
    them; a problem is a one-sentence UserError naming the option."""
    from tutor.engine import EngineInputError
    from tutor.practice import DataPolicy, InputProblem, read

    given = {key: value for key, value in inputs.items() if value is not None}
    try:
        return read(exercise, given, mode, DataPolicy())  # type: ignore[arg-type]
    except InputProblem as exc:
        text = str(exc)
        option = OPTIONS.get(exc.field or "", "")
        raise UserError(f"{option}: {text[:1].lower()}{text[1:]}" if option else text) from None
    except EngineInputError as exc:
        if function is None:
            raise UserError(str(exc)) from None
        raise UserError(f"cannot read the function {_shorten(function)}: {exc}") from None


# ----------------------------------------------------------------------------- JSON


def finite_or_none(value: float) -> float | None:
    """A float for JSON: nan and inf become null so the output stays valid JSON."""
    return value if math.isfinite(value) else None


def result_json(result: DescentResult, objective: Objective) -> dict[str, object]:
    """The JSON object for a run: status, variables, x, fun, jac, iterations, message, path, ..."""
    path = result.path
    return {
        "status": result.status,
        "variables": list(result.variables),
        "x": [finite_or_none(v) for v in result.x],
        "fun": finite_or_none(result.fun),
        "jac": [finite_or_none(v) for v in result.jac],
        "iterations": result.nit,
        "message": result.message,
        "path": [[finite_or_none(v) for v in point] for point in path.points],
        "costs": [finite_or_none(c) for c in path.costs],
        "function": objective.text,
        "derivative": objective.derivative_text,
        "method": result.method,
        "learning_rate": result.learning_rate,
        "precision": result.precision,
        "max_iterations": result.max_iterations,
        "success": result.success,
    }


# ----------------------------------------------------------------------------- text


def fmt(value: float) -> str:
    """A number in at most ~10 characters: 6 significant digits."""
    return f"{value:.6g}"


def text_report(result: DescentResult, objective: Objective) -> str:
    """Summary, iteration table and cost plot as one string."""
    names = result.variables
    start = ", ".join(f"{n} = {fmt(v)}" for n, v in zip(names, result.path[0].x))
    where = ", ".join(f"{n} = {fmt(v)}" for n, v in zip(names, result.x))
    lines = [
        f"f({', '.join(names)}) = {objective.text}",
        f"derivative: {objective.derivative_text}",
        f"start {start}; learning rate {fmt(result.learning_rate)}; method {result.method}",
        "",
        result.message,
        f"final {where}; cost f = {fmt(result.fun)}; updates {result.nit}",
        "",
        *iteration_table(result, objective),
        "",
        cost_plot(result.path.costs),
    ]
    return "\n".join(lines)


def iteration_table(result: DescentResult, objective: Objective) -> list[str]:
    """The first and last TABLE_ROWS iterations: n, position, cost, slope, step."""
    path = result.path
    names = result.variables
    one = len(names) == 1
    shown = names[:3]
    cost = f"f({names[0]})" if one else "f"
    header = ["n", *shown, cost, "slope" if one else "|gradient|", "step" if one else "|step|"]
    rows = [_row(i, path, objective, len(shown), one) for i in _row_indices(len(path))]
    table = [header, *rows]
    widths = [max(len(r[c]) for r in table) for c in range(len(header))]
    out = ["  ".join(cell.rjust(w) for cell, w in zip(r, widths)) for r in table]
    if len(path) > 2 * TABLE_ROWS:
        out.insert(TABLE_ROWS + 1, "  ".join("...".rjust(w) for w in widths))
    return out


def _row_indices(count: int) -> list[int]:
    """All rows when few, else the first and last TABLE_ROWS."""
    if count <= 2 * TABLE_ROWS:
        return list(range(count))
    return [*range(TABLE_ROWS), *range(count - TABLE_ROWS, count)]


def _row(i: int, path: Trajectory, objective: Objective, shown: int, one: bool) -> list[str]:
    """Point i: n, position, cost, slope (or gradient length), step to the next point."""
    point = path[i]
    gradient = objective.gradient(point.x)
    step = [b - a for a, b in zip(point.x, path[i + 1].x)] if i + 1 < len(path) else None
    cells = [str(i), *(fmt(v) for v in point.x[:shown]), fmt(point.cost)]
    if one:
        cells += [fmt(gradient[0]), fmt(step[0]) if step else ""]
    else:
        cells += [fmt(math.hypot(*gradient)), fmt(math.hypot(*step)) if step else ""]
    return cells


def cost_plot(costs: list[float], height: int = PLOT_HEIGHT) -> str:
    """The cost per update as a plotext line plot, downsampled to about 2x its width."""
    points = [(i, c) for i, c in _downsample(costs, 2 * PLOT_WIDTH) if math.isfinite(c)]
    if len(points) < 2:
        return "(too few finite costs to plot)"
    xs, ys = zip(*points)
    plt, plain = new_figure(height)
    log = min(ys) > 0 and max(ys) / min(ys) > 1e3
    if log:
        plt.yscale("log")
    plt.plot(list(xs), list(ys), marker="dot")
    plt.title("cost per update" + (" (log scale)" if log else ""))
    plt.xlabel("update")
    return render(plt, plain)


def new_figure(height: int) -> tuple[object, bool]:
    """A cleared plotext figure 76 columns wide; `plain` when colour is unwanted."""
    import plotext as plt

    plt.clear_figure()
    plt.plotsize(PLOT_WIDTH, height)
    plain = not sys.stdout.isatty() or bool(os.environ.get("NO_COLOR"))
    if plain:
        plt.theme("clear")
    return plt, plain


def render(plt: object, plain: bool) -> str:
    """The figure as text, without colour codes when `plain`."""
    canvas = plt.build()  # type: ignore[attr-defined]
    return _ANSI.sub("", canvas) if plain else canvas


def _downsample(values: list[float], limit: int) -> list[tuple[int, float]]:
    """At most about `limit` (index, value) pairs, always keeping the first and last."""
    if len(values) <= limit:
        return list(enumerate(values))
    stride = len(values) / (limit - 1)
    indices = sorted({min(len(values) - 1, round(k * stride)) for k in range(limit)})
    return [(i, values[i]) for i in indices]
