"""Optimizers as pure steppers, in the style of optax's GradientTransformation.

`opt.init(params) -> state` and `opt.update(grad, state) -> (step, state)`,
where `step` is what to ADD to the parameters (it already includes the minus
sign and the learning rate). Nothing is mutated, so the UI can single-step,
rewind or compare methods with the very code a full run uses.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from tutor.engine.errors import EngineInputError

METHODS = ("gd", "momentum", "nesterov", "adagrad", "rmsprop", "adam")
HYPERPARAMETERS: dict[str, dict[str, float]] = {
    "gd": {},
    "momentum": {"beta": 0.9},
    "nesterov": {"beta": 0.9},
    "adagrad": {"eps": 1e-8},
    "rmsprop": {"decay": 0.9, "eps": 1e-8},
    "adam": {"beta1": 0.9, "beta2": 0.999, "eps": 1e-8},
}
Vector = list[float]
State = Any


@dataclass(frozen=True)
class Optimizer:
    """A named pure stepper with its learning rate and hyperparameters."""

    method: str
    learning_rate: float
    hyper: dict[str, float]
    init: Callable[[Sequence[float]], State]
    update: Callable[[Sequence[float], State], tuple[Vector, State]]


def make_optimizer(method: str, learning_rate: float, **hyper: float) -> Optimizer:
    """Build one of METHODS; unknown methods or hyperparameters raise EngineInputError."""
    if method not in METHODS:
        raise EngineInputError(f"unknown method {method!r}; use one of {', '.join(METHODS)}")
    unknown = set(hyper) - set(HYPERPARAMETERS[method])
    if unknown:
        raise EngineInputError(f"{method} has no setting {sorted(unknown)[0]!r}; its settings "
                               f"are: {', '.join(HYPERPARAMETERS[method]) or 'none'}")
    settings = {**HYPERPARAMETERS[method], **{k: float(v) for k, v in hyper.items()}}
    lr = float(learning_rate)
    init, update = _BUILDERS[method](lr, **settings)
    return Optimizer(method, lr, settings, init, update)


def _zeros(params: Sequence[float]) -> Vector:
    return [0.0] * len(params)


def _gd(lr: float) -> tuple[Callable, Callable]:
    """Plain gradient descent: step = -lr * g."""
    def update(grad: Sequence[float], state: State) -> tuple[Vector, State]:
        return [-lr * g for g in grad], state
    return (lambda params: None), update


def _momentum(lr: float, beta: float) -> tuple[Callable, Callable]:
    """Heavy ball (optax.sgd(momentum=beta)): v = beta*v + g; step = -lr * v."""
    def update(grad: Sequence[float], state: State) -> tuple[Vector, State]:
        velocity = [beta * v + g for v, g in zip(state, grad)]
        return [-lr * v for v in velocity], velocity
    return _zeros, update


def _nesterov(lr: float, beta: float) -> tuple[Callable, Callable]:
    """optax Nesterov (gradient here): v = beta*v + g; step = -lr*(g + beta*v)."""
    def update(grad: Sequence[float], state: State) -> tuple[Vector, State]:
        velocity = [beta * v + g for v, g in zip(state, grad)]
        return [-lr * (g + beta * v) for g, v in zip(grad, velocity)], velocity
    return _zeros, update


def _adagrad(lr: float, eps: float) -> tuple[Callable, Callable]:
    """Adagrad: s = s + g^2; step = -lr * g / (sqrt(s) + eps)."""
    def update(grad: Sequence[float], state: State) -> tuple[Vector, State]:
        total = [s + g * g for s, g in zip(state, grad)]
        return [-lr * g / (math.sqrt(s) + eps) for g, s in zip(grad, total)], total
    return _zeros, update


def _rmsprop(lr: float, decay: float, eps: float) -> tuple[Callable, Callable]:
    """RMSprop: s = decay*s + (1-decay)*g^2; step = -lr * g / (sqrt(s) + eps)."""
    def update(grad: Sequence[float], state: State) -> tuple[Vector, State]:
        mean = [decay * s + (1.0 - decay) * g * g for s, g in zip(state, grad)]
        return [-lr * g / (math.sqrt(s) + eps) for g, s in zip(grad, mean)], mean
    return _zeros, update


def _adam(lr: float, beta1: float, beta2: float, eps: float) -> tuple[Callable, Callable]:
    """Adam with bias correction: step = -lr * m_hat / (sqrt(v_hat) + eps)."""
    def init(params: Sequence[float]) -> State:
        return (0, _zeros(params), _zeros(params))

    def update(grad: Sequence[float], state: State) -> tuple[Vector, State]:
        count, m, v = state
        count += 1
        m = [beta1 * a + (1.0 - beta1) * g for a, g in zip(m, grad)]
        v = [beta2 * b + (1.0 - beta2) * g * g for b, g in zip(v, grad)]
        c1, c2 = 1.0 - beta1 ** count, 1.0 - beta2 ** count
        step = [-lr * (a / c1) / (math.sqrt(b / c2) + eps) for a, b in zip(m, v)]
        return step, (count, m, v)
    return init, update


_BUILDERS: dict[str, Callable[..., tuple[Callable, Callable]]] = {
    "gd": _gd, "momentum": _momentum, "nesterov": _nesterov,
    "adagrad": _adagrad, "rmsprop": _rmsprop, "adam": _adam,
}
