"""Gradient descent: predict, calculate the error, learn, one update at a time or many.

Each iteration takes the current guess (predict: x and its cost), the slope
there (calculate the error: the gradient), and moves against it (learn: the
optimizer's step is added to x). A run stops after `max_iterations` updates,
or as soon as an update is shorter than `precision` (that update is applied
and counted), or when it diverges. Divergence and math faults are results,
never exceptions.
"""

from __future__ import annotations

import math
from array import array
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import sympy

from tutor.engine import kernel as k
from tutor.engine.errors import EngineInputError
from tutor.engine.messages import STATUS, message_for
from tutor.engine.objective import Objective, compile_objective, describe_fault
from tutor.engine.optimizers import make_optimizer
from tutor.engine.parser import ParsedFunction
from tutor.engine.trajectory import Trajectory
from tutor.wording import plural

Point = tuple[float, ...]


@dataclass(frozen=True)
class StepReport:
    """One iteration, in the words of the lesson.

    predict: `x` and its `cost`; calculate the error: `gradient` (the slope);
    learn: `update` (already times -learning_rate) gives `new_x` and `new_cost`.
    `n` counts updates from 1; `step_size` is the Euclidean length of `update`.
    """

    n: int
    x: Point
    cost: float
    gradient: Point
    update: Point
    new_x: Point
    new_cost: float
    step_size: float


@dataclass(frozen=True)
class DescentResult:
    """The outcome of a run, with scipy's names (x, fun, jac, nit, status, success, message).

    `status` is "converged", "max_iterations", "diverged" or "stopped";
    `reason` says which kind of ending (e.g. "rising", "nonfinite", "fault").
    """

    x: Point
    fun: float
    jac: Point
    nit: int
    status: str
    success: bool
    message: str
    variables: tuple[str, ...]
    path: Trajectory
    method: str
    learning_rate: float
    reason: str
    precision: float
    max_iterations: int


class Descent:
    """A single-steppable descent; `minimize` runs the very same loop to the end."""

    def __init__(self, fun: str | ParsedFunction | sympy.Expr | Objective,
                 x0: float | Sequence[float], *, learning_rate: float,
                 max_iterations: int = 100, precision: float = 1e-4, method: str = "gd",
                 **hyper: float) -> None:
        self.objective = fun if isinstance(fun, Objective) else compile_objective(fun)
        self.learning_rate = _finite(learning_rate, "the learning rate")
        self.optimizer = make_optimizer(method, self.learning_rate, **hyper)
        self.max_iterations = _count(max_iterations)
        self.precision = _finite(precision, "the precision")
        if self.precision < 0:
            raise EngineInputError("the precision cannot be negative")
        start = _start(x0, self.objective.variables)
        self._columns = [array("d", [v]) for v in start]
        self._costs = array("d", [self.objective.value(start)])
        self._kernel = self.objective.kernel(inline_gd=method == "gd")
        self._x, self._cost, self._nit, self._rising = start, self._costs[0], 0, 0
        self._state = self.optimizer.init(list(start))
        self._ceiling = -math.inf if method == "gd" else self._costs[0]
        self._reason, self._fault = "running", ""
        self.path = Trajectory(self._columns, self._costs, self.objective.gradient)
        self._check_start()

    def _check_start(self) -> None:
        if not math.isfinite(self._cost):
            fault = self.objective.fault(self._x) or "a value too large for the computer"
            self._finish("start_fault", fault)
        elif self.max_iterations == 0:
            self._finish("max_iterations")

    @property
    def done(self) -> bool:
        """True once the run has ended (any status but "running")."""
        return self._reason != "running"

    @property
    def status(self) -> str:
        """"running", then "converged", "max_iterations", "diverged" or "stopped"."""
        return STATUS[self._reason]

    @property
    def nit(self) -> int:
        """Updates applied so far."""
        return self._nit

    @property
    def x(self) -> Point:
        """The current position."""
        return self._x

    @property
    def cost(self) -> float:
        """The cost at the current position."""
        return self._cost

    def step(self) -> StepReport:
        """Apply one update and report it (raises RuntimeError if the run is over)."""
        if self.done:
            raise RuntimeError("the run is over; start a new Descent")
        x, cost = self._x, self._cost
        out = self._advance(1)
        if out is None:
            nan = (math.nan,) * len(x)
            return StepReport(self._nit + 1, x, cost, tuple(self.objective.gradient(x)), nan,
                              nan, math.nan, math.nan)
        gradient, update = out
        return StepReport(self._nit, x, cost, gradient, update, self._x, self._cost,
                          math.hypot(*update))

    def advance(self, updates: int) -> None:
        """Apply up to `updates` more updates at full speed (no report per update): a caller
        that shows progress or may cancel runs a long descent in chunks of this."""
        target = min(self.max_iterations, self._nit + max(0, updates))
        while not self.done and self._nit < target:
            self._advance(target - self._nit)

    def run(self) -> DescentResult:
        """Run to the end and return the result."""
        while not self.done:
            self._advance(self.max_iterations - self._nit)
        return self.result()

    def stop(self) -> None:
        """End the run now with status "stopped" (a callback asked for it)."""
        if not self.done:
            self._finish("stopped")

    def _advance(self, limit: int) -> tuple[Point, Point] | None:
        """Run the kernel for up to `limit` updates; None when a math fault ended it."""
        before = len(self._costs)
        status, n, x, cost, rising, state, gradient, update, exc = self._kernel(
            *self._x, self._cost, self.learning_rate, self.precision, limit, self._rising,
            self._ceiling, self._columns, self._costs, self.optimizer.update, self._state)
        if status != k.FAULT and not self._whole(before + n, x, cost):
            status, exc = k.FAULT, TypeError("a value that is not a real number")
        if status == k.FAULT:
            self._recover(exc)
            return None
        self._nit += n
        self._x, self._cost, self._rising, self._state = x, cost, rising, state
        if not all(map(math.isfinite, x)):
            self._trim_to_first_nonfinite(before)
        elif status != k.RUNNING:
            self._finish(status)
        elif self._nit >= self.max_iterations:
            self._finish("max_iterations")
        return gradient, update

    def _whole(self, points: int, x: Point, cost: float) -> bool:
        """Every column got every point, and the values returned are real numbers."""
        lengths = {len(c) for c in (*self._columns, self._costs)}
        return lengths == {points} and all(isinstance(v, (float, int)) for v in (*x, cost))

    def _trim_to_first_nonfinite(self, start: int) -> None:
        """Keep the path up to the first point whose position is nan or inf."""
        first = k.first_nonfinite(self._columns, start)
        self._truncate(len(self._costs) if first is None else first + 1)
        self._finish("nonfinite")

    def _truncate(self, points: int) -> None:
        """Cut every column back to `points` points and make the last one current."""
        for column in (*self._columns, self._costs):
            del column[points:]
        self._nit = points - 1
        self._x = tuple(c[-1] for c in self._columns)
        self._cost = self._costs[-1]

    def _recover(self, exc: BaseException) -> None:
        """After a math fault mid-iteration, trim the columns back to the last whole point."""
        self._truncate(min(len(a) for a in (*self._columns, self._costs)))
        self._finish("fault", describe_fault(exc))

    def _finish(self, reason: str, fault: str = "") -> None:
        self._reason, self._fault = reason, fault

    def result(self) -> DescentResult:
        """The result so far (final once `done`)."""
        message = message_for(self._reason, nit=self._nit, precision=self.precision,
                              fault=self._fault)
        jac = tuple(self.objective.gradient(self._x))
        return DescentResult(
            x=self._x, fun=self._cost, jac=jac, nit=self._nit, status=self.status,
            success=self._reason == "converged", message=message,
            variables=self.objective.variables, path=self.path,
            method=self.optimizer.method, learning_rate=self.learning_rate,
            reason=self._reason, precision=self.precision, max_iterations=self.max_iterations)


def minimize(fun: str | ParsedFunction | sympy.Expr | Objective, x0: float | Sequence[float],
             *, learning_rate: float, max_iterations: int = 100, precision: float = 1e-4,
             method: str = "gd", callback: Callable[[StepReport], object] | None = None,
             **hyper: float) -> DescentResult:
    """Minimise `fun` from `x0` by gradient descent (or another METHOD); never raises on a run.

    `callback(report)` is called after every update; returning True stops the run.
    Bad input (text, start, settings) raises EngineInputError / ParseError.
    """
    descent = Descent(fun, x0, learning_rate=learning_rate, max_iterations=max_iterations,
                      precision=precision, method=method, **hyper)
    if callback is None:
        return descent.run()
    while not descent.done:
        if callback(descent.step()):
            descent.stop()
    return descent.result()


def _finite(value: float, what: str) -> float:
    """A finite float, or EngineInputError naming `what`."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise EngineInputError(f"{what} must be a number, got {value!r}") from None
    if not math.isfinite(number):
        raise EngineInputError(f"{what} must be a finite number, got {value!r}")
    return number


def _count(value: int) -> int:
    """A whole number of iterations, zero or more."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise EngineInputError(f"the number of iterations must be a whole number "
                               f"0 or more, got {value!r}")
    return value


def _start(x0: float | Sequence[float], variables: tuple[str, ...]) -> Point:
    """The start as a tuple of floats, one per variable."""
    if isinstance(x0, (str, bytes)):
        raise EngineInputError(f"the start must be numbers, got {x0!r}")
    values = [x0] if isinstance(x0, (int, float)) else list(x0)
    if len(values) != len(variables):
        raise EngineInputError(
            f"the start needs {plural(len(variables), 'value')}, "
            f"one for each of {', '.join(variables)}; got {len(values)}")
    return tuple(_finite(v, "each start value") for v in values)
