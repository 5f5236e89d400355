"""The SQLite file behind the progress store: open, verify the schema, move aside.

`connect` creates a fresh schema (versioned with PRAGMA user_version) or checks
that an existing file is ours and intact; anything else raises
`StoreUnreadable`, and `move_aside` renames the file (with its -wal/-shm
companions) to `progress.db.corrupt-<timestamp>` so nothing is lost.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime, timezone
from pathlib import Path

SCHEMA_VERSION = 1
DB_NAME = "progress.db"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS facts (name TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS exercises (
    key TEXT PRIMARY KEY,
    state TEXT NOT NULL DEFAULT 'new',
    attempts INTEGER NOT NULL DEFAULT 0,
    last_inputs TEXT NOT NULL DEFAULT '{}',
    hints_shown INTEGER NOT NULL DEFAULT 0,
    updated REAL NOT NULL
);
"""
_COLUMNS = {"key", "state", "attempts", "last_inputs", "hints_shown", "updated"}


class StoreUnreadable(Exception):
    """The file at the store's path is not a progress store we can use."""


def connect(path: Path | None) -> sqlite3.Connection:
    """Open and verify (or create) the schema; raise StoreUnreadable if it is not ours."""
    if path is not None and path.exists() and not path.is_file():
        raise StoreUnreadable(f"{path} is not a file")
    conn = sqlite3.connect(":memory:" if path is None else str(path), timeout=10,
                           check_same_thread=False, isolation_level="DEFERRED")
    try:
        _prepare(conn)
    except BaseException:
        conn.close()
        raise
    return conn


def _prepare(conn: sqlite3.Connection) -> None:
    conn.execute("PRAGMA busy_timeout = 10000")
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    if version == 0 and not tables:
        conn.execute("PRAGMA journal_mode = WAL")
        with conn:
            conn.executescript("BEGIN;" + _SCHEMA + f"PRAGMA user_version = {SCHEMA_VERSION};"
                               "COMMIT;")
        return
    if version != SCHEMA_VERSION or not {"facts", "exercises"} <= tables:
        raise StoreUnreadable(f"schema version {version}, tables {sorted(tables)}")
    columns = {row[1] for row in conn.execute("PRAGMA table_info(exercises)")}
    if not _COLUMNS <= columns:
        raise StoreUnreadable("the exercises table lacks columns")
    conn.execute("PRAGMA journal_mode = WAL")
    if conn.execute("PRAGMA quick_check").fetchone()[0] != "ok":
        raise StoreUnreadable("quick_check failed")


def move_aside(path: Path) -> Path | None:
    """Rename the store (and its -wal/-shm files) to `progress.db.corrupt-<timestamp>`."""
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    aside = path.with_name(f"{path.name}.corrupt-{stamp}")
    n = 1
    while aside.exists():
        n += 1
        aside = path.with_name(f"{path.name}.corrupt-{stamp}-{n}")
    try:
        if path.exists() or path.is_symlink():
            path.rename(aside)
        for suffix in ("-wal", "-shm", "-journal"):
            extra = path.with_name(path.name + suffix)
            if extra.exists():
                extra.rename(aside.with_name(aside.name + suffix))
    except OSError:
        return None
    return aside
