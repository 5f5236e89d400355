"""`gd-tutor fit` when it trains a model: several features, logistic, batches, l2, a split.

The report names the model, its coefficients in the data's units, how training
ended, the exact least-squares answer where there is one (a linear model with no
penalty), and the training (and test) cost per epoch; `--json` prints the line
fit's keys plus `model`, `coefficients`, and where they apply `accuracy`,
`train_cost` and `test_cost`. The same seed gives the same output byte for byte.
"""

from __future__ import annotations

import json
import math
import textwrap
from typing import TYPE_CHECKING, Any

from tutor.commands.run import finite_or_none, fmt, new_figure, render
from tutor.errors import UserError

if TYPE_CHECKING:
    from tutor.engine import ModelResult, Table
    from tutor.practice import FitSettings

COST_NAMES = {"linear": "mean squared error", "logistic": "log-loss"}


def model_command(settings: FitSettings, source: str, *, as_json: bool) -> int:
    """Train once through the practice layer and print the report or the JSON object."""
    from tutor.engine import EngineInputError, least_squares
    from tutor.practice import run

    try:
        outcome = run(settings)
    except EngineInputError as exc:
        raise UserError(str(exc)) from None
    table, result = outcome.data, outcome.result
    exact = None
    if result.model == "linear" and not settings.hidden and not settings.l2 \
            and not settings.test_fraction:
        try:
            exact = least_squares(table.columns, table.ys, table.x_names)
        except EngineInputError:
            exact = None  # linearly dependent features or huge values: no single exact answer
    if as_json:
        print(json.dumps(model_json(result, table, exact), allow_nan=False))
    else:
        print(model_report(result, table, exact, source))
    return 0


def model_json(result: ModelResult, table: Table,
               exact: tuple[float, list[float]] | None) -> dict[str, object]:
    """The line fit's keys (slope: the one coefficient, else null) and the model's own."""
    one = len(result.coefficients) == 1
    data: dict[str, object] = {
        "status": result.status,
        "intercept": finite_or_none(result.intercept),
        "slope": finite_or_none(result.coefficients[0]) if one else None,
        "cost": finite_or_none(result.cost),
        "iterations": result.nit,
        "message": result.message,
        "success": result.success,
        "scaled": True,
        "learning_rate": result.settings["learning_rate"],
        "precision": result.settings["precision"],
        "x_column": table.x_names[0] if len(table.x_names) == 1 else None,
        "y_column": table.y_name,
        "points": table.rows,
        "least_squares": _exact_json(exact, table.x_names),
        "model": result.model,
        "coefficients": {n: finite_or_none(c) for n, c in zip(result.names, result.coefficients)},
        "x_columns": list(table.x_names),
        "epochs": result.epochs,
        "batch_size": result.settings["batch_size"],
        "method": result.settings["method"],
        "seed": result.settings["seed"],
        "l2": result.settings["l2"],
        "hidden": result.settings["hidden"],
        "separable": result.separable,
    }
    if result.accuracy is not None:
        data["accuracy"] = result.accuracy
    if result.test_rows:
        data.update(test_fraction=result.settings["test_fraction"],
                    train_cost=finite_or_none(result.train_cost),
                    test_cost=finite_or_none(result.test_cost or math.nan),
                    train_rows=len(result.train_rows), test_rows=len(result.test_rows))
        if result.test_accuracy is not None:
            data["test_accuracy"] = result.test_accuracy
    return data


def _exact_json(exact: tuple[float, list[float]] | None, names: list[str]) -> object:
    """The exact least-squares answer (null where it does not apply)."""
    if exact is None:
        return None
    intercept, weights = exact
    found: dict[str, object] = {"intercept": intercept,
                                "coefficients": dict(zip(names, weights))}
    if len(weights) == 1:
        found["slope"] = weights[0]
    return found


def model_report(result: ModelResult, table: Table, exact: tuple[float, list[float]] | None,
                 source: str) -> str:
    """The text report: the model, its settings, how it ended, its costs and the cost plot."""
    cost_name = COST_NAMES[result.model]
    lines = [f"{_kind(result)} fitted to {source if len(source) <= 40 else '...' + source[-37:]}",
             f"{table.rows} rows; y = {table.y_name!r}; features standardised first",
             _settings_line(result), "", textwrap.fill(result.message, 79)]
    if result.coefficients:
        lines.append(_equation(result, table.y_name, result.intercept, result.coefficients))
    lines.append(f"cost ({cost_name}{' + l2 penalty' if result.settings['l2'] else ''}) = "
                 f"{fmt(result.cost)}")
    if result.accuracy is not None:
        lines.append(f"accuracy on the training rows: {result.accuracy:.1%}")
    if result.test_rows:
        lines.append(textwrap.fill(
            f"{len(result.test_rows)} rows held back: training {cost_name} "
            f"{fmt(result.train_cost)}, test {cost_name} {fmt(result.test_cost or 0)}"
            + (f", test accuracy {result.test_accuracy:.1%}"
               if result.test_accuracy is not None else ""), 79))
    if exact is not None:
        lines.append("exact least squares: " + _equation(result, table.y_name, *exact))
    return "\n".join(lines + ["", cost_plot(result)])


def _kind(result: ModelResult) -> str:
    hidden = result.settings["hidden"]
    model = f"{result.model} model" if not hidden else \
        f"network ({hidden} hidden units, {result.model} output)"
    return model[:1].upper() + model[1:]


def _settings_line(result: ModelResult) -> str:
    """Learning rate, method, batch size, epochs, seed and penalty on one line."""
    s = result.settings
    batch = "full batch" if s["batch_size"] >= s["rows"] else f"batches of {s['batch_size']}"
    penalty = f", l2 {fmt(s['l2'])}" if s["l2"] else ""
    return (f"learning rate {fmt(s['learning_rate'])}, {s['method']}, {batch}, "
            f"at most {s['epochs']} epochs, seed {s['seed']}{penalty}")


def _equation(result: ModelResult, y_name: str, intercept: float, weights: Any) -> str:
    """`y = b0 + b1 * x1 + ...` (or `P(y = 1) = sigmoid(...)` for a logistic model)."""
    terms = [f"{'-' if w < 0 else '+'} {fmt(abs(w))} * {n}" for n, w in zip(result.names, weights)]
    joint = "\n    " if len(terms) > 2 else " "
    body = joint.join([fmt(intercept), *terms])
    if result.model == "logistic":
        return f"P({y_name} = 1) = sigmoid({body})"
    return f"{y_name} = {body}"


def cost_plot(result: ModelResult, height: int = 10) -> str:
    """Training (and test) cost per epoch on one plotext plot; with mini-batches also each
    batch's cost (the noisy curve stochastic descent follows)."""
    series = [_series("training", result.train_costs, 1, "dot"),
              _series("test", result.test_costs, 1, "x")]
    settings = result.settings
    if settings["batch_size"] < settings["rows"] and len(result.batch_costs) >= 2:
        per_epoch = -(-settings["rows"] // settings["batch_size"])
        series.insert(0, _series("each batch", result.batch_costs, per_epoch, "+"))
    series = [s for s in series if len(s[1]) >= 2 and all(map(math.isfinite, s[2]))]
    if not series:
        return "(too few finite costs to plot)"
    plt, plain = new_figure(height)
    low, high = min(min(s[2]) for s in series), max(max(s[2]) for s in series)
    log = low > 0 and high / low > 1e3
    if log:
        plt.yscale("log")
    for label, xs, ys, marker in series:  # a marker each, told apart without colour
        plt.plot(xs, ys, marker=marker, label=label)
    plt.title("cost per epoch" + (": training and test" if result.test_costs else "")
              + (" (log scale)" if log else ""))
    plt.xlabel("epoch")
    return render(plt, plain)


def _series(label: str, costs: list[float], per_epoch: int,
            marker: str) -> tuple[str, list[float], list[float], str]:
    """About 150 evenly spaced points of a cost curve, x in epochs."""
    step = max(1, len(costs) // 150)
    picked = range(0, len(costs), step)
    return label, [i / per_epoch for i in picked], [costs[i] for i in picked], marker
