"""`gd-tutor`, `gd-tutor lesson N|SLUG` and `gd-tutor playground`: start the Textual app."""

from __future__ import annotations

import argparse
import gc

from tutor.errors import UserError
from tutor.lessons import LessonIndex, default_lessons_dir, scan_lessons


def _load() -> LessonIndex:
    """The lessons from `$GD_TUTOR_LESSONS_DIR` (set by --lessons-dir) or the built-in ones.

    Only their front matter is read here (`scan_lessons`), so the first screen
    paints at once; the app loads them fully right after.
    """
    folder = default_lessons_dir()
    if not folder.is_dir():
        raise UserError(f"The lesson folder {folder} does not exist; check --lessons-dir.")
    return scan_lessons(folder)


def _watch_the_terminal() -> None:
    """First thing: if the terminal goes (or SIGTERM comes) from now on, even before the
    app runs, the tutor saves what it can and is gone within a second (tutor.ui.lifeline)."""
    from tutor.ui import lifeline

    lifeline.install()


def _run(lessons: LessonIndex, **options: object) -> int:
    # Start-up allocates ~85,000 long-lived objects; collecting them on the way costs
    # ~15 ms of the first paint. The app switches the collector back on after it.
    gc.disable()
    from tutor.ui import lifeline
    from tutor.ui.app import TutorApp

    from tutor.practice.datafiles import DataPolicy

    app = TutorApp(lessons=lessons, data_policy=DataPolicy.from_environment(),
                   **options)  # type: ignore[arg-type]
    app.run()
    return lifeline.finish(app.return_code or 0)


def tutor_command(args: argparse.Namespace) -> int:
    """Open the tutor where the learner left off."""
    _watch_the_terminal()
    return _run(_load())


def lesson_command(args: argparse.Namespace) -> int:
    """Open one lesson by number or slug; an unknown one is refused before the app starts."""
    _watch_the_terminal()
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
    _watch_the_terminal()
    from tutor.ui.app import PlaygroundRequest

    request = PlaygroundRequest(function=args.function, start=args.start, lr=args.lr)
    return _run(_load(), playground=request)
