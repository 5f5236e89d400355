"""`check-lessons --sweep`: try each exercise over a grid of plausible inputs and check
every verdict the learner could see.

For every input on the grid (each editable field varied over values a learner
might type, every listed wrong answer, the solution, numbers near an answer and
their sign flips, every option) the verdict must hold up: every piece of advice,
applied, passes (or improves, where it says so); the numbers a message states
match the run; a pass on an exercise whose explanations depend on the run finds
one that holds.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from tutor.lessons.model import Exercise
from tutor.lessons.schema import MAX_ITERATIONS, METHODS
from tutor.practice.attempts import check_attempt
from tutor.practice.judging import Verdict

RATES = (0.001, 0.01, 0.05, 0.1, 0.2, 0.3, 0.5, 0.8, 1.0, 1.5, 2.0)
ITERATIONS = (1, 10, 50, 100, 500, 1000, 5000)
PRECISIONS = (0, 1e-6, 1e-4, 0.01, 0.1)
OFFSETS = (-3.0, -1.5, -0.5, 0.5, 1.5, 3.0)


def grid(exercise: Exercise) -> Iterator[dict[str, Any]]:
    """The inputs a sweep tries for one exercise (one field varied at a time)."""
    yield {}
    yield dict(exercise.solution)
    yield from (dict(w) for w in exercise.wrong)
    editable = set(exercise.editable)
    if "learning_rate" in editable:
        yield from ({"learning_rate": r} for r in RATES)
    if "iterations" in editable:
        yield from ({"iterations": n} for n in ITERATIONS if n <= MAX_ITERATIONS)
    if "precision" in editable:
        yield from ({"precision": p} for p in PRECISIONS)
    if "method" in editable:
        yield from ({"method": m} for m in METHODS)
    if "scale" in editable:
        yield from ({"scale": flag} for flag in (True, False))
    yield from _model_grid(editable)
    if "start" in editable and exercise.start:
        for offset in OFFSETS:
            yield {"start": ",".join(str(v + offset) for v in exercise.start)}
    if "answer" in exercise.goal:
        want = float(exercise.goal["answer"])
        yield from ({"answer": str(v)} for v in (want, -want, want * 2, want / 2,
                                                  round(want, 1), want + 1))
    if "choice" in exercise.goal:
        yield from ({"choice": str(i + 1)} for i in range(len(exercise.options)))


MODEL_GRID: Mapping[str, tuple[Any, ...]] = {
    "batch_size": (1, 2, 5, 10, 100), "epochs": (1, 10, 100, 1000, 5000), "seed": (0, 1, 2, 7),
    "l2": (0, 0.001, 0.01, 0.1, 1), "test_fraction": (0, 0.2, 0.3, 0.5),
    "hidden": (0, 2, 3, 4, 8), "model": ("linear", "logistic"),
}
"""Values a learner might type into a model fit's own fields."""


def _model_grid(editable: set[str]) -> Iterator[dict[str, Any]]:
    for key, values in MODEL_GRID.items():
        if key in editable:
            yield from ({key: v} for v in values)


def sweep_exercise(exercise: Exercise) -> list[tuple[str, str]]:
    """(field, problem) for every verdict on the grid that does not hold up."""
    problems: list[tuple[str, str]] = []
    seen: set[str] = set()
    for inputs in grid(exercise):
        key = repr(sorted(inputs.items()))
        if key in seen:
            continue
        seen.add(key)
        verdict = check_attempt(exercise, inputs)
        for problem in verdict_problems(exercise, inputs, verdict):
            where = "explain" if "explanation" in problem else "goal"
            problems.append((where, f"with {_inline(inputs)}: {problem}"))
    return problems


def verdict_problems(exercise: Exercise, inputs: Mapping[str, Any],
                     verdict: Verdict) -> list[str]:
    """What is wrong with one verdict (an empty list when it all holds)."""
    found = []
    for advice in verdict.advice:
        if not set(advice.set) <= set(exercise.editable):
            found.append(f"advice names a field the learner cannot edit: {advice.why}")
            continue
        applied = check_attempt(exercise, {**inputs, **_typed(advice.set)})
        if "not there yet" not in advice.why and not applied.passed:
            found.append(f"advice '{advice.why}' does not pass when applied: {applied.message}")
    found += _contradictions(verdict)
    if verdict.passed and exercise.explain_when and not verdict.explain:
        found.append("a pass with no explanation whose conditions hold for this run")
    return found


def _contradictions(verdict: Verdict) -> list[str]:
    """Numbers the message states about the learner's run that the run does not bear out."""
    result, text = verdict.result, verdict.message.split(" Try ")[0].split(" Allow ")[0]
    if result is None:
        return []
    found = []
    said = re.match(r"(?:It c|C)onverged in (\d+) update", text)
    if said and (result.status != "converged" or result.nit != int(said.group(1))):
        found.append(f"says it converged in {said.group(1)} updates, but the run "
                     f"{result.status} after {result.nit}")
    said = re.search(r"(?:onverged after|diverged after|limit of|ran all) (\d+) epochs?", text)
    if said and getattr(result, "epochs", None) != int(said.group(1)):
        found.append(f"says {said.group(1)} epochs, but the run {result.status} after "
                     f"{getattr(result, 'epochs', result.nit)}")
    said = re.search(r"diverged at iteration (\d+)", text)
    if said and (result.status != "diverged" or result.nit != int(said.group(1))):
        found.append(f"says it diverged at iteration {said.group(1)}, but the run "
                     f"{result.status} after {result.nit}")
    if "the cost grew every step" in text:
        costs = list(getattr(getattr(result, "path", None), "costs", []))
        falls = sum(1 for a, b in zip(costs, costs[1:]) if b < a)
        if falls > len(costs) // 2:
            found.append(f"says the cost grew every step, but it fell on {falls} of them")
    return found


def _typed(values: Mapping[str, Any]) -> dict[str, str]:
    out = {}
    for key, value in values.items():
        if isinstance(value, (list, tuple)):
            out[key] = ",".join(repr(float(v)) for v in value)
        else:
            out[key] = str(value).lower() if isinstance(value, bool) else str(value)
    return out


def _inline(inputs: Mapping[str, Any]) -> str:
    return "{" + ", ".join(f"{k}: {v}" for k, v in inputs.items()) + "}" if inputs else "{}"
