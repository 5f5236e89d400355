"""The exercise pane's messages: dataclasses with typed payloads, on one base.

Worker messages (`WorkerMessage`) go from the pane's threads to the pane itself
and carry the run they belong to, so late messages of an old run are dropped.
Pane messages (`PaneMessage`) bubble up to the screen, which saves progress.
All are nested in `ExercisePane` (`ExercisePane.Attempted`, ...).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from textual.message import Message

if TYPE_CHECKING:
    from tutor.practice import Outcome, RunOutcome, Verdict

NAMESPACE = "exercise_pane"
"""Handlers are `on_exercise_pane_attempted` etc. (Textual does not inherit a namespace,
nor `bubble=False`: each class says both)."""


@dataclass
class ExerciseMessage(Message, namespace=NAMESPACE):
    """Base of every message the exercise pane and its workers send."""


@dataclass
class WorkerMessage(ExerciseMessage, bubble=False, namespace=NAMESPACE):
    """From a worker thread to its pane, tagged with the run it belongs to."""

    run_id: int


@dataclass
class RunProgress(WorkerMessage, bubble=False, namespace=NAMESPACE):
    """How far a long run has got; a newer one replaces an unprocessed older one."""

    done: int
    total: int

    def can_replace(self, message: Message) -> bool:
        """Collapse queued progress messages into the latest."""
        return isinstance(message, RunProgress)


@dataclass
class RunFinished(WorkerMessage, bubble=False, namespace=NAMESPACE):
    """A run, compare or fit is done: `outcome` is a RunOutcome, CompareOutcome or FitOutcome."""

    outcome: Outcome


@dataclass
class RunFailed(WorkerMessage, bubble=False, namespace=NAMESPACE):
    """The inputs could not be run; `sentence` says why."""

    sentence: str


@dataclass
class StepTaken(WorkerMessage, bubble=False, namespace=NAMESPACE):
    """One iteration of step mode; `outcome` is set once the descent is done."""

    report: Any
    objective: Any
    settings: Any
    outcome: RunOutcome | None
    fresh: bool


@dataclass
class ModelSnapshot(WorkerMessage, bubble=False, namespace=NAMESPACE):
    """A model part-way through training (a `ModelProgress`); a newer one replaces an
    unprocessed older one."""

    progress: Any

    def can_replace(self, message: Message) -> bool:
        """Collapse queued snapshots into the latest."""
        return isinstance(message, ModelSnapshot)


@dataclass
class ModelStepTaken(WorkerMessage, bubble=False, namespace=NAMESPACE):
    """One update of step mode on a model fit (a `ModelStep`; `walk.step` None: run over)."""

    walk: Any


@dataclass
class Checked(WorkerMessage, bubble=False, namespace=NAMESPACE):
    """The verdict on an attempt (made on the run the learner saw)."""

    inputs: dict
    verdict: Verdict


@dataclass
class PaneMessage(ExerciseMessage, namespace=NAMESPACE):
    """From the pane to its screen, about the exercise with progress key `key`."""

    pane: Any
    key: str

    @property
    def control(self) -> Any:
        """The pane that sent it."""
        return self.pane


@dataclass
class Attempted(PaneMessage, namespace=NAMESPACE):
    """The learner ran or answered the exercise; `passed` is None when nothing was judged.

    `diagnosis` is the verdict's key for what went wrong (`diverged_oscillating`, ...),
    None on a pass or when nothing more is known; the screen keeps it in the history."""

    inputs: dict
    passed: bool | None
    message: str
    diagnosis: str | None = None


@dataclass
class Skipped(PaneMessage, namespace=NAMESPACE):
    """The learner chose to skip this exercise."""


@dataclass
class HintShown(PaneMessage, namespace=NAMESPACE):
    """Another hint (or the solution, as count = hints + 1) is on show."""

    count: int


@dataclass
class InputsChanged(PaneMessage, namespace=NAMESPACE):
    """The typed inputs settled (debounced), for saving the learner's last inputs."""

    inputs: dict
