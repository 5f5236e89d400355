"""The work the pane hands to threads: runs, compares, fits, single steps and checks.

Each job posts its outcome back as a message (`post` is the pane's thread-safe
`post_message`), so the UI thread never waits on SymPy or a long descent.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tutor.ui.widgets.exercise import runner
from tutor.ui.widgets.exercise.messages import (
    Checked, RunFailed, RunFinished, RunProgress, StepTaken,
)

if TYPE_CHECKING:
    from tutor.lessons.model import Exercise

Post = Callable[[Any], Any]
CHECK_KEYS = ("function", "start", "learning_rate", "iterations", "precision", "method",
              "scale", "data", "answer", "choice")


def checks_on_run(exercise: Exercise | None) -> bool:
    """True when the exercise's goal is judged from a run (not from a typed answer)."""
    if exercise is None or not exercise.goal:
        return False
    return not ({"answer", "choice"} & set(exercise.goal))


def compare_set(inputs: Mapping[str, str], exercise: Exercise | None) -> tuple[list[float], list[str]]:
    """The learning rates or methods to compare: the exercise's own, else the typed list."""
    if exercise is not None and exercise.compare:
        methods = [str(m) for m in exercise.compare.get("methods") or []]
        rates = [float(r) for r in exercise.compare.get("learning_rates") or []]
        return rates, methods
    return runner.parse_compare(inputs.get("compare", ""))


def compute(mode: str, inputs: Mapping[str, str], exercise: Exercise | None,
            data_dir: Path | None, cancelled: Callable[[], bool],
            progress: Callable[[int, int], None]) -> Any:
    """The outcome of one run ('run'), several ('compare') or a line fit ('fit')."""
    if mode == "fit":
        return runner.run_fit(inputs, data_dir, cancelled)
    if str(inputs.get("function", "")).strip():  # a bad function is the first thing to say
        runner.compile_cached(str(inputs["function"]).strip())
    if mode == "run":
        request = runner.parse_request(inputs)
        return runner.run_descent(request, cancelled, lambda n: progress(n, request.iterations))
    rates, methods = compare_set(inputs, exercise)
    if rates and not str(inputs.get("learning_rate", "")).strip():
        inputs = {**inputs, "learning_rate": str(rates[0])}  # the rates are the compare set
    request = runner.parse_request(inputs)
    return tuple(
        runner.run_descent(req, cancelled, lambda n, t=req.iterations: progress(n, t), label)
        for label, req in runner.compare_requests(request, rates, methods)
    )


def check(exercise: Exercise, inputs: Mapping[str, str],
          data_dir: Path | None = None) -> tuple[bool | None, str]:
    """The lesson check's (passed, message) for these inputs; problems become a NOT YET."""
    from tutor.lessons.checks import check_attempt

    wanted = {k: v for k, v in inputs.items() if k in CHECK_KEYS}
    try:
        if str(wanted.get("data", "")).strip():
            wanted["data"] = str(runner.resolve_data_path(wanted["data"], data_dir))
        outcome = check_attempt(exercise, wanted)
    except Exception as exc:  # noqa: BLE001 - the learner sees one sentence, never a traceback
        return False, runner.user_message(exc)
    return bool(outcome.passed), str(outcome.message or "")


def run_job(post: Post, run_id: int, mode: str, inputs: dict, exercise: Exercise | None,
            data_dir: Path | None, cancelled: Callable[[], bool]) -> None:
    """Thread body: compute, post the outcome (or the one-sentence problem), then check."""
    if mode != "answer":
        try:
            outcome = compute(mode, inputs, exercise, data_dir, cancelled,
                              lambda n, t: post(RunProgress(run_id, n, t)))
        except Exception as exc:  # noqa: BLE001 - shown as one sentence
            post(RunFailed(run_id, runner.user_message(exc)))
            return
        post(RunFinished(run_id, mode, outcome))
        if not checks_on_run(exercise):
            return
    if exercise is not None:
        post(Checked(run_id, inputs, *check(exercise, inputs, data_dir)))


@dataclass
class Stepper:
    """Step mode's descent, kept between key presses; guarded by a lock across threads."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    inputs: dict | None = None
    descent: Any = None
    objective: Any = None
    request: runner.RunRequest | None = None

    def forget(self) -> None:
        """Start afresh on the next step (inputs changed, reset)."""
        with self.lock:
            self.inputs = self.descent = self.objective = self.request = None


def _start_descent(stepper: Stepper, inputs: dict) -> None:
    from tutor.engine import Descent

    request = runner.parse_request(inputs)
    objective = runner.objective_for(request)
    runner.derivative_of(request.function)  # printed here, off the UI thread
    stepper.descent = Descent(objective, request.start, learning_rate=request.learning_rate,
                              max_iterations=request.iterations, precision=request.precision,
                              method=request.method)
    stepper.inputs, stepper.objective, stepper.request = dict(inputs), objective, request


def step_job(post: Post, run_id: int, stepper: Stepper, inputs: dict) -> None:
    """Thread body: take one iteration (starting a descent when needed) and post it."""
    with stepper.lock:
        try:
            fresh = stepper.descent is None or stepper.inputs != inputs or stepper.descent.done
            if fresh:
                _start_descent(stepper, inputs)
            if stepper.descent.done:  # cannot even start (e.g. division by zero at the start)
                post(RunFailed(run_id, str(stepper.descent.result().message)))
                stepper.descent = None
                return
            report = stepper.descent.step()
            result = stepper.descent.result() if stepper.descent.done else None
        except Exception as exc:  # noqa: BLE001 - shown as one sentence
            stepper.descent = None
            post(RunFailed(run_id, runner.user_message(exc)))
            return
        post(StepTaken(run_id, report, stepper.objective, result, fresh, stepper.request))
