"""Lessons: the model, the loader, claims and the checks behind `check-lessons`.

Importing this package is cheap: the model and loader never import SymPy or the
engine (nor PyYAML until a lesson is read). `check_attempt` and `CheckOutcome` (in `tutor.lessons.checks`) and
`check_lessons`/`review_lessons` (in `tutor.lessons.review`) use the engine;
they are imported on first use.
"""

from __future__ import annotations

import importlib
from typing import Any

from tutor.lessons.loader import default_lessons_dir, load_lesson_file, load_lessons, scan_lessons
from tutor.lessons.model import (
    Claim, Exercise, Lesson, LessonIndex, LessonProblem, LessonSet, LessonStub, MarkdownSegment,
    Segment,
)

__all__ = [
    "CheckOutcome", "Claim", "Exercise", "Lesson", "LessonIndex", "LessonProblem",
    "LessonReview", "LessonSet", "LessonStub", "MarkdownSegment", "Segment", "check_attempt",
    "check_lessons", "default_lessons_dir", "load_lesson_file", "load_lessons", "review_lessons",
    "scan_lessons",
]

_LAZY = {"check_attempt": "checks", "CheckOutcome": "checks", "check_lessons": "review",
         "review_lessons": "review", "LessonReview": "review"}


def __getattr__(name: str) -> Any:
    """Import the engine-backed checks only when they are first asked for."""
    if name in _LAZY:
        module = importlib.import_module(f"tutor.lessons.{_LAZY[name]}")
        return getattr(module, name)
    raise AttributeError(f"module 'tutor.lessons' has no attribute {name!r}")
