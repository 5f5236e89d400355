"""`gd-tutor lessons`, `gd-tutor progress` and `gd-tutor check-lessons` (headless).

These never import Textual: they read lessons with the loader, progress with
the store, and print a table, a summary or JSON.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from tutor.errors import UserError
from tutor.lessons import LessonSet, default_lessons_dir, load_lessons
from tutor.progress import ProgressStore
from tutor.wording import plural

TITLE_WIDTH = 52


def _open_store() -> ProgressStore:
    store = ProgressStore.open()
    if store.warning:
        sys.stderr.write(f"gd-tutor: {store.warning}\n")
    return store


def _load() -> LessonSet:
    lesson_set = load_lessons()
    if not lesson_set.directory.is_dir():
        raise UserError(f"The lesson folder {lesson_set.directory} does not exist.")
    for problem in lesson_set.problems:
        sys.stderr.write(f"gd-tutor: {problem}\n")
    return lesson_set


def lesson_rows(lesson_set: LessonSet, store: ProgressStore) -> list[dict[str, Any]]:
    """One dict per lesson: number, slug, title, exercises, completed, current."""
    done = set(store.completed())
    current = store.current_lesson()
    return [{"number": lesson.number, "slug": lesson.slug, "title": lesson.title,
             "exercises": len(lesson.exercises),
             "completed": sum(1 for e in lesson.exercises if e.key in done),
             "current": lesson.slug == current}
            for lesson in lesson_set.lessons]


def _shorten(text: str, width: int) -> str:
    return text if len(text) <= width else text[:width - 1] + "…"


def format_lesson_table(rows: list[dict[str, Any]]) -> str:
    """A plain table that fits 80 columns; '>' marks the current lesson."""
    if not rows:
        return "No lessons found."
    lines = [f"    {'#':>3}  {'lesson':<{TITLE_WIDTH}}  done"]
    for row in rows:
        mark = ">" if row["current"] else " "
        title = _shorten(row["title"], TITLE_WIDTH)
        lines.append(f"  {mark} {row['number']:>3}  {title:<{TITLE_WIDTH}}  "
                     f"{row['completed']}/{row['exercises']}")
    if any(row["current"] for row in rows):
        lines.append("\n> current lesson. Open one with: gd-tutor lesson NUMBER")
    else:
        lines.append("\nOpen one with: gd-tutor lesson NUMBER")
    return "\n".join(lines)


def lessons_command(args: argparse.Namespace) -> int:
    """List the lessons with exercises done/total and the current one marked."""
    lesson_set = _load()
    with _open_store() as store:
        rows = lesson_rows(lesson_set, store)
    if args.json:
        keys = ("number", "slug", "title", "exercises", "completed", "current")
        print(json.dumps([{k: row[k] for k in keys} for row in rows], indent=2))
    else:
        print(format_lesson_table(rows))
    return 0


def progress_report(store: ProgressStore) -> dict[str, Any]:
    """Everything `gd-tutor progress --json` prints."""
    seen = store.last_seen()
    return {
        "current_lesson": store.current_lesson(),
        "completed": store.completed(),
        "skipped": store.skipped(),
        "attempts": store.attempts(),
        "learner": store.learner(),
        "last_seen": seen.isoformat(timespec="seconds") if seen else None,
        "store": _where(store),
    }


def _where(store: ProgressStore) -> str | None:
    """The file, or the database (its password hidden) and learner, that progress is kept in."""
    if store.path:
        return str(store.path)
    replica = store.replica
    if replica is None:
        return None
    from urllib.parse import urlsplit

    parts = urlsplit(replica.url)
    try:
        port = f":{parts.port}" if parts.port else ""
    except ValueError:
        port = ""
    host = parts.hostname or "localhost"
    return f"{parts.scheme}://{host}{port}{parts.path} (learner {replica.name})"


def _format_progress(report: dict[str, Any]) -> str:
    lines = [f"Current lesson: {report['current_lesson'] or 'none yet'}",
             f"Exercises done: {len(report['completed'])}",
             f"Skipped (not yet done): {len(report['skipped'])}"]
    lines += [f"  skipped {key}" for key in report["skipped"]]
    lines.append(f"Attempts: {sum(report['attempts'].values())}")
    lines.append(f"Last seen: {(report['last_seen'] or 'never').replace('T', ' ')}")
    lines.append(f"Stored in: {report['store'] or 'nowhere (not saved)'}")
    return "\n".join(lines)


def progress_command(args: argparse.Namespace) -> int:
    """Show progress (text or JSON), forget it all with --reset, or export/import it."""
    if getattr(args, "action", None) is not None:
        from tutor.commands.transfer import transfer_command

        return transfer_command(args)
    with _open_store() as store:
        if args.reset:
            if not (getattr(args, "yes", False) or _confirm_reset(store)):
                print("Nothing was reset.")
                return 1
            forgotten = store.reset()
            message = (f"Progress reset: forgot {plural(forgotten, 'exercise record')} and "
                       "the current lesson.")
            print(json.dumps({"reset": True, "forgotten": forgotten}) if args.json else message)
            return 0
        if getattr(args, "attempts", False):
            tried = [attempt.as_json() for attempt in store.attempt_history()]
            print(json.dumps({"attempts": tried}, indent=2) if args.json
                  else format_attempts(tried))
            return 0
        report = progress_report(store)
    print(json.dumps(report, indent=2) if args.json else _format_progress(report))
    return 0


def _printable(value: Any) -> str:
    """A learner's input on one line, with control characters (escapes) shown as '?'."""
    text = " ".join(str(value).split())
    return "".join(c if c.isprintable() else "?" for c in text)


def format_attempts(tried: list[dict[str, Any]]) -> str:
    """Two lines per attempt (when, verdict, exercise, diagnosis, hints; then the inputs)."""
    if not tried:
        return "No checked attempts yet."
    lines = []
    for item in tried:
        verdict = "PASS" if item["passed"] else "NOT YET"
        why = f"  ({item['diagnosis']})" if item["diagnosis"] else ""
        hints = f"  hints {item['hints']}" if item["hints"] else ""
        lines.append(f"{item['at'].replace('T', ' ')[:19]}  {verdict:<7}  {item['key']}"
                     f"{why}{hints}")
        shown = ", ".join(f"{k}={_printable(v)}" for k, v in item["inputs"].items())
        lines.append(f"    {_shorten(shown or '(no inputs)', 74)}")
    return "\n".join(lines)


def _confirm_reset(store: ProgressStore) -> bool:
    """Ask on the terminal before forgetting everything; with no terminal, refuse."""
    if not sys.stdin.isatty():
        raise UserError("progress --reset forgets all your progress; there is no terminal to "
                        "ask, so add --yes to do it.")
    count = len(store.exercises())
    try:
        reply = input(f"Forget all progress ({plural(count, 'exercise record')} and the "
                      "current lesson)? Type yes to confirm: ")
    except EOFError:
        return False
    return reply.strip().lower() in ("y", "yes")


def check_lessons_command(args: argparse.Namespace) -> int:
    """Validate a lesson folder: `file:line: message` per problem (exit 1), else a summary."""
    folder = Path(args.dir) if args.dir else default_lessons_dir()
    if not folder.is_dir():
        what = "is not a folder" if folder.exists() else "does not exist"
        raise UserError(f"The lesson folder {folder} {what}.")
    from tutor.practice.review import review_lessons

    review = review_lessons(folder, sweep=args.sweep)
    for problem in review.problems:
        print(problem)
    print(review.summary())
    return 1 if review.problems else 0
