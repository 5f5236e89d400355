"""Progress as JSON lines, to move learners between SQLite files and PostgreSQL, losing nothing.

The first line names the format and its version; every other line is one
record of one learner: a fact, an exercise (its stored inputs kept as the exact
text stored) or an attempt (oldest first). `dump` writes a learner from any
SQLite connection (a file, or an in-memory copy read from PostgreSQL), sorted,
so the same progress always gives the same file; `parse` reads a file back into
one in-memory store per learner, or raises `TransferError` naming the line.
`write_into` replaces a SQLite store's rows by a parsed learner's in one
transaction. Imports neither UI nor engine.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator
from typing import Any

from tutor.progress.database import connect
from tutor.progress.records import STATES

FORMAT = "gd-tutor-progress"
VERSION = 1
HEADER = {"format": FORMAT, "version": VERSION}

_FIELDS: dict[str, dict[str, tuple[type, ...]]] = {
    "fact": {"name": (str,), "value": (str,)},
    "exercise": {"key": (str,), "state": (str,), "attempts": (int,), "last_inputs": (str,),
                 "hints_shown": (int,), "updated": (int, float)},
    "attempt": {"key": (str,), "at": (int, float), "inputs": (str,), "passed": (bool,),
                "diagnosis": (str, type(None)), "message": (str,), "hints": (int,)},
}
_INSERT = {
    "fact": "INSERT INTO facts (name, value) VALUES (:name, :value)",
    "exercise": "INSERT INTO exercises (key, state, attempts, last_inputs, hints_shown, updated) "
                "VALUES (:key, :state, :attempts, :last_inputs, :hints_shown, :updated)",
    "attempt": "INSERT INTO attempts (key, at, inputs, passed, diagnosis, message, hints) "
               "VALUES (:key, :at, :inputs, :passed, :diagnosis, :message, :hints)",
}


class TransferError(Exception):
    """The file cannot be imported; the message is one sentence naming the line."""


def dump(learner: str, conn: sqlite3.Connection) -> Iterator[dict[str, Any]]:
    """Every record of one learner's store, in a stable order (facts, exercises, attempts)."""
    for name, value in conn.execute("SELECT name, value FROM facts WHERE value IS NOT NULL "
                                    "ORDER BY name"):
        yield {"learner": learner, "kind": "fact", "name": name, "value": value}
    for key, state, attempts, inputs, hints, updated in conn.execute(
            "SELECT key, state, attempts, last_inputs, hints_shown, updated FROM exercises "
            "ORDER BY key"):
        yield {"learner": learner, "kind": "exercise", "key": key, "state": state,
               "attempts": attempts, "last_inputs": inputs, "hints_shown": hints,
               "updated": updated}
    if conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'attempts'").fetchone():
        for key, at, inputs, passed, diagnosis, message, hints in conn.execute(
                "SELECT key, at, inputs, passed, diagnosis, message, hints FROM attempts "
                "ORDER BY id"):
            yield {"learner": learner, "kind": "attempt", "key": key, "at": at,
                   "inputs": inputs, "passed": bool(passed), "diagnosis": diagnosis,
                   "message": message, "hints": hints}


def lines(stores: Iterable[tuple[str, sqlite3.Connection]]) -> Iterator[str]:
    """The file's lines (without newlines): the header, then every learner's records."""
    yield json.dumps(HEADER)
    for learner, conn in stores:
        for item in dump(learner, conn):
            yield json.dumps(item, ensure_ascii=False)


def parse(text_lines: Iterable[str]) -> dict[str, sqlite3.Connection]:
    """One in-memory store per learner named in the file; TransferError names a bad line."""
    stores: dict[str, sqlite3.Connection] = {}
    number = 0
    for number, line in enumerate(text_lines, start=1):
        if number == 1:
            _header(line)
            continue
        if not line.strip():
            continue
        item = _record(line, number)
        learner = item.pop("learner")
        kind = item.pop("kind")
        conn = stores.setdefault(learner, connect(None))
        try:
            conn.execute(_INSERT[kind], {**item, "passed": int(item.get("passed", 0))})
        except sqlite3.IntegrityError:
            raise TransferError(f"Line {number} repeats a {kind} of learner {learner!r} "
                                "that an earlier line already gave.") from None
    if number == 0:
        raise TransferError("Line 1: the file is empty, not a gd-tutor progress export.")
    for conn in stores.values():
        conn.commit()
    return stores


def _header(line: str) -> None:
    try:
        head = json.loads(line)
    except ValueError:
        head = None
    if not isinstance(head, dict) or head.get("format") != FORMAT:
        raise TransferError(f"Line 1 is not a gd-tutor progress export's first line "
                            f"({json.dumps(HEADER)}).")
    if head.get("version") != VERSION:
        raise TransferError(f"Line 1: this export has format version {head.get('version')!r}; "
                            f"this gd-tutor reads version {VERSION}.")


def _record(line: str, number: int) -> dict[str, Any]:
    """One checked record: a JSON object with a learner, a known kind and its typed fields."""
    try:
        item = json.loads(line)
    except ValueError as exc:
        raise TransferError(f"Line {number} is not valid JSON ({exc.msg}).") from None
    if not isinstance(item, dict):
        raise TransferError(f"Line {number} is not a JSON object.")
    learner, kind = item.get("learner"), item.get("kind")
    if not isinstance(learner, str) or not learner.strip():
        raise TransferError(f"Line {number} has no learner name.")
    if kind not in _FIELDS:
        raise TransferError(f"Line {number} has kind {kind!r}; expected fact, exercise or "
                            "attempt.")
    fields = _FIELDS[kind]
    for name, types in fields.items():
        value = item.get(name, ...)
        if not isinstance(value, types) or (isinstance(value, bool) and bool not in types):
            raise TransferError(f"Line {number}: the {kind}'s {name!r} is missing or of the "
                                "wrong type.")
    if kind == "exercise" and item["state"] not in STATES:
        raise TransferError(f"Line {number}: state {item['state']!r} is not one of "
                            f"{', '.join(STATES)}.")
    return {"learner": learner, "kind": kind, **{name: item[name] for name in fields}}


def has_rows(conn: sqlite3.Connection) -> bool:
    """True when a store holds any exercise or any fact besides the last visit."""
    return conn.execute("SELECT EXISTS (SELECT 1 FROM exercises) OR EXISTS (SELECT 1 FROM "
                        "facts WHERE name != 'last_seen')").fetchone()[0] == 1


def write_into(target: sqlite3.Connection, source: sqlite3.Connection) -> None:
    """Make the SQLite store `target` hold exactly the rows of `source`, in one transaction."""
    with target:
        for table in ("attempts", "exercises", "facts"):
            target.execute(f"DELETE FROM {table}")
        target.executemany("INSERT INTO facts (name, value) VALUES (?, ?)",
                           source.execute("SELECT name, value FROM facts").fetchall())
        target.executemany(
            "INSERT INTO exercises (key, state, attempts, last_inputs, hints_shown, updated) "
            "VALUES (?, ?, ?, ?, ?, ?)", source.execute(
                "SELECT key, state, attempts, last_inputs, hints_shown, updated FROM exercises"
            ).fetchall())
        target.executemany(
            "INSERT INTO attempts (key, at, inputs, passed, diagnosis, message, hints) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)", source.execute(
                "SELECT key, at, inputs, passed, diagnosis, message, hints FROM attempts "
                "ORDER BY id").fetchall())
