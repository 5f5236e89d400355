"""What the pane shows of a trained model, in words and series (no widgets here).

A model's costs: with mini-batches, the noisy cost of each batch beside the cost
on all the training rows after every epoch, both over the updates; with a test
split, the training and test costs per epoch on one plot (where overfitting shows);
else the cost per epoch. One stochastic step is told in the frame of a descent
step: the rows drawn (predict), the gradient from them (calculate the error) and
the weights before and after (learn).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

from tutor.ui.widgets.exercise.formatting import fmt

Series = list[tuple[str, list[int], list[float]]]
COST_NAMES = {"linear": "mean squared error", "logistic": "log-loss"}
SHOWN_WEIGHTS = 4
"""Weights written out in a step (a network has up to 41; the rest are `...`)."""
CURVE_POINTS = 60
SEPARABLE_START = "The two classes are perfectly separable"
"""How the engine's sentence on separable classes begins (the status line keeps it)."""


def model_series(train_costs: Sequence[float], test_costs: Sequence[float],
                 batch_costs: Sequence[float], batch_size: int, rows: int,
                 first_epoch: int = 0, at: Sequence[int] = ()) -> tuple[Series, str]:
    """The cost series of a model run and the unit of its x axis ("update" or "epoch").

    `train_costs[i]` is the cost after epoch `at[i]` (without `at`: `first_epoch + i`);
    `batch_costs[k]` the cost of the batch of update k+1, just before it."""
    epochs = list(at) or list(range(first_epoch, first_epoch + len(train_costs)))
    if batch_costs and 0 < batch_size < rows:
        per_epoch = -(-rows // batch_size)
        series: Series = [("each batch", list(range(len(batch_costs))), list(batch_costs)),
                          ("full batch", [e * per_epoch for e in epochs], list(train_costs))]
        if test_costs:
            series.append(("test", [e * per_epoch for e in epochs][:len(test_costs)],
                           list(test_costs)))
        return series, "update"
    if test_costs:
        return [("training", epochs, list(train_costs)),
                ("test", epochs[:len(test_costs)], list(test_costs))], "epoch"
    return [("", epochs, list(train_costs))], "epoch"


def result_series(result: Any) -> tuple[Series, str]:
    """`model_series` of a finished `ModelResult`."""
    settings = result.settings
    return model_series(result.train_costs, result.test_costs, result.batch_costs,
                        settings["batch_size"], settings["rows"])


def curve_of(predict: Callable[[list[list[float]]], list[float]],
             xs: Sequence[float]) -> tuple[list[float], list[float]]:
    """The model's prediction along one feature, at CURVE_POINTS evenly spaced values."""
    finite = [x for x in xs if math.isfinite(x)] or [0.0]
    lo, hi = min(finite), max(finite)
    grid = [lo + (hi - lo) * i / (CURVE_POINTS - 1) for i in range(CURVE_POINTS)]
    return grid, predict([[x] for x in grid])


def describe_model(result: Any) -> str:
    """The status line of a trained model: how it ended, its cost, accuracy and test cost."""
    epochs = f"{result.epochs} epoch{'' if result.epochs == 1 else 's'}"
    updates = f"{result.nit:,} update{'' if result.nit == 1 else 's'}"
    words = {"converged": f"converged after {epochs}", "diverged": f"diverged after {epochs}",
             "max_iterations": f"ran all {epochs}", "stopped": f"cancelled after {epochs}"}
    kind = "Network" if result.settings.get("hidden") else f"{result.model.capitalize()} model"
    text = (f"{kind} {words.get(result.status, result.status)} ({updates}): "
            f"{COST_NAMES[result.model]} {fmt(result.train_cost)}")
    if result.test_cost is not None:
        text += f", test {fmt(result.test_cost)}"
    if result.accuracy is not None:
        text += f"; accuracy {result.accuracy:.0%}"
        if result.test_accuracy is not None:
            text += f", test {result.test_accuracy:.0%}"
    text += "."
    if result.status == "diverged":
        text += " " + result.message.split(";")[0].rstrip(".") + "."
    _, said, rest = result.message.partition(SEPARABLE_START)
    return f"{text} {said}{rest}" if said else text


def weight_names(names: Sequence[str], count: int) -> str:
    """`(b, hours)` for a linear or logistic model; `(17 numbers)` for a network."""
    if count == len(names) + 1:
        return "(b, " + ", ".join(names) + ")"
    return f"({count} numbers)"


def fmt_weights(values: Sequence[float]) -> str:
    """`(0.1, -2)`, or the first few and `...` for a long list."""
    shown = [fmt(v) for v in values[:SHOWN_WEIGHTS]]
    more = ", ..." if len(values) > SHOWN_WEIGHTS else ""
    return "(" + ", ".join(shown) + more + ")"


def describe_batch_step(step: Any, learning_rate: float, method: str,
                        names: Sequence[str]) -> str:
    """One update of a model fit in the predict / calculate the error / learn frame."""
    rows = ", ".join(str(r + 1) for r in step.rows[:12]) + (", ..." if len(step.rows) > 12
                                                            else "")
    word = "row" if len(step.rows) == 1 else "rows"
    before, grad, after = (fmt_weights(v) for v in (step.before, step.gradient, step.after))
    # the weights before are on the predict line, after on the learn line: old -> new
    rule = f"- {fmt(learning_rate)}*gradient" if method == "gd" else f"+ {method} step"
    return (f"Step {step.update} (epoch {step.epoch}, batch {step.batch} of {step.batches}): "
            f"data {word} {rows} drawn\n"
            f"1 predict: weights {weight_names(names, len(step.before))} = {before}; "
            f"cost on them {fmt(step.cost)}\n"
            f"2 calculate the error: gradient from them = {grad}\n"
            f"3 learn: weights {rule} -> {after}\n"
            "(weights of the standardised features)")
