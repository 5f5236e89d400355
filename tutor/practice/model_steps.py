"""Step mode for a model fit: one update at a time, naming the batch drawn.

The n-th press replays the seeded training up to its n-th update (a run repeats
exactly for its seed), so the step shown is the very update a full run makes:
the rows drawn, the gradient from them and the weights before and after.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from tutor.practice.running import load_model_table, train_model
from tutor.practice.settings import FitSettings, InputProblem

if TYPE_CHECKING:
    from tutor.lessons.model import Exercise
    from tutor.practice.datafiles import DataPolicy


@dataclass(frozen=True)
class ModelStep:
    """Update `step.update` of a model fit (None when the run ended before it), with the
    batch costs up to it and the table it trained on."""

    settings: FitSettings
    data: Any
    step: Any
    batch_costs: tuple[float, ...]
    updates: int


def model_step(settings: FitSettings, n: int) -> ModelStep:
    """Replay the training up to update `n` and describe that update."""
    table = load_model_table(settings)
    caught: list[Any] = []
    epochs = settings.epochs if settings.epochs is not None else settings.iterations

    def keep(step: Any) -> None:
        if step.update == n:
            caught.append(step)

    result = train_model(settings, table, min(n, epochs), lambda e: e.updates >= n, keep)
    return ModelStep(settings, table, caught[0] if caught else None,
                     tuple(result.batch_costs[:n]), result.nit)


@dataclass
class ModelStepper:
    """Step mode's place in a model fit, kept between key presses (a lock across threads)."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    inputs: dict | None = None
    n: int = 0

    def forget(self) -> None:
        """Start afresh on the next step (inputs changed, reset, walk over)."""
        with self.lock:
            self.inputs, self.n = None, 0

    def next(self, exercise: Exercise | None, inputs: Mapping[str, Any],
             policy: DataPolicy | None = None) -> ModelStep:
        """The next update of the walk (the first after a change of inputs)."""
        from tutor.practice.fit_fields import read_fit

        with self.lock:
            settings = read_fit(exercise, inputs, policy)
            if not settings.trains_model:
                raise InputProblem("Step mode steps through a model's batches; this fit "
                                   "is a line (press Enter to fit it).")
            self.n = 1 if self.inputs != dict(inputs) else self.n + 1
            self.inputs = dict(inputs)
            done = model_step(settings, self.n)
            if done.step is None:
                self.inputs, self.n = None, 0
            return done
