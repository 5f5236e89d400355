"""Reading learners out of PostgreSQL into in-memory SQLite stores, and writing them back whole.

A PostgreSQL-backed store reads from an in-memory SQLite copy of its learner's
rows (`load`), so every read the SQLite store makes works unchanged and the
tutor never waits on the network to draw a screen. The class report and the
dashboard load the whole class in three queries inside one read-only
REPEATABLE READ transaction: a consistent moment, and no lock a learner's
write could wait on (PostgreSQL readers never block writers). `replace` writes
one learner's rows whole (import). Imports neither UI nor engine.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from typing import Any

from tutor.progress.database import connect

FACTS = "SELECT learner, name, value FROM gd_facts WHERE value IS NOT NULL"
EXERCISES = ("SELECT learner, key, state, attempts, last_inputs, hints_shown, updated "
             "FROM gd_exercises")
ATTEMPTS = ("SELECT learner, key, at, inputs, passed, diagnosis, message, hints "
            "FROM gd_attempts")


def learners(pg: Any) -> list[str]:
    """Every learner with a fact or an exercise in the database, by name."""
    rows = pg.execute("SELECT learner FROM gd_facts UNION SELECT learner FROM gd_exercises "
                      "ORDER BY 1").fetchall()
    return [row[0] for row in rows]


def load(pg: Any, names: Iterable[str] | None = None) -> dict[str, sqlite3.Connection]:
    """In-memory SQLite stores for `names` (all learners if None), read at one moment."""
    wanted = None if names is None else sorted(set(names))
    where, params = ("", ()) if wanted is None else (" WHERE learner = ANY(%s)", (wanted,))
    mirrors: dict[str, sqlite3.Connection] = {}

    def mirror(learner: str) -> sqlite3.Connection:
        if learner not in mirrors:
            mirrors[learner] = connect(None)
        return mirrors[learner]

    with pg.transaction():
        pg.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        facts = pg.execute(FACTS + where.replace("WHERE", "AND"), params).fetchall()
        exercises = pg.execute(EXERCISES + where, params).fetchall()
        attempts = pg.execute(ATTEMPTS + where + " ORDER BY id", params).fetchall()
    for name in wanted or ():
        mirror(name)
    for learner, *row in facts:
        mirror(learner).execute("INSERT INTO facts (name, value) VALUES (?, ?)", row)
    for learner, *row in exercises:
        mirror(learner).execute("INSERT INTO exercises (key, state, attempts, last_inputs, "
                                "hints_shown, updated) VALUES (?, ?, ?, ?, ?, ?)", row)
    for learner, key, at, inputs, passed, diagnosis, message, hints in attempts:
        mirror(learner).execute("INSERT INTO attempts (key, at, inputs, passed, diagnosis, "
                                "message, hints) VALUES (?, ?, ?, ?, ?, ?, ?)",
                                (key, at, inputs, int(passed), diagnosis, message, hints))
    for conn in mirrors.values():
        conn.commit()
    return mirrors


def has_rows(pg: Any, learner: str) -> bool:
    """True when the learner has any exercise, or any fact besides the last visit, in the
    database (as `transfer.has_rows` for a store: a visit alone is no progress to protect)."""
    return pg.execute("SELECT EXISTS (SELECT 1 FROM gd_facts WHERE learner = %s AND "
                      "name <> 'last_seen') OR EXISTS "
                      "(SELECT 1 FROM gd_exercises WHERE learner = %s)",
                      (learner, learner)).fetchone()[0]


def replace(pg: Any, learner: str, source: sqlite3.Connection, at: float) -> None:
    """Make the learner's rows exactly those of the SQLite store `source` (one transaction)."""
    with pg.transaction():
        for table in ("gd_attempts", "gd_exercises", "gd_facts"):
            pg.execute(f"DELETE FROM {table} WHERE learner = %s", (learner,))
        for name, value in source.execute("SELECT name, value FROM facts"):
            pg.execute("INSERT INTO gd_facts (learner, name, value, at) VALUES (%s, %s, %s, %s)",
                       (learner, name, value, at))
        for row in source.execute("SELECT key, state, attempts, last_inputs, hints_shown, "
                                  "updated FROM exercises"):
            pg.execute("INSERT INTO gd_exercises (learner, key, state, attempts, last_inputs, "
                       "hints_shown, updated, inputs_at, hints_at) VALUES "
                       "(%s, %s, %s, %s, %s, %s, %s, %s, %s)", (learner, *row, row[5], row[5]))
        for key, when, inputs, passed, diagnosis, message, hints in source.execute(
                "SELECT key, at, inputs, passed, diagnosis, message, hints FROM attempts "
                "ORDER BY id"):
            pg.execute("INSERT INTO gd_attempts (learner, key, at, inputs, passed, diagnosis, "
                       "message, hints) VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
                       (learner, key, when, inputs, bool(passed), diagnosis, message, hints))
