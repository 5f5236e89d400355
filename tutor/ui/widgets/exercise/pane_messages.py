"""The messages ExercisePane sends to its screen (nested in ExercisePane as `ExercisePane.Attempted` etc.)."""

from __future__ import annotations

from typing import Any

from textual.message import Message


class Attempted(Message, namespace="exercise_pane"):
    """The learner ran or answered the exercise; `passed` is None when nothing was checked."""

    def __init__(self, pane: Any, key: str, inputs: dict, passed: bool | None,
                 message: str) -> None:
        super().__init__()
        self.pane, self.key, self.inputs, self.passed, self.message = pane, key, inputs, passed, message

    @property
    def control(self) -> Any:
        """The pane that sent it."""
        return self.pane


class Skipped(Message, namespace="exercise_pane"):
    """The learner chose to skip this exercise."""

    def __init__(self, pane: Any, key: str) -> None:
        super().__init__()
        self.pane, self.key = pane, key

    @property
    def control(self) -> Any:
        """The pane that sent it."""
        return self.pane


class HintShown(Message, namespace="exercise_pane"):
    """Another hint (or the solution, as count = hints + 1) is on show."""

    def __init__(self, pane: Any, key: str, count: int) -> None:
        super().__init__()
        self.pane, self.key, self.count = pane, key, count

    @property
    def control(self) -> Any:
        """The pane that sent it."""
        return self.pane


class InputsChanged(Message, namespace="exercise_pane"):
    """The typed inputs settled (debounced), for saving the learner's last inputs."""

    def __init__(self, pane: Any, key: str, inputs: dict) -> None:
        super().__init__()
        self.pane, self.key, self.inputs = pane, key, inputs

    @property
    def control(self) -> Any:
        """The pane that sent it."""
        return self.pane
