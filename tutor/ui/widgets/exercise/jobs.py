"""The work the pane hands to threads: one attempt (run, compare, fit or answer), or one step.

Each job reads the inputs once, runs once and judges that run through the
practice layer, posting the outcome and then the verdict back as messages
(`post` is the pane's thread-safe `post_message`), so the UI thread never waits
on SymPy or a long descent.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from tutor.practice import (
    AnswerOutcome, DataPolicy, Hooks, ModelStepper, RunOutcome, Verdict, attempt, judge,
    judged_on_run, one_sentence, read, start_descent,
)
from tutor.ui.widgets.exercise.messages import (
    Checked, ModelSnapshot, ModelStepTaken, RunFailed, RunFinished, RunProgress, StepTaken,
)

if TYPE_CHECKING:
    from tutor.lessons.model import Exercise

Post = Callable[[Any], Any]


def run_job(post: Post, run_id: int, mode: str, inputs: dict, exercise: Exercise | None,
            policy: DataPolicy | None, cancelled: Callable[[], bool]) -> None:
    """Thread body: one attempt. The outcome is posted as soon as it exists (the plots),
    then the verdict on that same outcome. A problem is one sentence: for an answer it is
    the verdict (NOT YET), for a run it replaces the output."""
    hooks = Hooks(cancelled, lambda done, total: post(RunProgress(run_id, done, total)),
                  lambda progress: post(ModelSnapshot(run_id, progress)))

    def show(outcome: Any) -> None:
        if not isinstance(outcome, AnswerOutcome):
            post(RunFinished(run_id, outcome))

    try:
        done = attempt(exercise, inputs, mode=mode, policy=policy, hooks=hooks, on_outcome=show)
    except Exception as exc:  # noqa: BLE001 - the learner sees one sentence, never a traceback
        if mode == "answer":
            post(Checked(run_id, inputs, Verdict(False, one_sentence(exc))))
        else:
            post(RunFailed(run_id, one_sentence(exc)))
        return
    if done.verdict is not None:
        post(Checked(run_id, inputs, done.verdict))


@dataclass
class Stepper:
    """Step mode's descent, kept between key presses; guarded by a lock across threads."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    inputs: dict | None = None
    descent: Any = None
    settings: Any = None

    def forget(self) -> None:
        """Start afresh on the next step (inputs changed, reset)."""
        with self.lock:
            self.inputs = self.descent = self.settings = None

    def begin(self, exercise: Exercise | None, inputs: dict) -> None:
        """Read the inputs once and start a descent on them."""
        self.settings = read(exercise, inputs, "step")
        self.descent = start_descent(self.settings)
        self.inputs = dict(inputs)


def step_job(post: Post, run_id: int, stepper: Stepper, inputs: dict,
             exercise: Exercise | None) -> None:
    """Thread body: take one iteration (starting a descent when needed) and post it; once
    the descent is over, post the verdict on it (the walk the learner saw is the run judged)."""
    with stepper.lock:
        try:
            fresh = stepper.descent is None or stepper.inputs != inputs or stepper.descent.done
            if fresh:
                stepper.begin(exercise, inputs)
            descent, settings = stepper.descent, stepper.settings
            if descent.done:  # cannot even start (e.g. division by zero at the start)
                post(RunFailed(run_id, str(descent.result().message)))
                stepper.descent = None
                return
            report = descent.step()
            outcome = RunOutcome(settings, descent.result(), descent.objective) if descent.done else None
        except Exception as exc:  # noqa: BLE001 - shown as one sentence
            stepper.descent = None
            post(RunFailed(run_id, one_sentence(exc)))
            return
    post(StepTaken(run_id, report, descent.objective, settings, outcome, fresh))
    if outcome is not None and exercise is not None and judged_on_run(exercise):
        post(Checked(run_id, inputs, judge(exercise, settings=settings, outcome=outcome)))


def model_step_job(post: Post, run_id: int, stepper: ModelStepper, inputs: dict,
                   exercise: Exercise | None, policy: DataPolicy | None) -> None:
    """Thread body: the next update of a model fit's step mode, posted (or one sentence)."""
    try:
        walk = stepper.next(exercise, inputs, policy)
    except Exception as exc:  # noqa: BLE001 - shown as one sentence
        stepper.forget()
        post(RunFailed(run_id, one_sentence(exc)))
        return
    post(ModelStepTaken(run_id, walk))
