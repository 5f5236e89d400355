"""`gd-tutor fit DATA.csv`: fit a straight line to two columns by gradient descent.

Prints the fitted line, its mean squared error, how the descent ended and the
exact least-squares line for comparison, or with `--json` one JSON object.
Several `--x` columns or any model option (`--model`, `--batch-size`, ...) train
a model instead (commands/fit_model.py).
"""

from __future__ import annotations

import argparse
import json
import math
import os
from typing import TYPE_CHECKING

from tutor.commands.run import cost_plot, finite_or_none, fmt, new_figure, read_options, render
from tutor.errors import UserError

MODEL_OPTIONS = ("model", "method", "batch_size", "epochs", "seed", "l2", "test_fraction",
                 "hidden")
"""Options that make `fit` train a model (engine.train) rather than fit a line."""

if TYPE_CHECKING:
    from tutor.engine import FitResult, Line, XYData


def fit_command(args: argparse.Namespace) -> int:
    """Read the options as a fit exercise reads its fields, fit once, print the report."""
    from tutor.engine import EngineInputError, least_squares_line
    from tutor.practice import run

    features = args.x_columns or []
    inputs = {"data": args.data, "learning_rate": args.lr, "iterations": args.iterations,
              "precision": args.precision, "scale": not args.no_scale,
              "x_column": features[0] if len(features) == 1 else None,
              "x_columns": features if len(features) > 1 else None, "y_column": args.y_column,
              **{key: getattr(args, key) for key in MODEL_OPTIONS}}
    settings = read_options(None, inputs, "fit")
    if settings.trains_model:
        from tutor.commands.fit_model import model_command

        return model_command(settings, args.data, as_json=args.json)
    try:
        outcome = run(settings)
        data, result = outcome.data, outcome.result
        exact = least_squares_line(data.xs, data.ys)
    except EngineInputError as exc:
        raise UserError(str(exc)) from None
    if args.json:
        print(json.dumps(fit_json(result, exact, data), allow_nan=False))
    else:
        print(fit_report(result, exact, data, args.data,
                         chosen=bool(args.x_columns) or args.y_column is not None))
    return 0


def fit_json(result: FitResult, exact: Line, data: XYData) -> dict[str, object]:
    """status, intercept, slope, cost, iterations, message, columns and the exact line."""
    return {
        "status": result.status,
        "intercept": finite_or_none(result.intercept),
        "slope": finite_or_none(result.slope),
        "cost": finite_or_none(result.cost),
        "iterations": result.nit,
        "message": result.message,
        "success": result.success,
        "scaled": result.scaled,
        "learning_rate": result.learning_rate,
        "precision": result.precision,
        "x_column": data.x_name,
        "y_column": data.y_name,
        "points": len(data.xs),
        "least_squares": {"intercept": finite_or_none(exact.intercept),
                          "slope": finite_or_none(exact.slope)},
        "model": "linear",
        "coefficients": {data.x_name: finite_or_none(result.slope)},
    }


def fit_report(result: FitResult, exact: Line, data: XYData, source: str, *,
               chosen: bool = True) -> str:
    """The text report: columns used, line, cost, ending, the exact line and the plots."""
    scaling = "x standardised first" if result.scaled else "x used as it is (no scaling)"
    which = "" if chosen else " (the first two columns; --x and --y choose others)"
    return "\n".join([
        f"y = intercept + slope * x, fitted to {_short(source)}",
        f"{len(data.xs)} points; x = column {data.x_name!r}, y = column {data.y_name!r}{which}",
        f"learning rate {fmt(result.learning_rate)}; {scaling}",
        "",
        result.message,
        f"intercept = {fmt(result.intercept)}, slope = {fmt(result.slope)}; "
        f"cost (mean squared error) = {fmt(result.cost)}",
        f"exact least squares: intercept = {fmt(exact.intercept)}, "
        f"slope = {fmt(exact.slope)}",
        "",
        data_plot(data, result),
        "",
        cost_plot(result.costs, height=10),
    ])


def _short(source: str) -> str:
    """The file name as typed, or just its last part when that is long."""
    return source if len(source) <= 40 else os.path.basename(source)


def data_plot(data: XYData, result: FitResult) -> str:
    """The data points and the fitted line on one plotext scatter plot."""
    plt, plain = new_figure(16)
    plt.scatter(data.xs, data.ys, marker="o")
    low, high = min(data.xs), max(data.xs)
    if all(map(math.isfinite, (result.intercept, result.slope))):
        plt.plot([low, high], [result.intercept + result.slope * v for v in (low, high)],
                 marker="dot")
    plt.title(f"{data.y_name} against {data.x_name}, with the fitted line")
    plt.xlabel(data.x_name)
    return render(plt, plain)
