"""What the progress store deals in: records, states, the write-as-data form, where it lives.

Split from `tutor.progress.store` to keep it short: the exercise record and the
state order, the data form of a write (`Op`) that a database replica replays,
the `Replica` it hands writes to, and where progress lives by default (a data
folder, or a database URL from `--database` / $GD_TUTOR_DATABASE). Imports
neither UI nor engine.
"""

from __future__ import annotations

import getpass
import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Protocol

Op = tuple[Any, ...]
"""A write as data, `(kind, *arguments)`: what a database replica replays."""
DATABASE_ENV = "GD_TUTOR_DATABASE"
"""A postgresql:// URL here (or `--database`) keeps progress in PostgreSQL instead of SQLite."""
STATES = ("new", "attempted", "skipped", "done")
"""Exercise states, weakest first: a state never moves to a weaker one except on reset."""


@dataclass(frozen=True)
class ExerciseRecord:
    """What is known about one exercise: state, attempts, last inputs, hints shown."""

    state: str = "new"
    attempts: int = 0
    last_inputs: Mapping[str, Any] | None = None
    hints_shown: int = 0
    updated: datetime | None = None


def default_data_dir() -> Path:
    """$GD_TUTOR_DATA_DIR, else the platform's per-user data folder for gd-tutor."""
    configured = os.environ.get("GD_TUTOR_DATA_DIR")
    if configured:
        return Path(configured)
    import platformdirs

    return Path(platformdirs.user_data_dir("gd-tutor"))


class Replica(Protocol):
    """Where a store's writes are replayed (`tutor.progress.postgres.PostgresReplica`)."""

    connected: bool
    url: str
    name: str

    @property
    def pending(self) -> int: ...

    def attach(self, host: Any) -> None:
        """Start replaying the writes of `host` (a `ProgressStore`)."""

    def push(self, op: Op) -> None: ...

    def flush(self, timeout: float) -> bool: ...

    def close(self) -> str | None: ...


LEARNER_ENV = "GD_TUTOR_LEARNER"
"""Names the learner whose rows a database session uses (`gd-tutor serve` sets it)."""


def learner_name(given: str | None = None) -> str:
    """The learner a database session is for: `given`, $GD_TUTOR_LEARNER, else the OS user."""
    name = (given or os.environ.get(LEARNER_ENV, "")).strip()
    if name:
        return name
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "learner"


def database_url(given: str | None = None) -> str | None:
    """The database URL in force (`given`, else $GD_TUTOR_DATABASE), None for SQLite files."""
    url = given if given is not None else os.environ.get(DATABASE_ENV, "")
    return url.strip() or None


def stamp(seconds: float | None) -> datetime | None:
    return None if seconds is None else datetime.fromtimestamp(seconds, tz=timezone.utc)


def rank(column: str) -> str:
    """SQL giving the strength of a state, so a state never weakens."""
    return (f"(CASE {column} WHEN 'done' THEN 3 WHEN 'skipped' THEN 2 "
            f"WHEN 'attempted' THEN 1 ELSE 0 END)")


def dumps(inputs: Mapping[str, Any]) -> str:
    return json.dumps(dict(inputs), default=str, sort_keys=True)


def record(row: tuple[Any, ...]) -> ExerciseRecord:
    state, attempts, inputs, hints, updated = row
    try:
        loaded = json.loads(inputs)
    except (TypeError, ValueError):
        loaded = None
    return ExerciseRecord(state, int(attempts), loaded if isinstance(loaded, dict) else None,
                          int(hints), stamp(updated))
