"""The teacher's view: every learner's place in the lessons, read from their stores."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from pathlib import Path

from tutor.serve.names import learner_name


@dataclass(frozen=True)
class LearnerRow:
    """One learner's line in the class report."""

    learner: str
    current_lesson: str | None
    done: int
    skipped: int
    last_seen: str | None
    note: str | None = None

    def as_json(self) -> dict[str, object]:
        """The row as a JSON-ready dict."""
        return asdict(self)


def _iso(value: object) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, (int, float)):
        value = dt.datetime.fromtimestamp(value, tz=dt.timezone.utc)
    if isinstance(value, dt.datetime):
        return value.isoformat(timespec="seconds")
    return str(value)


def learner_dirs(data_dir: Path) -> list[Path]:
    """Folders under `<data-dir>/learners` that hold a progress store, by name."""
    root = data_dir / "learners"
    if not root.is_dir():
        return []
    return sorted(p for p in root.iterdir()
                  if learner_name(p.name) == p.name and (p / "progress.db").is_file())


def read_learner(folder: Path) -> LearnerRow:
    """Read one learner's store through ProgressStore and close it again."""
    from tutor.progress import ProgressStore

    store = ProgressStore.open(folder)
    try:
        return LearnerRow(folder.name, store.current_lesson() or None, len(store.completed()),
                          len(store.skipped()), _iso(store.last_seen()),
                          getattr(store, "warning", None))
    finally:
        store.close()


def class_report(data_dir: Path) -> list[LearnerRow]:
    """One row per learner who has a store under `data_dir`, sorted by name."""
    return [read_learner(folder) for folder in learner_dirs(data_dir)]


def format_report(rows: list[LearnerRow]) -> str:
    """A plain-text table for a terminal of 80 columns."""
    if not rows:
        return "No learners yet."
    header = ("learner", "current lesson", "done", "skipped", "last seen")
    cells = [header] + [(r.learner, r.current_lesson or "-", str(r.done), str(r.skipped),
                         (r.last_seen or "never").replace("T", " ")[:19]) for r in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]
    lines = ["  ".join(c.rjust(w) if i in (2, 3) else c.ljust(w)
                       for i, (c, w) in enumerate(zip(row, widths))).rstrip() for row in cells]
    notes = [f"{r.learner}: {r.note}" for r in rows if r.note]
    return "\n".join(lines + notes)
