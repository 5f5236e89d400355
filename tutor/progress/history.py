"""Attempt history: every judged check of an exercise, kept beside the progress it changes.

One row per attempt in the `attempts` table (schema version 2): the exercise key,
the time, the inputs (or code) as JSON, whether it passed, the verdict's
diagnosis key (`diverged_oscillating`, `choice_2`, ...), its message and how many
hints were open at the time. `append` runs inside the store's write transaction,
so the history and the exercise's state change together or not at all, and keeps
only the last `KEEP_PER_EXERCISE` rows of that exercise. A version-1 store read
read-only has no such table: it simply has no history. Imports neither UI nor engine.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

KEEP_PER_EXERCISE = 200
"""Attempts kept per exercise; older ones are dropped in the same transaction."""

TABLE = """
CREATE TABLE IF NOT EXISTS attempts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    key TEXT NOT NULL,
    at REAL NOT NULL,
    inputs TEXT NOT NULL DEFAULT '{}',
    passed INTEGER NOT NULL,
    diagnosis TEXT,
    message TEXT NOT NULL DEFAULT '',
    hints INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS attempts_by_key ON attempts(key, id);
"""


@dataclass(frozen=True)
class Attempt:
    """One judged check: what was tried, the verdict, and the hints open at the time."""

    key: str
    at: datetime
    inputs: Mapping[str, Any]
    passed: bool
    diagnosis: str | None
    message: str
    hints: int

    def as_json(self) -> dict[str, Any]:
        """A JSON-ready dict (time as ISO 8601 UTC)."""
        return {"key": self.key, "at": self.at.isoformat(timespec="seconds"),
                "inputs": dict(self.inputs), "passed": self.passed,
                "diagnosis": self.diagnosis, "message": self.message, "hints": self.hints}


def has_table(conn: sqlite3.Connection) -> bool:
    """True when the store has the attempts table (a version-2 store)."""
    return conn.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name='attempts'"
                        ).fetchone() is not None


def append(conn: sqlite3.Connection, key: str, inputs_json: str, passed: bool,
           diagnosis: str | None, message: str, at: float) -> None:
    """Add one attempt (inside the caller's transaction) and drop the oldest beyond the bound."""
    row = conn.execute("SELECT hints_shown FROM exercises WHERE key = ?", (key,)).fetchone()
    conn.execute("INSERT INTO attempts(key, at, inputs, passed, diagnosis, message, hints) "
                 "VALUES(?, ?, ?, ?, ?, ?, ?)",
                 (key, at, inputs_json, int(bool(passed)), diagnosis, str(message or ""),
                  int(row[0]) if row else 0))
    conn.execute("DELETE FROM attempts WHERE key = ? AND id <= (SELECT id FROM attempts "
                 "WHERE key = ? ORDER BY id DESC LIMIT 1 OFFSET ?)",
                 (key, key, KEEP_PER_EXERCISE))


def read(conn: sqlite3.Connection, key: str | None = None) -> list[Attempt]:
    """Attempts oldest first, of one exercise or of all (none if the store has no table)."""
    if not has_table(conn):
        return []
    query = "SELECT key, at, inputs, passed, diagnosis, message, hints FROM attempts"
    rows = (conn.execute(query + " WHERE key = ? ORDER BY id", (key,)) if key is not None
            else conn.execute(query + " ORDER BY id")).fetchall()
    return [_attempt(row) for row in rows]


def _attempt(row: tuple[Any, ...]) -> Attempt:
    key, at, inputs, passed, diagnosis, message, hints = row
    try:
        loaded = json.loads(inputs)
    except (TypeError, ValueError):
        loaded = {}
    return Attempt(str(key), datetime.fromtimestamp(float(at), tz=timezone.utc),
                   loaded if isinstance(loaded, dict) else {}, bool(passed),
                   diagnosis if isinstance(diagnosis, str) else None, str(message or ""),
                   int(hints or 0))
