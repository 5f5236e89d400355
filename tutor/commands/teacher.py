"""`gd-tutor class --data-dir DIR | --database URL`: the teacher's live dashboard.

Builds the reader the dashboard calls every second: each learner's store opened
read-only (`tutor.serve.report`), turned into plain data (`tutor.serve.insight`).
The dashboard itself never touches a store.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any


def class_reader(data_dir: Path, lessons: list[tuple[str, list[str]]],
                 rule: Any) -> Any:
    """A function returning the class as `class_view` data, read afresh at each call."""
    from tutor.progress.database import StoreUnreadable
    from tutor.serve.insight import class_view
    from tutor.serve.report import class_snapshots

    last: list[Any] = [[]]

    def read() -> Any:
        try:  # a database that does not answer this second: show the last moment read
            last[0] = class_snapshots(data_dir)
        except StoreUnreadable:
            pass
        return class_view(last[0], lessons, rule)

    return read


def lesson_keys() -> list[tuple[str, list[str]]]:
    """(slug, exercise keys) of every lesson, in order (`--lessons-dir` applies)."""
    from tutor.lessons import default_lessons_dir, load_lessons

    return [(lesson.slug, [e.key for e in lesson.exercises])
            for lesson in load_lessons(default_lessons_dir()).lessons]


def class_command(args: argparse.Namespace) -> int:
    """Open the live dashboard for the class whose stores are under --data-dir."""
    from tutor.commands.serve import _stuck_rule, class_source
    from tutor.serve.insight import StuckRule

    data_dir = class_source(args)
    read = class_reader(data_dir, lesson_keys(), _stuck_rule(args, StuckRule))
    from tutor.ui.class_dashboard import ClassDashboard

    ClassDashboard(read).run()
    return 0
