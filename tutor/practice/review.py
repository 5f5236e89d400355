"""`check-lessons`: a linter that runs the lessons (after rustlings' `dev check`).

Besides every problem the loader found (front matter, YAML, duplicate slugs
and orders, unknown keys, too many hints), it parses every exercise's function
with the engine, runs every reference `solution` (it must pass) and every
`wrong` answer (each must fail), and recomputes every claim.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tutor.lessons.recompute import evaluate_claim
from tutor.lessons.loader import LESSON_GLOB, load_lessons
from tutor.lessons.model import Exercise, LessonProblem, LessonSet
from tutor.lessons.schema import ANSWER_KEYS
from tutor.practice.attempts import check_attempt
from tutor.practice.datafiles import DataPolicy
from tutor.wording import plural


@dataclass(frozen=True)
class LessonReview:
    """What `check-lessons` found: the lessons it read and every problem, in file order."""

    lesson_set: LessonSet
    problems: tuple[LessonProblem, ...]

    @property
    def exercise_count(self) -> int:
        """How many exercises the loaded lessons hold."""
        return sum(len(lesson.exercises) for lesson in self.lesson_set.lessons)

    @property
    def claim_count(self) -> int:
        """How many claims the loaded lessons make."""
        return sum(len(lesson.claims) for lesson in self.lesson_set.lessons)

    def summary(self) -> str:
        """One line such as '12 lessons, 31 exercises, 57 claims: all checks pass.'"""
        counts = (f"{plural(len(self.lesson_set.lessons), 'lesson')}, "
                  f"{plural(self.exercise_count, 'exercise')}, "
                  f"{plural(self.claim_count, 'claim')}")
        if not self.problems:
            return f"{counts}: all checks pass."
        return f"{counts}: {plural(len(self.problems), 'problem')}."




def review_lessons(directory: str | os.PathLike[str] | None = None, *,
                   sweep: bool = False) -> LessonReview:
    """Load and check every lesson in `directory` (default: `default_lessons_dir()`);
    `sweep` also tries every exercise over a grid of plausible inputs (`practice.sweep`)."""
    lesson_set = load_lessons(directory)
    problems = list(lesson_set.problems) + _stray_files(lesson_set.directory)
    if not lesson_set.lessons and lesson_set.directory.is_dir():
        problems.append(LessonProblem(lesson_set.directory, 0,
                                      f"no lesson files ({LESSON_GLOB}) in this folder."))
    for lesson in lesson_set.lessons:
        for exercise in lesson.exercises:
            found = check_exercise(exercise)
            problems.extend(found)
            if sweep and not found:
                problems.extend(sweep_problems(exercise))
        for claim in lesson.claims:
            outcome = evaluate_claim(claim, lesson_set.data_dir)
            if not outcome.holds:
                problems.append(LessonProblem(lesson.path, claim.line, outcome.message))
    problems.sort(key=lambda p: (str(p.path), p.line))
    return LessonReview(lesson_set, tuple(problems))


def check_lessons(directory: str | os.PathLike[str] | None = None) -> list[LessonProblem]:
    """Every problem in a lesson folder; an empty list means all checks pass."""
    return list(review_lessons(directory).problems)


def _stray_files(folder: Path) -> list[LessonProblem]:
    if not folder.is_dir():
        return []
    lessons = set(folder.glob(LESSON_GLOB))
    return [LessonProblem(path, 0, "not named like a lesson (NN-slug.md), so it is ignored.")
            for path in sorted(folder.glob("*.md"))
            if path not in lessons and path.name.lower() != "readme.md"]


def _field_line(exercise: Exercise, key: str) -> int:
    """The file line of `key:` inside the exercise block (else the opening fence)."""
    if exercise.path is None:
        return exercise.line
    try:
        lines = exercise.path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return exercise.line
    pattern = re.compile(rf"^\s*{re.escape(key)}\s*:")
    for number in range(exercise.line + 1, len(lines) + 1):
        text = lines[number - 1]
        if text.strip().startswith(("```", "~~~")):
            break
        if pattern.match(text):
            return number
    return exercise.line


def sweep_problems(exercise: Exercise) -> list[LessonProblem]:
    """The sweep's problems with one exercise, at the exercise's lines."""
    from tutor.practice.sweep import sweep_exercise

    if exercise.code is not None:
        return []  # a code exercise's sweep is its reference and its mistakes
    path = exercise.path or Path("?")
    return [LessonProblem(path, _field_line(exercise, key), f"exercise '{exercise.id}': {text}")
            for key, text in sweep_exercise(exercise)]


def check_exercise(exercise: Exercise) -> list[LessonProblem]:
    """Problems with one exercise: its settings, its solution and its wrong answers (a code
    exercise: its reference and its catalogued mistakes)."""
    found: list[tuple[str, str]] = []
    if exercise.code is not None:
        from tutor.practice.codereview import code_problems

        found += code_problems(exercise)
    else:
        found += _settings_problems(exercise)
    if not found and exercise.code is None:
        found += _answer_problems(exercise)
    path = exercise.path or Path("?")
    where = f"exercise '{exercise.id}': "
    return [LessonProblem(path, _field_line(exercise, key), where + message)
            for key, message in found]


def _settings_problems(exercise: Exercise) -> list[tuple[str, str]]:
    from tutor.engine import METHODS, EngineInputError, parse_function

    found: list[tuple[str, str]] = []
    if exercise.function is not None:
        try:
            variables = parse_function(exercise.function).variables
        except EngineInputError as exc:
            found.append(("function", f"the function does not parse: {_period(exc)}"))
        else:
            if exercise.start is not None and len(exercise.start) != len(variables):
                found.append(("start", f"start has {plural(len(exercise.start), 'number')} "
                              f"but the function has {plural(len(variables), 'variable')}."))
    wanted = exercise.goal.get("function_equals")
    if wanted is not None:
        try:
            parse_function(str(wanted))
        except EngineInputError as exc:
            found.append(("function_equals", f"goal function_equals does not parse: "
                          f"{_period(exc)}"))
    if exercise.method not in METHODS:
        found.append(("method", f"unknown method '{exercise.method}' "
                      f"(use {', '.join(METHODS)})."))
    found += _compare_problems(exercise, METHODS)
    if "choice" in exercise.goal:
        picked = exercise.goal.get("choice")
        if not exercise.options:
            found.append(("choice", "a choice goal needs 'options:' to choose from."))
        elif not isinstance(picked, int) or not 1 <= picked <= len(exercise.options):
            found.append(("choice", f"goal choice must be 1 to {len(exercise.options)}."))
    if exercise.kind == "fit" and exercise.data and exercise.path is not None:
        if not DataPolicy().resolve(exercise.data, exercise.path.parent / "data").is_file():
            found.append(("data", f"data file '{exercise.data}' is not in lessons/data/."))
    return found


def _compare_problems(exercise: Exercise, methods: tuple[str, ...]) -> list[tuple[str, str]]:
    compare = exercise.compare or {}
    rates = compare.get("learning_rates") or []
    found = []
    if not all(isinstance(r, (int, float)) and not isinstance(r, bool) and r > 0 for r in rates):
        found.append(("compare", "compare learning_rates must be numbers above 0."))
    for method in compare.get("methods") or []:
        if method not in methods:
            found.append(("compare", f"compare names unknown method '{method}'."))
    return found


def _answer_problems(exercise: Exercise) -> list[tuple[str, str]]:
    found = _not_editable(exercise, exercise.solution, "solution")
    outcome = check_attempt(exercise, exercise.solution)
    if not outcome.passed:
        found.append(("solution", f"the reference solution fails: {outcome.message}"))
    for wrong in exercise.wrong:
        found += _not_editable(exercise, wrong, "wrong")
        outcome = check_attempt(exercise, wrong)
        if outcome.passed:
            found.append(("wrong", f"the wrong answer {_inline(wrong)} passes, so the goal "
                          f"is too loose: {outcome.message}"))
    return found


def _not_editable(exercise: Exercise, inputs: Mapping[str, Any], label: str) -> list[tuple[str, str]]:
    return [(label, f"{label} sets '{key}', which the learner cannot edit "
             f"(add it to 'editable').")
            for key in inputs if key not in exercise.editable and key not in ANSWER_KEYS]


def _period(text: object) -> str:
    words = str(text).strip()
    return words if words.endswith(".") else words + "."


def _inline(inputs: Mapping[str, Any]) -> str:
    return "{" + ", ".join(f"{k}: {v}" for k, v in inputs.items()) + "}"
