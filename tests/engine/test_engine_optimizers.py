"""Optimizers: pure optax-style steppers, checked against the textbook update rules."""

from __future__ import annotations

import math

import pytest

from tutor.engine import METHODS, Descent, EngineInputError, make_optimizer, minimize


def reference_run(method: str, lr: float, x: float, updates: int) -> list[float]:
    """Each method's rule written out directly for f = x^2 (slope 2x)."""
    v = s = m = 0.0
    xs = [x]
    for t in range(1, updates + 1):
        g = 2 * x
        if method == "gd":
            step = -lr * g
        elif method == "momentum":
            v = 0.9 * v + g
            step = -lr * v
        elif method == "nesterov":
            v = 0.9 * v + g
            step = -lr * (g + 0.9 * v)
        elif method == "adagrad":
            s = s + g * g
            step = -lr * g / (math.sqrt(s) + 1e-8)
        elif method == "rmsprop":
            s = 0.9 * s + (1.0 - 0.9) * g * g
            step = -lr * g / (math.sqrt(s) + 1e-8)
        else:
            m = 0.9 * m + (1.0 - 0.9) * g
            s = 0.999 * s + (1.0 - 0.999) * g * g
            step = -lr * (m / (1.0 - 0.9**t)) / (math.sqrt(s / (1.0 - 0.999**t)) + 1e-8)
        x = x + step
        xs.append(x)
    return xs


@pytest.mark.parametrize("method", METHODS)
def test_each_method_follows_its_update_rule_exactly(method: str) -> None:
    result = minimize("x^2", 3, learning_rate=0.1, method=method, precision=0,
                      max_iterations=30)
    assert result.path.column(0) == reference_run(method, 0.1, 3.0, 30)


@pytest.mark.parametrize(("method", "nit"), [
    ("gd", 82), ("momentum", 314), ("nesterov", 108), ("adagrad", 3328), ("rmsprop", 67),
    ("adam", 267),
])
def test_each_method_converges_to_zero_on_a_quadratic(method: str, nit: int) -> None:
    result = minimize("x^2", 3, learning_rate=0.1, method=method, precision=1e-8,
                      max_iterations=10_000)
    assert result.status == "converged"
    assert result.nit == nit
    assert abs(result.x[0]) < 1e-5


@pytest.mark.parametrize(("method", "nit"), [
    ("gd", 165), ("momentum", 341), ("nesterov", 157), ("adam", 310),
])
def test_methods_converge_on_an_elongated_bowl(method: str, nit: int) -> None:
    result = minimize("x^2 + 10y^2", (3, 1), learning_rate=0.05, method=method,
                      precision=1e-8, max_iterations=10_000)
    assert result.status == "converged" and result.nit == nit
    assert result.x == pytest.approx((0, 0), abs=1e-5)


def test_steppers_are_pure_and_return_the_step_to_add() -> None:
    opt = make_optimizer("momentum", 0.1)
    state = opt.init([3.0, 4.0])
    step1, state1 = opt.update([6.0, 8.0], state)
    step1_again, _ = opt.update([6.0, 8.0], state)
    assert step1 == step1_again == [-0.1 * 6.0, -0.1 * 8.0]
    assert state == [0.0, 0.0] and state1 == [6.0, 8.0]
    step2, _ = opt.update([6.0, 8.0], state1)
    assert step2 == [-0.1 * (0.9 * 6.0 + 6.0), -0.1 * (0.9 * 8.0 + 8.0)]


def test_adam_first_step_has_the_size_of_the_learning_rate() -> None:
    opt = make_optimizer("adam", 0.01)
    step, state = opt.update([250.0, -0.002], opt.init([0.0, 0.0]))
    assert step == pytest.approx([-0.01, 0.01], rel=1e-4)
    assert state[0] == 1


def test_hyperparameters_can_be_changed_and_are_checked() -> None:
    assert make_optimizer("adam", 0.1, beta1=0.5).hyper == {"beta1": 0.5, "beta2": 0.999,
                                                              "eps": 1e-8}
    slow = minimize("x^2", 3, learning_rate=0.1, method="momentum", beta=0.5, precision=0,
                    max_iterations=2)
    assert slow.path.column(0)[2] == 2.4 - 0.1 * (0.5 * 6.0 + 4.8)
    with pytest.raises(EngineInputError, match="momentum has no setting 'beta1'"):
        make_optimizer("momentum", 0.1, beta1=0.5)


def test_step_mode_uses_the_same_stepper_as_a_full_run() -> None:
    descent = Descent("x^2 + y^2", (3, 4), learning_rate=0.1, method="adam", precision=1e-8,
                      max_iterations=500)
    updates = []
    while not descent.done:
        updates.append(descent.step().update)
    whole = minimize("x^2 + y^2", (3, 4), learning_rate=0.1, method="adam", precision=1e-8,
                     max_iterations=500)
    assert descent.result().x == whole.x and descent.nit == whole.nit
    assert updates[0] == pytest.approx((-0.1, -0.1), rel=1e-6)


def test_momentum_rising_near_a_minimum_is_not_called_divergence() -> None:
    # Adam's cost rises for more than 10 updates in a row while it circles the minimum,
    # but stays far below the starting cost: that is not divergence.
    result = minimize("x^2 + y^2", (3, 4), learning_rate=0.1, method="adam",
                      max_iterations=2000)
    costs = result.path.costs
    longest = run = 0
    for a, b in zip(costs, costs[1:]):
        run = run + 1 if b > a else 0
        longest = max(longest, run)
    assert longest >= 10
    assert result.status == "converged"


def test_momentum_with_a_huge_rate_still_diverges() -> None:
    result = minimize("x^2", 3, learning_rate=5, method="momentum")
    assert result.status == "diverged"
