"""`gd-tutor`, `gd-tutor lesson N|SLUG` and `gd-tutor playground`: start the Textual app."""

from __future__ import annotations

import argparse

from tutor.errors import UserError
from tutor.lessons import LessonSet, default_lessons_dir, load_lessons


def _load() -> LessonSet:
    """The lessons from `$GD_TUTOR_LESSONS_DIR` (set by --lessons-dir) or the built-in ones."""
    folder = default_lessons_dir()
    if not folder.is_dir():
        raise UserError(f"The lesson folder {folder} does not exist; check --lessons-dir.")
    return load_lessons(folder)


def _run(lessons: LessonSet, **options: object) -> int:
    from tutor.ui.app import TutorApp

    TutorApp(lessons=lessons, **options).run()  # type: ignore[arg-type]
    return 0


def tutor_command(args: argparse.Namespace) -> int:
    """Open the tutor where the learner left off."""
    return _run(_load())


def lesson_command(args: argparse.Namespace) -> int:
    """Open one lesson by number or slug; an unknown one is refused before the app starts."""
    lessons = _load()
    wanted = str(args.lesson).strip()
    lesson = lessons.find(wanted)
    if lesson is None:
        known = ", ".join(str(item.number) for item in lessons.lessons) or "none"
        raise UserError(f"There is no lesson '{wanted}'; the lesson numbers are {known} "
                        "(see 'gd-tutor lessons').")
    return _run(lessons, lesson=lesson.slug)


def playground_command(args: argparse.Namespace) -> int:
    """Open the playground with an optional function, start and learning rate."""
    from tutor.ui.app import PlaygroundRequest

    request = PlaygroundRequest(function=args.function, start=args.start, lr=args.lr)
    return _run(_load(), playground=request)
