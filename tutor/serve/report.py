"""The teacher's view: every learner's place in the lessons, read from their stores.

The report only reads: each store is opened read-only (immutable when no tutor
has it open, so SQLite creates no -wal/-shm files), never moved aside, never
written, whichever user runs it. A store that cannot be read (a folder,
permission denied, damaged) is a row with a note, not a gap in the list. With
a database (`--database` or $GD_TUTOR_DATABASE) the whole class, from every
node, is read from PostgreSQL at one moment on a read-only connection.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path

from tutor.progress import DB_NAME, Attempt, ProgressStore
from tutor.serve.names import learner_name


@dataclass(frozen=True)
class LearnerRow:
    """One learner's line in the class report."""

    learner: str
    current_lesson: str | None
    done: int | None
    skipped: int | None
    last_seen: str | None
    note: str | None = None
    attempts: int | None = None
    hints: int | None = None

    def as_json(self) -> dict[str, object]:
        """The row as a JSON-ready dict."""
        return asdict(self)


@dataclass(frozen=True)
class LearnerSnapshot:
    """What one read of a learner's store gives: the row, the attempt history (oldest
    first), each exercise's state and hints, and when the store was last written."""

    row: LearnerRow
    history: tuple[Attempt, ...] = ()
    states: Mapping[str, str] = field(default_factory=dict)
    hints: Mapping[str, int] = field(default_factory=dict)
    last_seen: dt.datetime | None = None


def _iso(value: object) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, (int, float)):
        value = dt.datetime.fromtimestamp(value, tz=dt.timezone.utc)
    if isinstance(value, dt.datetime):
        return value.isoformat(timespec="seconds")
    return str(value)


def learner_dirs(data_dir: Path) -> list[Path]:
    """Folders under `<data-dir>/learners` that hold a progress store (in any state), by name."""
    root = data_dir / "learners"
    if not root.is_dir():
        return []
    return sorted(p for p in root.iterdir() if learner_name(p.name) == p.name
                  and ((p / DB_NAME).exists() or (p / DB_NAME).is_symlink()))


def read_snapshot(folder: Path) -> LearnerSnapshot:
    """Everything the teacher's views need from one store, read once, read-only."""
    from tutor.progress import ProgressStore
    from tutor.progress.database import StoreUnreadable

    try:
        store = ProgressStore.open_read_only(folder)
    except StoreUnreadable as exc:
        return LearnerSnapshot(LearnerRow(
            folder.name, None, None, None, None,
            f"progress could not be read ({exc.reason}); it was left as it is"))
    return snapshot_of(folder.name, store)


def snapshot_of(name: str, store: ProgressStore) -> LearnerSnapshot:
    """The snapshot of one open store (closed afterwards)."""
    try:
        records = store.exercises()
        seen = store.last_seen()
        row = LearnerRow(name, store.current_lesson() or None, len(store.completed()),
                         len(store.skipped()), _iso(seen),
                         attempts=sum(r.attempts for r in records.values()),
                         hints=sum(r.hints_shown for r in records.values()))
        return LearnerSnapshot(row, tuple(store.attempt_history()),
                               {k: r.state for k, r in records.items()},
                               {k: r.hints_shown for k, r in records.items()}, seen)
    finally:
        store.close()


def database_snapshots(url: str) -> list[LearnerSnapshot]:
    """One snapshot per learner in the PostgreSQL database at `url`, sorted by name.

    Raises StoreUnreadable (one short reason) when the database cannot be read.
    """
    from tutor.progress.postgres import read_class

    return [snapshot_of(name, ProgressStore.read_only_over(conn))
            for name, conn in read_class(url).items()]


def class_snapshots(data_dir: Path, database: str | None = None) -> list[LearnerSnapshot]:
    """One snapshot per learner, sorted by name: from the database in force (`database`,
    else $GD_TUTOR_DATABASE), else from the stores under `data_dir`."""
    from tutor.progress.store import database_url

    url = database_url(database)
    if url is not None:
        return database_snapshots(url)
    return [read_snapshot(folder) for folder in learner_dirs(data_dir)]


def class_report(data_dir: Path, database: str | None = None) -> list[LearnerRow]:
    """One row per learner (see `class_snapshots`), sorted by name."""
    return [snapshot.row for snapshot in class_snapshots(data_dir, database)]


def _count(value: int | None) -> str:
    return "?" if value is None else str(value)


def format_report(rows: list[LearnerRow]) -> str:
    """A plain-text table for a terminal of 80 columns."""
    if not rows:
        return "No learners yet."
    header = ("learner", "current lesson", "done", "skipped", "last seen")
    cells = [header] + [(r.learner, r.current_lesson or "-", _count(r.done), _count(r.skipped),
                         (r.last_seen or "never").replace("T", " ")[:19]) for r in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]
    lines = ["  ".join(c.rjust(w) if i in (2, 3) else c.ljust(w)
                       for i, (c, w) in enumerate(zip(row, widths))).rstrip() for row in cells]
    notes = [f"{r.learner}: {r.note}" for r in rows if r.note]
    return "\n".join(lines + notes)
