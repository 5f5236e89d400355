"""Practice: read what the learner typed once, run it once, judge that run.

No Textual here: the exercise pane, the playground, `check-lessons`, `gd-tutor
check` and the CLI's `run` and `fit` all go through these functions, so an
attempt means the same wherever it is made.

    settings = read(exercise, inputs, mode, policy)    # typed text -> typed settings
    outcome = run(settings, hooks)                     # the one run (progress, cancel)
    verdict = verdict_for(exercise, mode, settings, outcome, inputs)

`attempt()` does all three; `check_attempt()` never raises on bad input.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

_HOMES = {
    "MODES": "attempts", "Attempt": "attempts", "attempt": "attempts",
    "check_attempt": "attempts", "check_mode": "attempts", "main_mode": "attempts",
    "read": "attempts", "verdict_for": "attempts",
    "DataPolicy": "datafiles",
    "Verdict": "verdicts", "judge": "judging", "judged_on_run": "judging",
    "NO_HOOKS": "running", "AnswerOutcome": "running", "CompareOutcome": "running",
    "FitOutcome": "running", "Hooks": "running", "ModelProgress": "running", "Outcome": "running", "RunOutcome": "running",
    "derivative_of": "compiled", "objective_of": "compiled", "one_sentence": "running",
    "run": "running", "start_descent": "running",
    "ModelStep": "model_steps", "ModelStepper": "model_steps",
    "AnswerSettings": "settings", "CompareSettings": "settings", "DescentSettings": "settings",
    "FitSettings": "settings", "Settings": "settings",
    "InputProblem": "problems",
    "Advice": "verdicts",
}
"""Where each public name lives; modules load on first use (PEP 562), so the app's entry
point can take `DataPolicy` without loading the rest before the first paint. No module is
named like a name it exports (a loaded submodule would shadow the function)."""


def __getattr__(name: str) -> Any:
    """Import the module that defines `name` the first time it is asked for."""
    if name not in _HOMES:
        raise AttributeError(f"module 'tutor.practice' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"tutor.practice.{_HOMES[name]}"), name)
    globals()[name] = value
    return value


if TYPE_CHECKING:
    from tutor.practice.attempts import (
        MODES, Attempt, attempt, check_attempt, check_mode, main_mode, read, verdict_for,
    )
    from tutor.practice.datafiles import DataPolicy
    from tutor.practice.judging import judge, judged_on_run
    from tutor.practice.problems import InputProblem
    from tutor.practice.compiled import derivative_of, objective_of
    from tutor.practice.running import (
        NO_HOOKS, AnswerOutcome, CompareOutcome, FitOutcome, Hooks, ModelProgress, Outcome,
        RunOutcome, one_sentence, run, start_descent,
    )
    from tutor.practice.model_steps import ModelStep, ModelStepper
    from tutor.practice.settings import (
        AnswerSettings, CompareSettings, DescentSettings, FitSettings, Settings,
    )
    from tutor.practice.verdicts import Advice, Verdict

__all__ = [
    "MODES", "NO_HOOKS", "Advice", "AnswerOutcome", "AnswerSettings", "Attempt",
    "CompareOutcome", "CompareSettings", "DataPolicy", "DescentSettings", "FitOutcome",
    "FitSettings", "Hooks", "InputProblem", "ModelProgress", "ModelStep", "ModelStepper",
    "Outcome", "RunOutcome", "Settings", "Verdict",
    "attempt", "check_attempt", "check_mode", "derivative_of", "judge", "judged_on_run",
    "main_mode", "objective_of", "one_sentence", "read", "run", "start_descent", "verdict_for",
]
