"""`gd-tutor check LESSON/EXERCISE [--set KEY=VALUE]... [--json]`: judge one attempt headless.

The inputs are read, run and judged by the same practice layer as the exercise
pane, so the verdict is the one the pane would show for the same inputs. For
graders, teachers testing their lessons, and scripts. Never imports Textual.

With `--record` a judged attempt is also kept in the store `gd-tutor` opens
(`$GD_TUTOR_DATA_DIR`), as the pane's screen keeps it: counted, in the history
with its diagnosis, and the lesson becomes the current one. Inputs that cannot
be run are not an attempt there either, so they are not recorded.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from typing import Any

from tutor.errors import UserError
from tutor.lessons import Exercise, Lesson, default_lessons_dir, load_lessons
from tutor.lessons.schema import ANSWER_KEYS, INPUT_KEYS


def check_command(args: argparse.Namespace) -> int:
    """Find the exercise, apply the --set values, judge one attempt, print the verdict."""
    from tutor.engine import EngineInputError
    from tutor.practice import DataPolicy, InputProblem, Verdict, attempt, one_sentence

    lesson, exercise = find_exercise(args.exercise)
    inputs = set_values(exercise, args.set or [])
    judged = True
    try:
        done = attempt(exercise, inputs, policy=DataPolicy.from_environment())
        verdict = done.verdict or Verdict(True, "Done.")
    except (InputProblem, EngineInputError) as exc:
        verdict, judged = Verdict(False, one_sentence(exc)), False
    report = verdict_json(lesson, exercise, verdict)
    if getattr(args, "record", False):
        report["recorded"] = judged and record(lesson, exercise, inputs, verdict)
    print(json.dumps(report, allow_nan=False) if args.json else verdict_text(report))
    return 0


def record(lesson: Lesson, exercise: Exercise, inputs: dict[str, str], verdict: Any) -> bool:
    """Keep the attempt in the learner's store as the tutor's screen does; True if saved."""
    from tutor.progress import ProgressStore

    with ProgressStore.open() as store:
        store.set_current_lesson(lesson.slug)
        store.record_attempt(exercise.key, inputs, verdict.passed, verdict.diagnosis,
                             verdict.message)
        if store.warning:
            sys.stderr.write(f"gd-tutor: {store.warning}\n")
        return store.saving


def find_exercise(wanted: str) -> tuple[Lesson, Exercise]:
    """The lesson (number or slug) and exercise (id) named `LESSON/EXERCISE`."""
    lesson_part, _, exercise_id = str(wanted).strip().partition("/")
    if not lesson_part or not exercise_id:
        raise UserError(f"name the exercise as LESSON/EXERCISE, like 4/enough-budget, "
                        f"not {wanted!r}")
    lesson_set = load_lessons(default_lessons_dir())
    lesson = lesson_set.find(lesson_part)
    if lesson is None:
        known = ", ".join(str(item.number) for item in lesson_set.lessons) or "none"
        raise UserError(f"there is no lesson '{lesson_part}'; the lesson numbers are {known} "
                        "(see 'gd-tutor lessons')")
    for exercise in lesson.exercises:
        if exercise.id == exercise_id:
            return lesson, exercise
    ids = ", ".join(e.id for e in lesson.exercises) or "none"
    raise UserError(f"lesson {lesson.number} ({lesson.slug}) has no exercise '{exercise_id}'; "
                    f"its exercises are {ids}")


def settable(exercise: Exercise) -> tuple[str, ...]:
    """The fields a learner may fill in: the editable ones and what the goal asks."""
    asked = tuple(key for key in ANSWER_KEYS if key in exercise.goal)
    return tuple(exercise.editable) + asked


def set_values(exercise: Exercise, pairs: list[str]) -> dict[str, str]:
    """`KEY=VALUE` pairs as the text a learner would type into those fields."""
    allowed = settable(exercise)
    inputs: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        key = key.strip()
        if not sep:
            raise UserError(f"--set takes KEY=VALUE, like learning_rate=0.4, not {pair!r}")
        if key not in INPUT_KEYS:
            raise UserError(f"there is no field '{key}'; the fields are {', '.join(INPUT_KEYS)}")
        if key not in allowed:
            may = ", ".join(allowed) or "none"
            raise UserError(f"'{key}' is not editable in exercise '{exercise.id}'; "
                            f"you may set: {may}")
        inputs[key] = value
    return inputs


def _finite(value: Any) -> Any:
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    return value


def _json(value: Any) -> Any:
    return [_finite(v) for v in value] if isinstance(value, (list, tuple)) else _finite(value)


def run_json(result: Any) -> dict[str, Any] | None:
    """status, nit, x and fun of the judged run (a fit's x is [intercept, slope]); a model
    fit's x is [intercept, coefficients...] (a network's: its weights as trained) and it
    adds `model_json`'s keys."""
    if result is None:
        return None
    if hasattr(result, "epochs") and hasattr(result, "model"):
        weights = (result.params if result.settings.get("hidden")
                   else (result.intercept, *result.coefficients))
        return {"status": result.status, "nit": result.nit,
                "x": [_finite(float(v)) for v in weights],
                "fun": _finite(float(result.cost)), **model_json(result)}
    if hasattr(result, "intercept"):
        x, fun = [result.intercept, result.slope], result.cost
    else:
        x, fun = list(result.x), result.fun
    return {"status": result.status, "nit": result.nit,
            "x": [_finite(float(v)) for v in x], "fun": _finite(float(fun))}


def model_json(result: Any) -> dict[str, Any]:
    """A model fit's own numbers: model, epochs, intercept and coefficients by column (the
    data's units; null for a network), training and test cost, accuracy (logistic)."""
    network = bool(result.settings.get("hidden"))
    return {"model": result.model, "epochs": result.epochs,
            "intercept": None if network else _finite(float(result.intercept)),
            "coefficients": {} if network else {
                name: _finite(float(w)) for name, w in zip(result.names, result.coefficients)},
            "hidden": int(result.settings.get("hidden") or 0),
            "train_cost": _finite(float(result.train_cost)),
            "test_cost": None if result.test_cost is None else _finite(float(result.test_cost)),
            "accuracy": result.accuracy}


def verdict_json(lesson: Lesson, exercise: Exercise, verdict: Any) -> dict[str, Any]:
    """The JSON object `check --json` prints."""
    return {
        "lesson": lesson.slug, "exercise": exercise.id, "kind": exercise.kind,
        "passed": verdict.passed, "message": verdict.message, "diagnosis": verdict.diagnosis,
        "explain": verdict.explain,
        "advice": [{"set": {k: _json(v) for k, v in a.set.items()}, "why": a.why}
                   for a in verdict.advice],
        "run": run_json(verdict.result),
    }


def verdict_text(report: dict[str, Any]) -> str:
    """PASS or NOT YET, the message, and the advice as field changes."""
    lines = [f"{report['lesson']}/{report['exercise']}: "
             f"{'PASS' if report['passed'] else 'NOT YET'}", report["message"]]
    if report["explain"]:
        lines.append(report["explain"])
    for advice in report["advice"]:
        changes = ", ".join(f"{k}={'(another value)' if v is None else v}"
                            for k, v in advice["set"].items())
        lines.append(f"  try {changes} ({advice['why']})")
    if report.get("recorded") is not None:
        lines.append("Recorded in your progress." if report["recorded"] else
                     "Not recorded: inputs that cannot be run are not an attempt, or the "
                     "progress store cannot be written.")
    return "\n".join(lines)
