"""The learner's progress, kept in SQLite so it survives a kill mid-write (or in PostgreSQL).

`<data dir>/progress.db` holds the current lesson, one row per exercise key
(`lesson-slug/exercise-id`) and a few facts (learner name, last seen). Every
write is one transaction. A damaged store (not a database, malformed) is renamed
aside, `.warning` says where, and a fresh store starts. A store that cannot be
opened or written (permission denied, disk full, a folder in the way) is left
untouched: the session goes on in memory from a copy of it when it can be read,
`.saving` turns False, `.warning` says so and `on_warning` is called once.
Never a crash, never silent loss. With a database URL (`--database`,
$GD_TUTOR_DATABASE) the same store runs on an in-memory copy of the learner's
rows and a replica writes each change to PostgreSQL (`tutor.progress.postgres`).
Imports neither UI nor engine.
"""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from collections.abc import Callable, Mapping
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

from tutor.progress import history
from tutor.progress.database import DB_NAME, connect, connect_read_only, copy_to_memory
from tutor.progress.opening import open_connection
from tutor.progress.records import (  # some re-exported for callers of the store
    DATABASE_ENV, STATES, ExerciseRecord, Op, Replica, database_url, default_data_dir, dumps, rank,
    record, stamp,
)

__all__ = ["DATABASE_ENV", "DB_NAME", "STATES", "ExerciseRecord", "Op", "ProgressStore", "Replica",
           "database_url", "default_data_dir"]
T = TypeVar("T")


def _made(folder: Path) -> Path | None:
    """`folder`, created if needed, or None when it cannot be."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return folder


class ProgressStore:
    """One learner's progress in one SQLite file; open it with `ProgressStore.open()`."""

    def __init__(self, conn: sqlite3.Connection, path: Path | None, warning: str | None,
                 replica: Replica | None = None) -> None:
        self._conn = conn
        self._lock = threading.RLock()
        self._closed = False
        self.path = path
        self.warning = warning
        self.replica = replica
        """With a database: what replays each write there (`tutor.progress.postgres`)."""
        self.saving = path is not None or (replica is not None and replica.connected)
        self.failed_writes = 0
        self.on_warning: Callable[[str], object] | None = None
        """Called (from a writing thread) when saving stops mid-session, and, with a
        database, when it starts again."""
        if replica is not None:
            replica.attach(self)

    # ------------------------------------------------------------ opening

    @classmethod
    def open(cls, data_dir: str | os.PathLike[str] | None = None, *,
             database: str | None = None, learner: str | None = None) -> ProgressStore:
        """Open (or create) the store in `data_dir`, or in PostgreSQL when a database URL
        is given (`database`, else $GD_TUTOR_DATABASE; psycopg is imported only then).

        A damaged store is moved aside and a fresh one starts; one that cannot be
        opened is left as it is and the session runs in memory (`.saving` False).
        """
        url = database_url(database)
        if url is not None:
            try:
                from tutor.progress.postgres import open_replica
            except ImportError:
                return cls(connect(None), None, (
                    "Progress is not being saved: keeping it in PostgreSQL needs psycopg "
                    "(pip install 'gd-tutor[postgresql]'); this session is not remembered."))
            folder = Path(data_dir) if data_dir is not None else default_data_dir()
            conn, warning, replica = open_replica(url, learner, _made(folder))
            return cls(conn, None, warning, replica)
        folder = Path(data_dir) if data_dir is not None else default_data_dir()
        return cls(*open_connection(folder))

    @classmethod
    def open_read_only(cls, data_dir: str | os.PathLike[str]) -> ProgressStore:
        """The store in `data_dir` for reading only: nothing is written, moved or created.

        Raises StoreUnreadable (StoreCorrupt or StoreUnavailable) with a short reason.
        """
        return cls.read_only_over(connect_read_only(Path(data_dir) / DB_NAME))

    @classmethod
    def read_only_over(cls, conn: sqlite3.Connection) -> ProgressStore:
        """A store reading `conn` that refuses every write (quietly, as a closed store)."""
        store = cls(conn, None, None)
        store._closed = True  # any write is refused quietly
        return store

    def close(self) -> None:
        """Close the database connection (with a database, after its writes land, if they can)."""
        if self.replica is not None:
            self.warning = self.replica.close() or self.warning
        with self._lock:
            self._closed = True
            self._conn.close()

    @property
    def pending(self) -> int:
        """Writes not yet in the database (always 0 for a SQLite file: they are there)."""
        return 0 if self.replica is None else self.replica.pending

    def flush(self, timeout: float = 10.0) -> bool:
        """Wait (at most `timeout` s) until every write so far is saved; True if it is."""
        return self.replica is None or self.replica.flush(timeout)

    # ------------------------------------------------------------ for the replica

    def replace_connection(self, conn: sqlite3.Connection) -> None:
        """Read from `conn` from now on (a copy loaded once the database answered)."""
        with self._lock:
            old, self._conn = self._conn, conn
            old.close()

    def report(self, saving: bool, message: str) -> None:
        """Saving stopped or started again: remember it and tell `on_warning`."""
        self.saving, self.warning = saving, message
        if self.on_warning is not None:
            self.on_warning(message)

    def count_failed(self, message: str) -> None:
        """One write could not be saved (and was dropped so the others could be)."""
        self.failed_writes += 1
        self.warning = message

    def __enter__(self) -> ProgressStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _write(self, change: Callable[[sqlite3.Connection], T], fallback: T,
               op: Op = ("touch",)) -> T:
        """Apply `change` in one transaction that also stamps `last_seen`.

        If SQLite refuses (disk full, file removed or made read-only), the
        transaction is rolled back, the store file is left as it is and the
        session carries on in memory (`_stop_saving`), so the learner still
        sees what they did. A closed store counts the write as failed. `op` is
        the same write as data, handed to `_written` once it is applied here.
        """
        with self._lock:
            if self._closed:
                self.failed_writes += 1
                self.warning = "Your progress could not be saved (the store is closed)."
                return fallback
            now = time.time()
            try:
                outcome = self._apply(change, now)
            except sqlite3.Error as exc:
                self.failed_writes += 1
                self._stop_saving(exc)
                try:
                    outcome = self._apply(change, now)
                except sqlite3.Error:
                    return fallback
            self._written((*op, now))
            return outcome

    def _written(self, op: Op) -> None:
        """`op` (its time appended) was applied here: pass it on to the database, if any."""
        if self.replica is not None:
            self.replica.push(op)

    def _apply(self, change: Callable[[sqlite3.Connection], T], now: float) -> T:
        with self._conn:
            outcome = change(self._conn)
            self._set_fact("last_seen", repr(now))
        return outcome

    def _stop_saving(self, exc: sqlite3.Error) -> None:
        """Go on in memory from a copy of the store; say so once."""
        if not self.saving:
            return
        memory = copy_to_memory(self._conn)
        self._conn.close()
        self._conn, self.saving = memory, False
        self.warning = (f"Progress is not being saved ({exc}); what you do now is kept until "
                        f"you quit, and {self.path} is left as it was.")
        self.path = None
        if self.on_warning is not None:
            self.on_warning(self.warning)

    def _set_fact(self, name: str, value: str | None) -> None:
        if value is None:
            self._conn.execute("DELETE FROM facts WHERE name = ?", (name,))
        else:
            self._conn.execute("INSERT INTO facts(name, value) VALUES(?, ?) "
                               "ON CONFLICT(name) DO UPDATE SET value = excluded.value",
                               (name, value))

    def _fact(self, name: str) -> str | None:
        with self._lock:
            row = self._conn.execute("SELECT value FROM facts WHERE name = ?", (name,)).fetchone()
        return None if row is None else row[0]

    # ------------------------------------------------------------ facts

    def current_lesson(self) -> str | None:
        """The slug of the lesson the learner is on, or None."""
        return self._fact("current_lesson")

    def set_current_lesson(self, slug: str | None) -> None:
        """Remember the lesson the learner is on."""
        self._write(lambda conn: self._set_fact("current_lesson", slug), None,
                    ("fact", "current_lesson", slug))

    def place(self) -> str | None:
        """Where the learner's cursor was (`lesson/exercise#field`), for resuming there."""
        return self._fact("place")

    def set_place(self, place: str | None) -> None:
        """Remember where the learner's cursor is (None forgets it)."""
        self._write(lambda conn: self._set_fact("place", place), None, ("fact", "place", place))

    def learner(self) -> str | None:
        """The learner's name, if one was set (serve sets it from GD_TUTOR_LEARNER)."""
        return self._fact("learner")

    def set_learner(self, name: str | None) -> None:
        """Remember the learner's name."""
        self._write(lambda conn: self._set_fact("learner", name), None, ("fact", "learner", name))

    def last_seen(self) -> datetime | None:
        """When this store was last written (UTC), or None if never."""
        value = self._fact("last_seen")
        return stamp(float(value)) if value else None

    def touch(self) -> None:
        """Stamp `last_seen` without changing anything else (the app calls it on start)."""
        self._write(lambda conn: None, None)

    # ------------------------------------------------------------ exercises

    def exercise(self, key: str) -> ExerciseRecord:
        """The record for `lesson-slug/exercise-id` (state "new" if never touched)."""
        with self._lock:
            row = self._conn.execute(
                "SELECT state, attempts, last_inputs, hints_shown, updated FROM exercises "
                "WHERE key = ?", (key,)).fetchone()
        return ExerciseRecord() if row is None else record(row)

    def exercises(self) -> dict[str, ExerciseRecord]:
        """Every exercise with a record, by key."""
        with self._lock:
            rows = self._conn.execute(
                "SELECT key, state, attempts, last_inputs, hints_shown, updated FROM exercises "
                "ORDER BY key").fetchall()
        return {row[0]: record(row[1:]) for row in rows}

    def _update(self, key: str, assignments: str, values: tuple[Any, ...], op: Op) -> None:
        """Create the exercise's row if needed, then `SET assignments, updated` in one write."""
        def change(conn: sqlite3.Connection) -> None:
            now = time.time()
            conn.execute("INSERT OR IGNORE INTO exercises(key, updated) VALUES(?, ?)", (key, now))
            conn.execute(f"UPDATE exercises SET {assignments}, updated = ? WHERE key = ?",
                         (*values, now, key))

        self._write(change, None, op)

    def record_attempt(self, key: str, inputs: Mapping[str, Any], passed: bool,
                       diagnosis: str | None = None, message: str = "") -> None:
        """Count an attempt, keep its inputs and append it to the history, in one transaction;
        a pass marks the exercise done."""
        state = "done" if passed else "attempted"
        text = dumps(inputs)

        def change(conn: sqlite3.Connection) -> None:
            now = time.time()
            conn.execute("INSERT OR IGNORE INTO exercises(key, updated) VALUES(?, ?)", (key, now))
            conn.execute("UPDATE exercises SET attempts = attempts + 1, last_inputs = ?, state = "
                         f"CASE WHEN {rank('state')} < {rank('?')} THEN ? ELSE state END, "
                         "updated = ? WHERE key = ?", (text, state, state, now, key))
            history.append(conn, key, text, passed, diagnosis, message, now)

        self._write(change, None,
                    ("attempt", key, text, bool(passed), diagnosis, str(message or "")))

    def attempt_history(self, key: str | None = None) -> list[history.Attempt]:
        """Judged attempts oldest first (the last 200 per exercise), of `key` or of all."""
        with self._lock:
            return history.read(self._conn, key)

    def mark_skipped(self, key: str) -> None:
        """Record a skip (a done exercise stays done; a later pass turns skipped into done)."""
        self._update(key, "state = CASE state WHEN 'done' THEN 'done' ELSE 'skipped' END", (),
                     ("skip", key))

    def save_inputs(self, key: str, inputs: Mapping[str, Any]) -> None:
        """Keep what the learner typed without counting an attempt."""
        text = dumps(inputs)
        self._update(key, "last_inputs = ?", (text,), ("inputs", key, text))

    def set_hints_shown(self, key: str, count: int) -> None:
        """Remember how many hints the learner has opened for this exercise."""
        count = max(0, int(count))
        self._update(key, "hints_shown = ?", (count,), ("hints", key, count))

    def completed(self) -> list[str]:
        """Keys of exercises passed, sorted."""
        return self._keys("done")

    def skipped(self) -> list[str]:
        """Keys of exercises skipped and not yet passed, sorted."""
        return self._keys("skipped")

    def attempts(self) -> dict[str, int]:
        """Attempts per exercise key (only keys with at least one attempt)."""
        with self._lock:
            rows = self._conn.execute("SELECT key, attempts FROM exercises WHERE attempts > 0 "
                                      "ORDER BY key").fetchall()
        return dict(rows)

    def _keys(self, state: str) -> list[str]:
        with self._lock:
            rows = self._conn.execute("SELECT key FROM exercises WHERE state = ? ORDER BY key",
                                      (state,)).fetchall()
        return [row[0] for row in rows]

    def reset(self) -> int:
        """Forget all exercises, their attempt history and the current lesson (the name stays).

        Returns how many exercise records were forgotten.
        """
        def forget(conn: sqlite3.Connection) -> int:
            self._set_fact("current_lesson", None)
            self._set_fact("place", None)
            if history.has_table(conn):
                conn.execute("DELETE FROM attempts")
            return conn.execute("DELETE FROM exercises").rowcount

        return self._write(forget, 0, ("reset",))
