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
from collections.abc import Sequence
from typing import TYPE_CHECKING

from tutor.errors import UserError

if TYPE_CHECKING:
    from tutor.engine import DescentResult, Objective, Trajectory as Path

MAX_ITERATIONS = 1_000_000
TABLE_ROWS = 5
PLOT_WIDTH, PLOT_HEIGHT = 76, 14
_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def _shorten(text: str, limit: int = 40) -> str:
    """Quote typed text for an error line, cut so the line stays one line."""
    flat = " ".join(text.split())
    return repr(flat if len(flat) <= limit else flat[: limit - 3] + "...")


def run_command(args: argparse.Namespace) -> int:
    """Validate the options, run the descent and print the report or JSON."""
    from tutor.engine import EngineInputError, compile_objective, minimize, parse_function

    settings = descent_settings(args, lr_required=True, iterations=100, precision=1e-4)
    method = method_option(args.method)
    try:
        parsed = parse_function(args.function)
    except EngineInputError as exc:
        raise UserError(f"cannot read the function {_shorten(args.function)}: {exc}") from None
    start = start_option(args.start, parsed.variables)
    try:
        objective = compile_objective(parsed)
        result = minimize(objective, start, method=method, **settings)
    except EngineInputError as exc:
        raise UserError(str(exc)) from None
    if args.json:
        print(json.dumps(result_json(result, objective), allow_nan=False))
    else:
        print(text_report(result, objective))
    return 0


# ----------------------------------------------------------------------------- options


def number_option(name: str, text: str | None, default: float | None) -> float | None:
    """A finite float from an option's text, or a one-sentence UserError."""
    if text is None:
        return default
    try:
        value = float(text)
    except ValueError:
        raise UserError(f"{name} must be a number, got {text!r}") from None
    if not math.isfinite(value):
        raise UserError(f"{name} must be a finite number, got {text!r}")
    return value


def descent_settings(args: argparse.Namespace, *, lr_required: bool, iterations: int,
                     precision: float, lr_default: float | None = None) -> dict[str, float]:
    """learning_rate, max_iterations and precision from --lr, --iterations, --precision."""
    lr = number_option("--lr", args.lr, lr_default)
    if lr is None and lr_required:
        raise UserError("--lr is required: give a learning rate, for example --lr 0.1")
    if lr is not None and lr <= 0:
        raise UserError(f"--lr must be a positive number, got {args.lr!r}")
    prec = number_option("--precision", args.precision, precision)
    if prec is not None and prec < 0:
        raise UserError(f"--precision must be 0 or more, got {args.precision!r}")
    return {"learning_rate": lr, "max_iterations": iterations_option(args.iterations, iterations),
            "precision": prec}


def iterations_option(text: str | None, default: int) -> int:
    """A whole number of iterations between 1 and MAX_ITERATIONS."""
    if text is None:
        return default
    stripped = text.strip()
    if not stripped.isdigit() or not 1 <= int(stripped) <= MAX_ITERATIONS:
        raise UserError(f"--iterations must be a whole number from 1 to {MAX_ITERATIONS}, "
                        f"got {text!r}")
    return int(stripped)


def method_option(text: str) -> str:
    """One of the engine's METHODS."""
    from tutor.engine import METHODS

    if text not in METHODS:
        raise UserError(f"--method must be one of {', '.join(METHODS)}; got {text!r}")
    return text


def start_option(text: str, variables: Sequence[str]) -> list[float]:
    """The comma-separated start, one finite number per variable."""
    parts = [p.strip() for p in text.split(",")]
    values = [number_option("--start", p, None) for p in parts]
    if len(values) != len(variables):
        count = len(variables)
        raise UserError(f"--start needs {count} value{'s' if count > 1 else ''}, one for each "
                        f"of {', '.join(variables)} (in that order), got {len(values)}: {text!r}")
    return values  # type: ignore[return-value]


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


def _row(i: int, path: Path, objective: Objective, shown: int, one: bool) -> list[str]:
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
