"""Fitting a straight line y = intercept + slope * x by gradient descent on the mean squared error.

The three steps are spelt out: predict (every y from the current line),
calculate the error (prediction minus truth, squared and averaged into the
cost; its slope with respect to intercept and slope), learn (move both against
that slope). By default x is standardised first, so one learning rate suits
any data; the answer is reported in the data's own units.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from tutor.engine.errors import DataError, EngineInputError
from tutor.engine.kernel import RISING_LIMIT
from tutor.engine.messages import STATUS, message_for
from tutor.wording import plural

# Bounds that keep every square, sum and slope of a fit a finite float: values up to
# 1e150 in size (squares up to 1e300), x spread at least 1e-150 (slopes up to 1e300).
MAX_MAGNITUDE = 1e150
MIN_SPREAD = 1e-150


class Line(NamedTuple):
    """A straight line y = intercept + slope * x."""

    intercept: float
    slope: float


@dataclass(frozen=True)
class FitStep:
    """One update of a fit, in the data's units: the line after update `n` and its cost."""

    n: int
    intercept: float
    slope: float
    cost: float


@dataclass(frozen=True)
class FitResult:
    """The fitted line (original units), its mean squared error and how the descent ended."""

    intercept: float
    slope: float
    cost: float
    nit: int
    status: str
    success: bool
    message: str
    costs: list[float]
    scaled: bool
    reason: str = ""
    learning_rate: float = 0.1
    precision: float = 1e-9


@dataclass(frozen=True)
class _Scaling:
    """z = (x - shift) / spread; (0, 1) when scaling is off."""

    shift: float
    spread: float

    def to_original(self, a: float, b: float) -> Line:
        """Turn a line in z back into one in x."""
        return Line(a - b * self.shift / self.spread, b / self.spread)


def least_squares_line(xs: Sequence[float], ys: Sequence[float]) -> Line:
    """The exact least-squares line in closed form (pure Python, no numpy)."""
    xs, ys = _checked_data(xs, ys)
    n = len(xs)
    mx, my = _sum(xs) / n, _sum(ys) / n
    sxx = _sum([(x - mx) * (x - mx) for x in xs])
    sxy = _sum([(x - mx) * (y - my) for x, y in zip(xs, ys)])
    slope = sxy / sxx
    return Line(my - slope * mx, slope)


def fit(xs: Sequence[float], ys: Sequence[float], *, learning_rate: float = 0.1,
        max_iterations: int = 10_000, precision: float = 1e-9, scale: bool = True,
        callback: Callable[[FitStep], object] | None = None) -> FitResult:
    """Fit intercept and slope by gradient descent on the MSE, starting from the line y = 0.

    Stops when an update is shorter than `precision` (in the descended, possibly
    standardised, units), after `max_iterations`, or on divergence (the cost
    not finite, or rising on each of the last 10 steps). `callback(FitStep)`
    returning True stops the fit.
    """
    xs, ys = _checked_data(xs, ys)
    lr, precision = _settings(learning_rate, max_iterations, precision)
    scaling = _scaling(xs) if scale else _Scaling(0.0, 1.0)
    zs = [(x - scaling.shift) / scaling.spread for x in xs]
    a = b = 0.0
    errors, cost = _errors(a, b, zs, ys)
    costs, rising, nit, reason = [cost], 0, 0, "running"
    if not math.isfinite(cost):
        reason = "nonfinite"
    while reason == "running":
        if nit >= max_iterations:
            reason = "max_iterations"
            break
        step_a, step_b = _learn(errors, zs, lr)
        a, b, nit = a + step_a, b + step_b, nit + 1
        errors, new_cost = _errors(a, b, zs, ys)
        costs.append(new_cost)
        rising = rising + 1 if new_cost > cost else 0
        cost = new_cost
        reason = _ending(cost, a, b, math.hypot(step_a, step_b), precision, rising)
        if callback is not None and reason == "running":
            line = scaling.to_original(a, b)
            if callback(FitStep(nit, line.intercept, line.slope, cost)):
                reason = "stopped"
    line = scaling.to_original(a, b)
    return FitResult(line.intercept, line.slope, cost, nit, STATUS[reason],
                     reason == "converged", message_for(reason, nit=nit, precision=precision,
                                                        fault=""),
                     costs, scale, reason, lr, precision)


def _errors(a: float, b: float, zs: list[float], ys: list[float]) -> tuple[list[float], float]:
    """Predict every y from the line, then calculate the errors and their mean square."""
    predictions = [a + b * z for z in zs]
    errors = [p - y for p, y in zip(predictions, ys)]
    return errors, _sum([e * e for e in errors]) / len(errors)


def _learn(errors: list[float], zs: list[float], lr: float) -> tuple[float, float]:
    """The slope of the MSE with respect to intercept and slope, times -learning_rate."""
    n = len(errors)
    grad_a = 2.0 * _sum(errors) / n
    grad_b = 2.0 * _sum([e * z for e, z in zip(errors, zs)]) / n
    return -lr * grad_a, -lr * grad_b


def _ending(cost: float, a: float, b: float, size: float, precision: float,
            rising: int) -> str:
    """The reason the fit ends after this update, or "running"."""
    if not (math.isfinite(cost) and math.isfinite(a) and math.isfinite(b)):
        return "nonfinite"
    if size < precision:
        return "converged"
    if rising >= RISING_LIMIT:
        return "rising"
    return "running"


def _scaling(xs: list[float]) -> _Scaling:
    """Mean and (population) standard deviation of x."""
    mean = _sum(xs) / len(xs)
    spread = math.sqrt(_sum([(x - mean) * (x - mean) for x in xs]) / len(xs))
    return _Scaling(mean, spread)


def _sum(values: list[float]) -> float:
    """math.fsum, except that a total past the largest float is inf (or nan), not an
    OverflowError: a diverging fit is a result, not a crash."""
    try:
        return math.fsum(values)
    except (OverflowError, ValueError):
        return sum(values)


def _settings(learning_rate: float, max_iterations: int, precision: float) -> tuple[float, float]:
    """Validate the descent settings of a fit."""
    try:
        lr, prec = float(learning_rate), float(precision)
    except (TypeError, ValueError):
        raise EngineInputError("the learning rate and precision must be numbers") from None
    if not (math.isfinite(lr) and math.isfinite(prec) and prec >= 0):
        raise EngineInputError("the learning rate and precision must be finite "
                               "(and the precision not negative)")
    if isinstance(max_iterations, bool) or not isinstance(max_iterations, int) \
            or max_iterations < 0:
        raise EngineInputError("the number of iterations must be a whole number 0 or more")
    return lr, prec


def _checked_data(xs: Sequence[float], ys: Sequence[float]) -> tuple[list[float], list[float]]:
    """Two equally long lists of finite floats, at least two points, x not all equal."""
    xs, ys = [float(x) for x in xs], [float(y) for y in ys]
    if len(xs) != len(ys):
        raise DataError(f"x has {plural(len(xs), 'value')} but y has {len(ys)}; they must pair up")
    if len(xs) < 2:
        raise DataError(f"a line needs at least 2 points, got {len(xs)}")
    if not all(math.isfinite(v) for v in (*xs, *ys)):
        raise DataError("every x and y value must be a finite number")
    if min(xs) == max(xs):
        raise DataError(f"every x value is {xs[0]:g}, so no line through the data is best; "
                        "x must vary")
    biggest = max(abs(v) for v in (*xs, *ys))
    if biggest > MAX_MAGNITUDE:
        raise DataError(f"a value of size {biggest:g} is too large to fit (its square "
                        f"overflows); rescale the data to values up to 1e150")
    spread = _scaling(xs).spread
    if spread < MIN_SPREAD:
        raise DataError(f"the x values differ by too little to fit (their spread is "
                        f"{spread:g}, under 1e-150); rescale x")
    return xs, ys
