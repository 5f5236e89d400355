"""Training a model on several features: linear or logistic, a network, in batches and epochs.

`train(columns, ys, ...)` standardises every feature (on the training rows),
then descends the cost with one of the optimizers (tutor/engine/optimizers.py):
each epoch shuffles the training rows (seeded, so a run repeats exactly) and
takes one step per batch of `batch_size` rows (1: stochastic, all: full batch).
An optional l2 (ridge) penalty adds `l2 * sum(w^2)` over the weights (not the
intercept, and in standardised units), and an optional test split keeps some
rows back; the training and test costs are both recorded after every epoch.
Coefficients are reported in the data's own units. `regression.fit` stays the
one-feature line fit the lessons and pane use.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from tutor.engine.errors import EngineInputError
from tutor.engine.kernel import RISING_LIMIT
from tutor.engine.losses import LinearProblem, LogisticProblem
from tutor.engine.messages import STATUS
from tutor.engine.network import NetworkProblem
from tutor.engine.optimizers import make_optimizer
from tutor.engine.training import (
    Scaling, check_columns, check_labels, model_message, split_rows, take,
)

MODELS = ("linear", "logistic")
MAX_EPOCHS = 1_000_000
MAX_BATCH_COSTS = 1_000_000
"""Batch costs kept (the first ones): stochastic descent over many epochs of a big file
could otherwise take gigabytes (1,000 rows x 1,000,000 epochs is 10^9 updates)."""


@dataclass(frozen=True)
class EpochReport:
    """What the trainer tells a callback after each epoch (data costs, no penalty), with
    the parameters reached (standardised units) and `predict(rows)` with them, so a view
    can draw the model as it trains."""

    epoch: int
    updates: int
    train_cost: float
    test_cost: float | None
    params: tuple[float, ...] = ()
    predictor: Callable[[Sequence[float], Sequence[Sequence[float]]], list[float]] | None = \
        field(default=None, repr=False, compare=False)

    def predict(self, rows: Sequence[Sequence[float]]) -> list[float]:
        """Predictions (probabilities for logistic) for rows of raw feature values."""
        return self.predictor(self.params, rows) if self.predictor is not None else []


@dataclass(frozen=True)
class BatchStep:
    """One update, as `train(on_batch=...)` reports it: the batch drawn (data row numbers
    from 0), its cost and gradient (penalty slope included) at the weights before, and the
    weights after (all in standardised units)."""

    epoch: int
    update: int
    batch: int
    batches: int
    rows: tuple[int, ...]
    cost: float
    gradient: tuple[float, ...]
    before: tuple[float, ...]
    after: tuple[float, ...]


@dataclass(frozen=True)
class ModelResult:
    """A trained model: its weights (original units), costs per epoch and how it ended.

    `train_costs[e]` / `test_costs[e]` are the data costs after `e` epochs (index 0:
    before training); `batch_costs` the cost of each batch just before its update
    (the noisy curve of stochastic descent; the first MAX_BATCH_COSTS of them). `cost` is what
    was minimised: the training cost plus the l2 penalty. `coefficients` is empty for a
    network.
    """

    model: str
    intercept: float
    coefficients: tuple[float, ...]
    names: tuple[str, ...]
    params: tuple[float, ...]
    cost: float
    train_cost: float
    test_cost: float | None
    accuracy: float | None
    test_accuracy: float | None
    epochs: int
    nit: int
    status: str
    success: bool
    message: str
    reason: str
    separable: bool
    train_costs: list[float]
    test_costs: list[float]
    batch_costs: list[float]
    train_rows: tuple[int, ...]
    test_rows: tuple[int, ...]
    settings: Mapping[str, Any]
    scaling: Scaling = field(repr=False)
    problem: Any = field(repr=False)

    def predict(self, rows: Sequence[Sequence[float]]) -> list[float]:
        """Predictions (probabilities for logistic) for rows of raw feature values."""
        cols = [list(c) for c in zip(*rows)] if rows else []
        return self.problem.predict(list(self.params), self.scaling.apply(cols))


def train(columns: Sequence[Sequence[float]], ys: Sequence[float], *, model: str = "linear",
          names: Sequence[str] | None = None, learning_rate: float = 0.1, epochs: int = 1000,
          batch_size: int | None = None, seed: int = 0, l2: float = 0.0,
          test_fraction: float = 0.0, method: str = "gd", precision: float = 1e-9,
          hidden: int = 0, activation: str = "tanh", hyper: Mapping[str, float] | None = None,
          callback: Callable[[EpochReport], object] | None = None,
          on_batch: Callable[[BatchStep], object] | None = None) -> ModelResult:
    """Train a linear or logistic model (or, with `hidden` units, a network) by descent.

    Stops when an epoch moves the parameters less than `precision` in all (in
    standardised units), after `epochs`, or on divergence (not finite; or, in
    full batch, the cost rising for 10 epochs in a row). `callback(EpochReport)`
    returning True stops the training; `on_batch(BatchStep)` hears of every update
    (step mode shows one).
    """
    if model not in MODELS:
        raise EngineInputError(f"unknown model {model!r}; use linear or logistic")
    cols, ys, names = check_columns(columns, ys, names)
    if model == "logistic":
        check_labels(ys)
    plan = _plan(len(ys), learning_rate, epochs, batch_size, seed, l2, test_fraction, precision)
    train_rows, test_rows = split_rows(len(ys), plan["test_fraction"], random.Random(seed))
    scaling = Scaling.of([take(c, train_rows) for c in cols], names)
    problem: Any = (NetworkProblem(len(cols), hidden, activation, model) if hidden
                    else (LogisticProblem if model == "logistic" else LinearProblem)(len(cols)))
    optimizer = make_optimizer(method, plan["learning_rate"], **dict(hyper or {}))
    train_set = (scaling.apply([take(c, train_rows) for c in cols]), take(ys, train_rows))
    test_set = (scaling.apply([take(c, test_rows) for c in cols]), take(ys, test_rows))
    run = _Run(problem, optimizer, plan, train_set, test_set, random.Random(seed), callback)
    run.predictor = lambda params, rows: problem.predict(
        list(params), scaling.apply([list(c) for c in zip(*rows)] if rows else []))
    run.on_batch, run.row_ids = on_batch, train_rows
    run.go()
    return _result(model, run, scaling, names, plan, train_rows, test_rows, method, hidden)


def _plan(n: int, learning_rate: float, epochs: int, batch_size: int | None, seed: int,
          l2: float, test_fraction: float, precision: float) -> dict[str, Any]:
    """The checked settings of one training run."""
    numbers = {"learning rate": learning_rate, "l2 penalty": l2, "test fraction": test_fraction,
               "precision": precision}
    for label, value in numbers.items():
        if isinstance(value, bool) or not isinstance(value, (int, float)) \
                or not math.isfinite(value):
            raise EngineInputError(f"the {label} must be a finite number")
    if learning_rate <= 0 or l2 < 0 or precision < 0:
        raise EngineInputError("the learning rate must be above 0, and the l2 penalty and "
                               "precision 0 or more")
    if not 0 <= test_fraction <= 0.9:
        raise EngineInputError("the test fraction must be from 0 to 0.9")
    for label, value, top in (("epochs", epochs, MAX_EPOCHS), ("seed", seed, 2**63)):
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= top:
            raise EngineInputError(f"the {label} must be a whole number from 0 to {top:,}")
    train_n = n - round(test_fraction * n)
    if batch_size is not None and (isinstance(batch_size, bool) or not isinstance(batch_size, int)
                                   or batch_size < 1):
        raise EngineInputError("the batch size must be a whole number 1 or more")
    return {"learning_rate": float(learning_rate), "epochs": epochs, "seed": seed,
            "l2": float(l2), "test_fraction": float(test_fraction), "precision": float(precision),
            "batch_size": min(batch_size or train_n, train_n)}


class _Run:
    """One descent through the epochs; the state lives here while it runs."""

    def __init__(self, problem: Any, optimizer: Any, plan: dict[str, Any],
                 train_set: tuple[list[list[float]], list[float]],
                 test_set: tuple[list[list[float]], list[float]], rng: random.Random,
                 callback: Callable[[EpochReport], object] | None) -> None:
        self.problem, self.optimizer, self.plan = problem, optimizer, plan
        self.cols, self.ys = train_set
        self.test_cols, self.test_ys = test_set
        self.rng, self.callback = rng, callback
        self.params = problem.initial(rng)
        self.l2 = plan["l2"]
        self.mask = [plan["l2"] * 2.0 if p else 0.0 for p in problem.penalised]
        self.train_costs: list[float] = []
        self.test_costs: list[float] = []
        self.batch_costs: list[float] = []
        self.epoch = self.nit = 0
        self.reason = "running"
        self.predictor: Callable[..., list[float]] | None = None
        self.on_batch: Callable[[BatchStep], object] | None = None
        self.row_ids: list[int] = []

    def penalty(self) -> float:
        """l2 * the sum of the squared (penalised) weights."""
        return 0.5 * sum(m * p * p for m, p in zip(self.mask, self.params)) if self.l2 else 0.0

    def go(self) -> None:
        """Run epochs until the plan's ending."""
        n, size = len(self.ys), self.plan["batch_size"]
        full = size >= n
        state = self.optimizer.init(self.params)
        cost, grad = self.problem.loss_grad(self.params, self.cols, self.ys)
        self._record(cost)
        objective, rising = cost + self.penalty(), 0
        if not math.isfinite(objective):
            self.reason = "nonfinite"
        while self.reason == "running":
            if self.epoch >= self.plan["epochs"]:
                self.reason = "max_iterations"
                break
            before = list(self.params)
            if full:
                state = self._step(grad, cost, state, range(n) if self.on_batch else None)
                cost, grad = self.problem.loss_grad(self.params, self.cols, self.ys)
            else:
                state = self._epoch_of_batches(n, size, state)
                cost = self.problem.loss(self.params, self.cols, self.ys)
            self.epoch += 1
            self._record(cost)
            new_objective = cost + self.penalty()
            rising = rising + 1 if full and new_objective > objective else 0
            objective = new_objective
            moved = math.sqrt(sum((a - b) * (a - b) for a, b in zip(self.params, before)))
            self.reason = self._ending(objective, moved, rising)

    def _step(self, grad: list[float], cost: float, state: Any,
              drawn: Sequence[int] | None = None) -> Any:
        """Learn: one update from a batch's gradient (plus the penalty's slope); `drawn`
        (positions in the training rows) only when `on_batch` listens."""
        if len(self.batch_costs) < MAX_BATCH_COSTS:
            self.batch_costs.append(cost)
        if self.l2:
            grad = [g + m * p for g, m, p in zip(grad, self.mask, self.params)]
        step, state = self.optimizer.update(grad, state)
        before, self.params = self.params, [p + s for p, s in zip(self.params, step)]
        self.nit += 1
        if drawn is not None and self.on_batch is not None:
            self._tell_batch(drawn, cost, grad, before)
        return state

    def _tell_batch(self, drawn: Sequence[int], cost: float, grad: list[float],
                    before: list[float]) -> None:
        """Describe the update just made to `on_batch`."""
        n, size = len(self.ys), self.plan["batch_size"]
        batches = -(-n // size)
        self.on_batch(BatchStep(  # type: ignore[misc]
            self.epoch + 1, self.nit, (self.nit - 1) % batches + 1, batches,
            tuple(self.row_ids[i] for i in drawn), cost, tuple(grad), tuple(before),
            tuple(self.params)))

    def _epoch_of_batches(self, n: int, size: int, state: Any) -> Any:
        """Shuffle the training rows (seeded), then one update per batch of `size` rows."""
        order = list(range(n))
        self.rng.shuffle(order)
        cols = [[c[i] for i in order] for c in self.cols]
        ys = [self.ys[i] for i in order]
        for start in range(0, n, size):
            end = start + size
            cost, grad = self.problem.loss_grad(self.params, [c[start:end] for c in cols],
                                                ys[start:end])
            state = self._step(grad, cost, state, order[start:end] if self.on_batch else None)
        return state

    def _record(self, cost: float) -> None:
        """Keep the training and test costs after this epoch (and tell the callback)."""
        self.train_costs.append(cost)
        test = self.problem.loss(self.params, self.test_cols, self.test_ys) \
            if self.test_ys else None
        if test is not None:
            self.test_costs.append(test)
        if self.callback is not None and self.epoch and self.callback(EpochReport(
                self.epoch, self.nit, cost, test, tuple(self.params), self.predictor)):
            self.reason = "stopped"

    def _ending(self, objective: float, moved: float, rising: int) -> str:
        """Why training ends after this epoch, or "running"."""
        if self.reason == "stopped":
            return "stopped"
        if not (math.isfinite(objective) and all(map(math.isfinite, self.params))):
            return "nonfinite"
        if moved < self.plan["precision"]:
            return "converged"
        if rising >= RISING_LIMIT:
            return "rising"
        return "running"


def _result(model: str, run: _Run, scaling: Scaling, names: list[str], plan: dict[str, Any],
            train_rows: list[int], test_rows: list[int], method: str,
            hidden: int) -> ModelResult:
    """Package a finished run, weights turned back into the data's units."""
    params = run.params
    intercept, coefficients = (math.nan, ()) if hidden else scaling.to_original(params)
    accuracy = test_accuracy = None
    if model == "logistic":
        accuracy = _accuracy(run.problem.predict(params, run.cols), run.ys)
        if run.test_ys:
            test_accuracy = _accuracy(run.problem.predict(params, run.test_cols), run.test_ys)
    separable = accuracy == 1.0 and _strict(run.problem, params, run.cols)
    settings = {**plan, "method": method, "hidden": hidden, "rows": len(run.ys)}
    message = model_message(run.reason, epochs=run.epoch, nit=run.nit,
                            precision=plan["precision"],
                            separable=separable and plan["l2"] == 0 and not hidden)
    return ModelResult(
        model, intercept, tuple(coefficients), tuple(names), tuple(params),
        run.train_costs[-1] + run.penalty(), run.train_costs[-1],
        run.test_costs[-1] if run.test_costs else None, accuracy, test_accuracy, run.epoch,
        run.nit, STATUS[run.reason], run.reason == "converged", message, run.reason,
        separable, run.train_costs, run.test_costs, run.batch_costs, tuple(train_rows),
        tuple(test_rows), settings, scaling, run.problem)


def _accuracy(probabilities: list[float], ys: list[float]) -> float:
    """The share of rows whose rounded probability is their label."""
    right = sum(1 for p, y in zip(probabilities, ys) if (p > 0.5) == (y == 1.0))
    return right / len(ys)


def _strict(problem: Any, params: list[float], cols: list[list[float]]) -> bool:
    """Whether no training row sits exactly on the boundary (p = 0.5)."""
    return all(p != 0.5 for p in problem.predict(params, cols))
