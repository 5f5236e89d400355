"""One attempt, start to end: read the inputs once, run once, judge that run.

The exercise pane runs these same steps in a worker (posting the outcome before
the verdict); `check-lessons`, `gd-tutor check` and the tests call `attempt`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from tutor.practice.datafiles import DataPolicy
from tutor.practice.judging import Verdict, judge, judged_on_run, needs_run, needs_settings
from tutor.practice.running import NO_HOOKS, Hooks, Outcome, one_sentence, run
from tutor.practice.fit_fields import read_fit
from tutor.practice.settings import (
    AnswerSettings, InputProblem, Settings, read_answer, read_compare, read_descent,
)

if TYPE_CHECKING:
    from tutor.lessons.model import Exercise

MODES = ("run", "step", "compare", "fit", "answer", "code")
"""What an attempt can be: one descent (run, or walked by step), a compare, a fit, an answer,
the learner's code run in the sandbox."""


@dataclass(frozen=True)
class Attempt:
    """What one attempt read, the outcome it ran, and the verdict (None when nothing is judged)."""

    settings: Settings
    outcome: Outcome
    verdict: Verdict | None


def main_mode(exercise: Exercise | None) -> str:
    """What Enter does in the exercise's pane: run, compare, fit, or check the answer."""
    kind = exercise.kind if exercise is not None else "run"
    if kind in ("compare", "fit", "code"):
        return kind
    if kind in ("numeric", "choice") and not (exercise and exercise.function):
        return "answer"
    return "run"


def check_mode(exercise: Exercise) -> str:
    """The mode whose outcome the exercise's goal judges."""
    if exercise.kind == "code":
        return "code"
    return main_mode(exercise) if judged_on_run(exercise) else "answer"


def read(exercise: Exercise | None, inputs: Mapping[str, Any], mode: str,
         policy: DataPolicy | None = None) -> Settings:
    """The typed settings an attempt in `mode` uses (InputProblem / ParseError if unusable)."""
    if mode == "answer":
        if exercise is None:
            raise InputProblem("There is nothing to answer here.")
        return read_answer(exercise, inputs)
    if mode == "code":
        from tutor.practice.code import read_code

        if exercise is None:
            raise InputProblem("There is no code exercise here.", "code")
        return read_code(exercise, inputs, policy)
    if mode == "compare":
        return read_compare(exercise, inputs)
    if mode == "fit":
        return read_fit(exercise, inputs, policy)
    return read_descent(exercise, inputs)


def verdict_for(exercise: Exercise | None, mode: str, settings: Settings, outcome: Outcome,
                inputs: Mapping[str, Any], policy: DataPolicy | None = None,
                hooks: Hooks = NO_HOOKS) -> Verdict | None:
    """The verdict on an attempt's outcome, or None when this mode is not what is judged."""
    if mode == "code" and exercise is not None:
        from tutor.practice.code import judge_code

        return judge_code(exercise, outcome)  # type: ignore[arg-type]
    if exercise is None or not exercise.goal:
        return None
    if mode != "answer":
        if not judged_on_run(exercise) or mode == "compare":
            return None
        return judge(exercise, settings=settings, outcome=outcome)  # type: ignore[arg-type]
    run_settings, run_outcome = None, None
    if needs_settings(exercise):  # an answer goal next to run goals: read (and run) those too
        run_settings = read(exercise, inputs, "fit" if exercise.kind == "fit" else "run", policy)
        run_outcome = run(run_settings, hooks) if needs_run(exercise) else None
    assert isinstance(settings, AnswerSettings)
    return judge(exercise, answers=settings, settings=run_settings,  # type: ignore[arg-type]
                 outcome=run_outcome)


def attempt(exercise: Exercise | None, inputs: Mapping[str, Any], *, mode: str | None = None,
            policy: DataPolicy | None = None, hooks: Hooks = NO_HOOKS,
            on_outcome: Callable[[Outcome], object] | None = None) -> Attempt:
    """Read, run and judge one attempt (raises InputProblem / EngineInputError on bad input).

    `mode` defaults to the mode the exercise is judged on; `on_outcome` is told the
    outcome before the verdict is made (the pane draws the plots then)."""
    if mode is None:
        mode = check_mode(exercise) if exercise is not None else "run"
    settings = read(exercise, inputs, mode, policy)
    outcome = run(settings, hooks)
    if on_outcome is not None:
        on_outcome(outcome)
    return Attempt(settings, outcome, verdict_for(exercise, mode, settings, outcome, inputs,
                                                  policy, hooks))


def check_attempt(exercise: Exercise, inputs: Mapping[str, Any] | None = None,
                  policy: DataPolicy | None = None) -> Verdict:
    """The verdict on one attempt; bad input is a failed verdict with one sentence, never
    an exception (for check-lessons, `gd-tutor check` and graders)."""
    from tutor.engine import EngineInputError

    try:
        done = attempt(exercise, dict(inputs or {}), policy=policy)
    except (InputProblem, EngineInputError) as exc:
        return Verdict(False, one_sentence(exc))
    return done.verdict or Verdict(True, "Done.")
