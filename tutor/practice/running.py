"""Running an attempt: typed settings -> one outcome, with progress and cancel hooks.

The engine (hence SymPy) is imported inside the functions, which the app calls
from a worker thread. Every attempt runs the engine once: a long descent runs in
chunks at full speed, reporting progress and checking for a cancel between them.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from tutor.practice.compiled import derivative_of, objective_of
from tutor.practice.settings import (
    AnswerSettings, CompareSettings, DescentSettings, FitSettings, InputProblem, Settings,
)

CHUNK = 20_000
"""Updates run between two looks at the cancel flag (about 10-50 ms of engine time)."""


def _never() -> bool:
    return False


def _ignore(done: int, total: int) -> None:
    return None


def _drop(snapshot: Any) -> None:
    return None


@dataclass(frozen=True)
class Hooks:
    """How a run talks to whoever waits for it: `cancelled()` is asked between chunks,
    `progress(done, total)` is told how far a long run has got, and `snapshot(ModelProgress)`
    is shown a model as it trains (at most every SNAPSHOT_S seconds)."""

    cancelled: Callable[[], bool] = _never
    progress: Callable[[int, int], None] = _ignore
    snapshot: Callable[[Any], None] = _drop


SNAPSHOT_S = 0.25
"""Seconds between two pictures of a model in training (a view redraws at most this often)."""

SNAPSHOT_POINTS = 1000
"""Costs in one picture at most (evenly spread, first and last kept): a picture after a
million epochs costs the interface no more than one after a hundred."""

PROGRESS_S = 0.1
"""Seconds between two progress reports of a model in training."""


def sample_indices(count: int, limit: int) -> list[int]:
    """At most `limit` evenly spread indices into `count` items, first and last kept."""
    if count <= 0:
        return []
    if count <= limit or limit < 2:
        return list(range(count))
    step = (count - 1) / (limit - 1)
    return sorted({round(i * step) for i in range(limit)})


@dataclass(frozen=True)
class ModelProgress:
    """A model part-way through training: its costs so far (at most SNAPSHOT_POINTS of
    them, after the epochs `at`, first and last included) and the last epoch's report,
    whose `predict(rows)` uses the weights reached."""

    settings: FitSettings
    data: Any
    epochs: int
    train_costs: tuple[float, ...]
    test_costs: tuple[float, ...]
    report: Any
    at: tuple[int, ...] = ()


NO_HOOKS = Hooks()


@dataclass(frozen=True)
class RunOutcome:
    """One finished (or stopped) descent, with the objective it ran on."""

    settings: DescentSettings
    result: Any
    objective: Any

    @property
    def label(self) -> str:
        """The run's name on a compare plot ("rate 0.1", "adam"), else ''."""
        return self.settings.label


@dataclass(frozen=True)
class CompareOutcome:
    """Every run of a compare, in the order of the compare list."""

    settings: CompareSettings
    runs: tuple[RunOutcome, ...]


@dataclass(frozen=True)
class FitOutcome:
    """A fit with the data it was fitted to: an `XYData` and a `FitResult` for a line, a
    `Table` and a `ModelResult` for a model (`settings.trains_model`)."""

    settings: FitSettings
    data: Any
    result: Any


@dataclass(frozen=True)
class AnswerOutcome:
    """Nothing was run: the attempt is a typed answer or a chosen option."""

    settings: AnswerSettings
    result: Any = field(default=None)


Outcome = RunOutcome | CompareOutcome | FitOutcome | AnswerOutcome


def start_descent(settings: DescentSettings) -> Any:
    """A single-steppable `Descent` for the settings (step mode walks it one update at a time)."""
    from tutor.engine import Descent

    objective = objective_of(settings.function)
    derivative_of(settings.function)  # printed here, off the UI thread
    return Descent(objective, settings.start, learning_rate=settings.learning_rate,
                   max_iterations=settings.iterations, precision=settings.precision,
                   method=settings.method)


def run_descent(settings: DescentSettings, hooks: Hooks = NO_HOOKS) -> RunOutcome:
    """Run one descent to its end (or until cancelled: status "stopped")."""
    descent = start_descent(settings)
    while not descent.done:
        descent.advance(CHUNK)
        if descent.done:
            break
        if hooks.cancelled():
            descent.stop()
        else:
            hooks.progress(descent.nit, settings.iterations)
    return RunOutcome(settings, descent.result(), descent.objective)


def run_compare(settings: CompareSettings, hooks: Hooks = NO_HOOKS) -> CompareOutcome:
    """Every run of the compare list, one after another."""
    return CompareOutcome(settings, tuple(run_descent(run, hooks) for run in settings.runs))


def run_fit(settings: FitSettings, hooks: Hooks = NO_HOOKS) -> FitOutcome:
    """Load the data file and fit a line by gradient descent (or, with any of the model
    settings, train a model on its feature columns: `run_model`)."""
    from tutor.engine import fit, load_xy_csv

    if settings.trains_model:
        return run_model(settings, hooks)
    data = load_xy_csv(settings.path, settings.x_column, settings.y_column)
    result = fit(data.xs, data.ys, learning_rate=settings.learning_rate,
                 max_iterations=settings.iterations, precision=settings.precision,
                 scale=settings.scale, callback=lambda step: hooks.cancelled())
    return FitOutcome(settings, data, result)


def run_model(settings: FitSettings, hooks: Hooks = NO_HOOKS) -> FitOutcome:
    """Load the feature columns and train a linear or logistic model (or a network); the
    outcome's `data` is an engine `Table` and its `result` a `ModelResult`."""
    table = load_model_table(settings)
    epochs = settings.epochs if settings.epochs is not None else settings.iterations
    costs: tuple[list[float], list[float]] = ([], [])
    shown = [time.monotonic()] * 2  # the last picture, the last progress report

    def report(epoch: Any) -> bool:
        costs[0].append(epoch.train_cost)
        if epoch.test_cost is not None:
            costs[1].append(epoch.test_cost)
        now = time.monotonic()
        if now - shown[1] >= PROGRESS_S:
            shown[1] = now
            hooks.progress(epoch.epoch, epochs)
        if now - shown[0] >= SNAPSHOT_S:
            shown[0] = now
            hooks.snapshot(_picture(settings, table, epochs, costs, epoch))
        return hooks.cancelled()

    return FitOutcome(settings, table, train_model(settings, table, epochs, report))


def _picture(settings: FitSettings, table: Any, epochs: int,
             costs: tuple[list[float], list[float]], epoch: Any) -> ModelProgress:
    """The model so far, with at most SNAPSHOT_POINTS of its costs (costs[0][i] is the
    training cost after epoch i + 1)."""
    picked = sample_indices(len(costs[0]), SNAPSHOT_POINTS)
    train, test = costs
    return ModelProgress(settings, table, epochs, tuple(train[i] for i in picked),
                         tuple(test[i] for i in picked if i < len(test)), epoch,
                         tuple(i + 1 for i in picked))


def load_model_table(settings: FitSettings) -> Any:
    """The engine `Table` of a model fit: its feature columns (or the x column) and y."""
    from tutor.engine import load_table_csv

    features = settings.x_columns or ((settings.x_column,) if settings.x_column else ())
    return load_table_csv(settings.path, features or None, settings.y_column)


def train_model(settings: FitSettings, table: Any, epochs: int,
                callback: Callable[[Any], object] | None = None,
                on_batch: Callable[[Any], object] | None = None) -> Any:
    """`engine.train` with the settings' model fields on the table's columns."""
    from tutor.engine import train

    return train(table.columns, table.ys, model=settings.model, names=table.x_names,
                 learning_rate=settings.learning_rate, epochs=epochs,
                 batch_size=settings.batch_size, seed=settings.seed, l2=settings.l2,
                 test_fraction=settings.test_fraction, method=settings.method,
                 precision=settings.precision, hidden=settings.hidden, callback=callback,
                 on_batch=on_batch)


def run(settings: Settings, hooks: Hooks = NO_HOOKS) -> Outcome:
    """The one outcome of an attempt's settings (an answer runs nothing)."""
    if isinstance(settings, DescentSettings):
        return run_descent(settings, hooks)
    if isinstance(settings, CompareSettings):
        return run_compare(settings, hooks)
    if isinstance(settings, FitSettings):
        return run_fit(settings, hooks)
    if not isinstance(settings, AnswerSettings):  # a code exercise: the sandbox runs it
        from tutor.practice.code import run_code_attempt

        return run_code_attempt(settings, hooks.cancelled)  # type: ignore[arg-type]
    return AnswerOutcome(settings)


def one_sentence(exc: BaseException) -> str:
    """One sentence for any failure: the engine's or reader's own message where it has one."""
    text = str(exc).strip() or type(exc).__name__
    if isinstance(exc, (InputProblem, ValueError)):
        return text if text.endswith((".", "?", "!")) else text + "."
    return f"Something went wrong while running ({type(exc).__name__}: {text})."
