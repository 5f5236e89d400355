"""The network's backpropagation against SymPy's derivative and finite differences; XOR."""

from __future__ import annotations

import math
import random

import pytest
import sympy

from tutor.engine import train
from tutor.engine.network import NetworkProblem

BATCH_COLS = [[0.3, -1.2, 0.8], [1.5, 0.1, -0.4]]
BATCH_YS_CLASS = [1.0, 0.0, 1.0]
BATCH_YS_VALUE = [0.7, -1.1, 2.5]


def symbolic_cost(problem: NetworkProblem, ys: list[float]) -> tuple[list[sympy.Symbol],
                                                                     sympy.Expr]:
    """The same network's mean cost over the batch, written out as one SymPy expression."""
    theta = list(sympy.symbols(f"p0:{problem.size}"))
    width, top = problem.features + 1, problem.hidden * (problem.features + 1)
    act = sympy.tanh if problem.activation == "tanh" else (lambda a: 1 / (1 + sympy.exp(-a)))
    total = sympy.Integer(0)
    for x, y in zip(zip(*BATCH_COLS), ys):
        hs = [act(theta[u * width] + sum(theta[u * width + 1 + j] * sympy.Float(v)
                                         for j, v in enumerate(x)))
              for u in range(problem.hidden)]
        out = theta[top] + sum(theta[top + 1 + u] * h for u, h in enumerate(hs))
        if problem.logistic:
            total += sympy.log(1 + sympy.exp(out)) - y * out  # = -[y log p + (1-y) log(1-p)]
        else:
            total += (out - y) ** 2
    return theta, total / len(ys)


CASES = [(3, "tanh", "logistic"), (2, "sigmoid", "logistic"), (4, "tanh", "linear"),
         (2, "sigmoid", "linear")]


@pytest.mark.parametrize(("hidden", "activation", "output"), [CASES[0], CASES[3]])
def test_backpropagation_matches_sympys_derivative(hidden: int, activation: str,
                                                   output: str) -> None:
    problem = NetworkProblem(2, hidden, activation, output)
    params = problem.initial(random.Random(hidden))
    params = [p + 0.1 * i for i, p in enumerate(params)]  # biases not 0 either
    ys = BATCH_YS_CLASS if output == "logistic" else BATCH_YS_VALUE
    cost, grad = problem.loss_grad(params, BATCH_COLS, ys)
    theta, expr = symbolic_cost(problem, ys)
    exact = sympy.lambdify(theta, [expr] + [sympy.diff(expr, s) for s in theta], "math",
                           cse=True)
    want = exact(*params)
    assert cost == pytest.approx(want[0], rel=1e-12)
    for symbol, value, slope in zip(theta, grad, want[1:]):
        assert value == pytest.approx(slope, rel=1e-10, abs=1e-13), symbol


@pytest.mark.parametrize(("hidden", "activation", "output"), CASES)
def test_backpropagation_matches_finite_differences(hidden: int, activation: str,
                                                    output: str) -> None:
    problem = NetworkProblem(2, hidden, activation, output)
    params = problem.initial(random.Random(7))
    ys = BATCH_YS_CLASS if output == "logistic" else BATCH_YS_VALUE
    _, grad = problem.loss_grad(params, BATCH_COLS, ys)
    h = 1e-6
    for i, value in enumerate(grad):
        up, down = list(params), list(params)
        up[i] += h
        down[i] -= h
        slope = (problem.loss(up, BATCH_COLS, ys) - problem.loss(down, BATCH_COLS, ys)) / (2 * h)
        assert value == pytest.approx(slope, rel=1e-6, abs=1e-9), i


XOR = ([[0.0, 0.0, 1.0, 1.0], [0.0, 1.0, 0.0, 1.0]], [0.0, 1.0, 1.0, 0.0])


def test_one_line_cannot_split_xor_but_a_hidden_layer_can() -> None:
    line = train(*XOR, model="logistic", epochs=2000, learning_rate=0.5)
    assert line.accuracy <= 0.75
    net = train(*XOR, model="logistic", hidden=3, method="adam", learning_rate=0.1,
                epochs=2000, seed=1)
    assert net.accuracy == 1.0 and net.train_cost < 0.05
    assert net.coefficients == () and math.isnan(net.intercept)
    assert [round(p) for p in net.predict([[0, 0], [0, 1], [1, 0], [1, 1]])] == [0, 1, 1, 0]
    again = train(*XOR, model="logistic", hidden=3, method="adam", learning_rate=0.1,
                  epochs=2000, seed=1)
    assert again.params == net.params
