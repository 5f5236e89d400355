"""`gd-tutor class --data-dir DIR`: the teacher's live dashboard over the learners' stores.

Builds the reader the dashboard calls every second: each learner's store opened
read-only (`tutor.serve.report`), turned into plain data (`tutor.serve.insight`).
The dashboard itself never touches a store.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from tutor.errors import UserError


def class_reader(data_dir: Path, lessons: list[tuple[str, list[str]]],
                 rule: Any) -> Any:
    """A function returning the class as `class_view` data, read afresh at each call."""
    from tutor.serve.insight import class_view
    from tutor.serve.report import class_snapshots

    return lambda: class_view(class_snapshots(data_dir), lessons, rule)


def lesson_keys() -> list[tuple[str, list[str]]]:
    """(slug, exercise keys) of every lesson, in order (`--lessons-dir` applies)."""
    from tutor.lessons import default_lessons_dir, load_lessons

    return [(lesson.slug, [e.key for e in lesson.exercises])
            for lesson in load_lessons(default_lessons_dir()).lessons]


def class_command(args: argparse.Namespace) -> int:
    """Open the live dashboard for the class whose stores are under --data-dir."""
    from tutor.commands.serve import _stuck_rule
    from tutor.serve.insight import StuckRule

    data_dir = Path(args.data_dir).expanduser()
    if not data_dir.is_dir():
        raise UserError(f"There is no data folder at {data_dir}.")
    read = class_reader(data_dir, lesson_keys(), _stuck_rule(args, StuckRule))
    from tutor.ui.class_dashboard import ClassDashboard

    ClassDashboard(read).run()
    return 0
