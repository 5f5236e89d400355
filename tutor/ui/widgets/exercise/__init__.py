"""The exercise pane: inputs, run, step and compare modes, plots, checks and hints."""

from __future__ import annotations

from tutor.ui.widgets.exercise.pane import ExercisePane

__all__ = ["ExercisePane"]
