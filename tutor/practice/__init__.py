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

from tutor.practice.attempt import (
    MODES, Attempt, attempt, check_attempt, check_mode, main_mode, read, verdict_for,
)
from tutor.practice.datafiles import DataPolicy
from tutor.practice.judging import Verdict, judge, judged_on_run
from tutor.practice.running import (
    NO_HOOKS, AnswerOutcome, CompareOutcome, FitOutcome, Hooks, Outcome, RunOutcome,
    derivative_of, objective_of, one_sentence, run, start_descent,
)
from tutor.practice.settings import (
    AnswerSettings, CompareSettings, DescentSettings, FitSettings, InputProblem, Settings,
)
from tutor.practice.verdicts import Advice

__all__ = [
    "MODES", "NO_HOOKS", "Advice", "AnswerOutcome", "AnswerSettings", "Attempt",
    "CompareOutcome", "CompareSettings", "DataPolicy", "DescentSettings", "FitOutcome",
    "FitSettings", "Hooks", "InputProblem", "Outcome", "RunOutcome", "Settings", "Verdict",
    "attempt", "check_attempt", "check_mode", "derivative_of", "judge", "judged_on_run",
    "main_mode", "objective_of", "one_sentence", "read", "run", "start_descent", "verdict_for",
]
