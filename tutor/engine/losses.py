"""The costs a model is trained on, with their slopes: squared error and log-loss.

A problem holds no data: it is handed a batch as feature columns (already
standardised) and targets, and returns the batch's mean cost and its gradient
with respect to every parameter. Parameters are `[intercept, w_1, ..., w_k]`.
The three steps are spelt out as in `regression.fit`: predict, calculate the
error, and (in the trainer) learn. Pure Python, one pass per column, so the
arithmetic is the arithmetic a person would write by hand.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from operator import mul

Columns = Sequence[Sequence[float]]


def sigmoid(s: float) -> float:
    """1 / (1 + e^-s), without overflow for large |s|."""
    if s >= 0.0:
        return 1.0 / (1.0 + math.exp(-s))
    t = math.exp(s)
    return t / (1.0 + t)


def log_loss(s: float, y: float) -> float:
    """Cross-entropy of label y in {0, 1} for score s: -[y log p + (1-y) log(1-p)], p = sigmoid(s).

    Written as softplus(s) - y*s so it stays exact for large |s|.
    """
    return (s if s > 0.0 else 0.0) + math.log1p(math.exp(-abs(s))) - y * s


def scores(params: Sequence[float], cols: Columns) -> list[float]:
    """Predict: intercept + sum of weight * feature, for every row of the batch."""
    w0 = params[0]
    if not cols:
        return []
    s = [w0 + params[1] * z for z in cols[0]]
    for w, col in zip(params[2:], cols[1:]):
        s = [a + w * z for a, z in zip(s, col)]
    return s


class LinearProblem:
    """y = intercept + w . z, cost = mean squared error."""

    name = "linear"

    def __init__(self, features: int) -> None:
        self.size = features + 1
        self.penalised = (False,) + (True,) * features

    def initial(self, rng: random.Random) -> list[float]:
        """Every weight 0: the line y = 0, as `fit` starts."""
        return [0.0] * self.size

    def loss_grad(self, params: Sequence[float], cols: Columns,
                  ys: Sequence[float]) -> tuple[float, list[float]]:
        """Mean squared error of the batch and its slope: 2/m * sum(error * feature)."""
        m = len(ys)
        errors = [p - y for p, y in zip(scores(params, cols), ys)]
        cost = sum(map(mul, errors, errors)) / m
        scale = 2.0 / m
        return cost, [scale * sum(errors)] + [scale * sum(map(mul, errors, c)) for c in cols]

    def loss(self, params: Sequence[float], cols: Columns, ys: Sequence[float]) -> float:
        """Mean squared error of the batch."""
        errors = [p - y for p, y in zip(scores(params, cols), ys)]
        return sum(map(mul, errors, errors)) / len(errors) if errors else math.nan

    def predict(self, params: Sequence[float], cols: Columns) -> list[float]:
        """The predicted y of every row."""
        return scores(params, cols)


class LogisticProblem(LinearProblem):
    """P(y = 1) = sigmoid(intercept + w . z), cost = mean log-loss (cross-entropy)."""

    name = "logistic"

    def loss_grad(self, params: Sequence[float], cols: Columns,
                  ys: Sequence[float]) -> tuple[float, list[float]]:
        """Mean log-loss of the batch and its slope: 1/m * sum((p - y) * feature)."""
        m = len(ys)
        s = scores(params, cols)
        errors = [sigmoid(a) - y for a, y in zip(s, ys)]
        cost = sum(map(log_loss, s, ys)) / m
        scale = 1.0 / m
        return cost, [scale * sum(errors)] + [scale * sum(map(mul, errors, c)) for c in cols]

    def loss(self, params: Sequence[float], cols: Columns, ys: Sequence[float]) -> float:
        """Mean log-loss of the batch."""
        return sum(map(log_loss, scores(params, cols), ys)) / len(ys) if ys else math.nan

    def predict(self, params: Sequence[float], cols: Columns) -> list[float]:
        """The probability that y is 1, for every row."""
        return [sigmoid(a) for a in scores(params, cols)]
