"""Lessons: the model, the loader, claims and the checks behind `check-lessons`.

Importing this package is cheap: the model and loader never import SymPy or the
engine. `check_attempt`, `check_lessons` and `CheckOutcome` live in
`tutor.lessons.checks`, which imports the engine; they are loaded on first use.
"""

from __future__ import annotations

from typing import Any

from tutor.lessons.loader import default_lessons_dir, load_lesson_file, load_lessons
from tutor.lessons.model import (
    Claim, Exercise, Lesson, LessonProblem, LessonSet, MarkdownSegment, Segment,
)

__all__ = [
    "CheckOutcome", "Claim", "Exercise", "Lesson", "LessonProblem", "LessonSet",
    "MarkdownSegment", "Segment", "check_attempt", "check_lessons", "default_lessons_dir",
    "load_lesson_file", "load_lessons",
]

_LAZY = {"check_attempt", "check_lessons", "CheckOutcome"}


def __getattr__(name: str) -> Any:
    """Import the engine-backed checks only when they are first asked for."""
    if name in _LAZY:
        from tutor.lessons import checks

        return getattr(checks, name)
    raise AttributeError(f"module 'tutor.lessons' has no attribute {name!r}")
