"""Lessons: the model, the exercise schema, the loader and claims.

Importing this package is cheap: the model and loader never import SymPy or the
engine (nor PyYAML until a lesson is read). Checking attempts and `check-lessons`
live one layer up, in `tutor.practice`.
"""

from __future__ import annotations

from tutor.lessons.loader import default_lessons_dir, load_lesson_file, load_lessons, scan_lessons
from tutor.lessons.model import (
    Claim, Exercise, Lesson, LessonIndex, LessonProblem, LessonSet, LessonStub, MarkdownSegment,
    Segment,
)

__all__ = [
    "Claim", "Exercise", "Lesson", "LessonIndex", "LessonProblem", "LessonSet", "LessonStub",
    "MarkdownSegment", "Segment", "default_lessons_dir", "load_lesson_file", "load_lessons",
    "scan_lessons",
]
