"""The PostgreSQL schema for progress: versioned tables, migrations, and writes replayed as SQL.

One database holds a whole class: every table has a `learner` column. The
version lives in `gd_schema`; `migrate` brings any older schema to
`SCHEMA_VERSION` in one transaction under an advisory lock, so two nodes starting
at once migrate once. Versions: 1 facts and exercises (as SQLite's version 1),
2 the attempt history, 3 per-field write times and replayed sessions.

Conflict rule (two sessions of one learner, e.g. on two nodes): every write is
replayed as a small change, never as a whole row, so nothing one session did
is overwritten by a stale copy of another's. Per field, the write made last (by
the time the session made it, not when it reached the database) wins: a fact
(current lesson, place, name), an exercise's last inputs, its hints shown.
Attempts add up and the history appends; a state never weakens (a pass stays
passed, whatever arrives after it). Each session numbers its writes, so a write
replayed after a lost connection is applied once. Imports neither UI nor engine.
"""

from __future__ import annotations

from typing import Any

from tutor.progress.history import KEEP_PER_EXERCISE

SCHEMA_VERSION = 3
_LOCK = 7_357_201_500
"""pg_advisory_xact_lock key held while migrating."""

MIGRATIONS = (
    """CREATE TABLE gd_facts (learner TEXT NOT NULL, name TEXT NOT NULL, value TEXT,
           at DOUBLE PRECISION NOT NULL DEFAULT 0, PRIMARY KEY (learner, name));
       CREATE TABLE gd_exercises (learner TEXT NOT NULL, key TEXT NOT NULL,
           state TEXT NOT NULL DEFAULT 'new', attempts INTEGER NOT NULL DEFAULT 0,
           last_inputs TEXT NOT NULL DEFAULT '{}', hints_shown INTEGER NOT NULL DEFAULT 0,
           updated DOUBLE PRECISION NOT NULL, PRIMARY KEY (learner, key));""",
    """CREATE TABLE gd_attempts (id BIGSERIAL PRIMARY KEY, learner TEXT NOT NULL,
           key TEXT NOT NULL, at DOUBLE PRECISION NOT NULL, inputs TEXT NOT NULL DEFAULT '{}',
           passed BOOLEAN NOT NULL, diagnosis TEXT, message TEXT NOT NULL DEFAULT '',
           hints INTEGER NOT NULL DEFAULT 0);
       CREATE INDEX gd_attempts_by_key ON gd_attempts (learner, key, id);""",
    """ALTER TABLE gd_exercises ADD COLUMN inputs_at DOUBLE PRECISION NOT NULL DEFAULT 0,
           ADD COLUMN hints_at DOUBLE PRECISION NOT NULL DEFAULT 0;
       UPDATE gd_exercises SET inputs_at = updated, hints_at = updated;
       CREATE TABLE gd_sessions (session TEXT PRIMARY KEY, learner TEXT NOT NULL,
           seq BIGINT NOT NULL, at DOUBLE PRECISION NOT NULL);""",
)


class NewerSchema(Exception):
    """The database was written by a newer gd-tutor (its schema version is higher)."""


def migrate(conn: Any, upto: int = SCHEMA_VERSION) -> int:
    """Bring the schema to version `upto` (one transaction, locked); the version before."""
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (_LOCK,))
        conn.execute("CREATE TABLE IF NOT EXISTS gd_schema (version INTEGER NOT NULL)")
        row = conn.execute("SELECT max(version) FROM gd_schema").fetchone()
        before = int(row[0]) if row and row[0] is not None else 0
        if before > SCHEMA_VERSION:
            raise NewerSchema(f"the database has schema version {before}; this gd-tutor "
                              f"knows up to {SCHEMA_VERSION}")
        for number in range(before + 1, upto + 1):
            conn.execute(MIGRATIONS[number - 1])
        if upto > before:
            conn.execute("DELETE FROM gd_schema")
            conn.execute("INSERT INTO gd_schema (version) VALUES (%s)", (upto,))
    return before


def schema_version(conn: Any) -> int:
    """The database's schema version (0 when it has none)."""
    if conn.execute("SELECT to_regclass('gd_schema')").fetchone()[0] is None:
        return 0
    row = conn.execute("SELECT max(version) FROM gd_schema").fetchone()
    return int(row[0]) if row and row[0] is not None else 0


def first_time(conn: Any, session: str, learner: str, seq: int, at: float) -> bool:
    """Record that `session` applied write `seq`; False if it (or a later one) already was."""
    cur = conn.execute(
        "INSERT INTO gd_sessions (session, learner, seq, at) VALUES (%s, %s, %s, %s) "
        "ON CONFLICT (session) DO UPDATE SET seq = excluded.seq, at = excluded.at "
        "WHERE gd_sessions.seq < excluded.seq", (session, learner, seq, at))
    return cur.rowcount == 1


def apply(conn: Any, learner: str, op: tuple[Any, ...]) -> None:
    """Replay one write (`ProgressStore` op with its time last) inside the caller's transaction."""
    kind, args, at = op[0], [_clean(a) for a in op[1:-1]], float(op[-1])
    if kind == "fact":
        _fact(conn, learner, args[0], args[1], at)
    elif kind == "inputs":
        _row(conn, learner, args[0], at)
        conn.execute("UPDATE gd_exercises SET last_inputs = %s, inputs_at = %s, "
                     "updated = greatest(updated, %s) WHERE learner = %s AND key = %s "
                     "AND inputs_at <= %s", (args[1], at, at, learner, args[0], at))
    elif kind == "hints":
        _row(conn, learner, args[0], at)
        conn.execute("UPDATE gd_exercises SET hints_shown = %s, hints_at = %s, "
                     "updated = greatest(updated, %s) WHERE learner = %s AND key = %s "
                     "AND hints_at <= %s", (args[1], at, at, learner, args[0], at))
    elif kind == "skip":
        _row(conn, learner, args[0], at)
        conn.execute("UPDATE gd_exercises SET state = CASE state WHEN 'done' THEN 'done' "
                     "ELSE 'skipped' END, updated = greatest(updated, %s) "
                     "WHERE learner = %s AND key = %s", (at, learner, args[0]))
    elif kind == "attempt":
        _attempt(conn, learner, args, at)
    elif kind == "reset":
        conn.execute("DELETE FROM gd_attempts WHERE learner = %s", (learner,))
        conn.execute("DELETE FROM gd_exercises WHERE learner = %s", (learner,))
        _fact(conn, learner, "current_lesson", None, at)
        _fact(conn, learner, "place", None, at)
    _fact(conn, learner, "last_seen", repr(at), at)


def _attempt(conn: Any, learner: str, args: list[Any], at: float) -> None:
    key, text, passed, diagnosis, message = args
    state = "done" if passed else "attempted"
    _row(conn, learner, key, at)
    conn.execute(
        f"UPDATE gd_exercises SET attempts = attempts + 1, state = CASE WHEN {_rank('state')} "
        f"< {_rank('%s')} THEN %s ELSE state END, last_inputs = CASE WHEN inputs_at <= %s "
        "THEN %s ELSE last_inputs END, inputs_at = greatest(inputs_at, %s), "
        "updated = greatest(updated, %s) WHERE learner = %s AND key = %s",
        (state, state, at, text, at, at, learner, key))
    conn.execute(
        "INSERT INTO gd_attempts (learner, key, at, inputs, passed, diagnosis, message, hints) "
        "SELECT %s, %s, %s, %s, %s, %s, %s, hints_shown FROM gd_exercises "
        "WHERE learner = %s AND key = %s",
        (learner, key, at, text, bool(passed), diagnosis, message, learner, key))
    conn.execute(
        "DELETE FROM gd_attempts WHERE learner = %s AND key = %s AND id <= (SELECT id FROM "
        "gd_attempts WHERE learner = %s AND key = %s ORDER BY id DESC LIMIT 1 OFFSET %s)",
        (learner, key, learner, key, KEEP_PER_EXERCISE))


def _row(conn: Any, learner: str, key: str, at: float) -> None:
    conn.execute("INSERT INTO gd_exercises (learner, key, updated) VALUES (%s, %s, %s) "
                 "ON CONFLICT (learner, key) DO NOTHING", (learner, key, at))


def _fact(conn: Any, learner: str, name: str, value: str | None, at: float) -> None:
    """Set (None: clear) a fact unless a later write of it is already there."""
    conn.execute("INSERT INTO gd_facts (learner, name, value, at) VALUES (%s, %s, %s, %s) "
                 "ON CONFLICT (learner, name) DO UPDATE SET value = excluded.value, "
                 "at = excluded.at WHERE gd_facts.at <= excluded.at", (learner, name, value, at))


def _rank(column: str) -> str:
    return (f"(CASE {column} WHEN 'done' THEN 3 WHEN 'skipped' THEN 2 "
            f"WHEN 'attempted' THEN 1 ELSE 0 END)")


def _clean(value: Any) -> Any:
    """PostgreSQL text cannot hold NUL: keep it visible as U+FFFD instead of failing the write."""
    return value.replace("\x00", "\ufffd") if isinstance(value, str) else value
