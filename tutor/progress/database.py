"""The SQLite file behind the progress store: open, verify the schema, move aside.

`connect` creates a fresh schema (versioned with PRAGMA user_version) or checks
that an existing file is ours and intact. Two failures are told apart, because
only one of them may touch the file:

- `StoreCorrupt`: SQLite says the file is not a database or is malformed, the
  integrity check fails, or a file with our schema version lacks our tables.
  `move_aside` then renames it (with its -wal/-shm companions) to
  `progress.db.corrupt-<timestamp>`, so nothing is lost and a fresh store starts.
- `StoreUnavailable`: everything else (permission denied, disk full, a folder in
  the way, a lock held too long, another program's or a newer schema). The file
  is left exactly as it is.

`connect_read_only` reads a store without writing or creating anything (the
class report, and a learner whose store cannot be written).

Schema versions: 1 had facts and exercises; 2 adds the attempt history
(`tutor.progress.history`). A version-1 store opened for writing gains the
table in one transaction (its rows are kept); read-only it is read as it is.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import quote

from tutor.progress import history

SCHEMA_VERSION = 2
READABLE_VERSIONS = (1, 2)
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
_CORRUPT_CODES = ("SQLITE_NOTADB", "SQLITE_CORRUPT")


class StoreUnreadable(Exception):
    """The store at the path cannot be used; `reason` says why in a few words."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class StoreCorrupt(StoreUnreadable):
    """The file is damaged: not a database, malformed, or our schema half there."""


class StoreUnavailable(StoreUnreadable):
    """The store cannot be opened or used now, but may be intact: leave it alone."""


def connect(path: Path | None) -> sqlite3.Connection:
    """Open and verify (or create) the schema; StoreCorrupt or StoreUnavailable if not."""
    _refuse_non_files(path)
    return _opened(lambda: sqlite3.connect(
        ":memory:" if path is None else str(path), timeout=10, check_same_thread=False,
        isolation_level="DEFERRED"), _prepare)


def connect_read_only(path: Path, *, immutable: bool | None = None) -> sqlite3.Connection:
    """Open an existing store for reading only; nothing is written or created beside it.

    With no -wal file (no tutor has it open) the file is opened immutable, so
    SQLite creates no -wal/-shm companions even where it could; otherwise the
    companions already exist and a plain read-only open uses them. `immutable`
    True forces the first way (what is still only in the -wal is then not seen).
    """
    if not (path.exists() or path.is_symlink()):
        raise StoreUnavailable("there is no progress file")
    _refuse_non_files(path)
    if immutable is None:
        immutable = not path.with_name(path.name + "-wal").exists()
    options = "mode=ro&immutable=1" if immutable else "mode=ro"
    uri = f"file:{quote(str(path.resolve()))}?{options}"
    return _opened(lambda: sqlite3.connect(uri, uri=True, timeout=10,
                                           check_same_thread=False), _verify)


def copy_to_memory(conn: sqlite3.Connection | None) -> sqlite3.Connection:
    """An in-memory store holding what `conn` holds (a fresh one if it cannot be read)."""
    memory = connect(None)
    if conn is not None:
        try:
            conn.backup(memory)
            _migrate(memory)
        except sqlite3.Error:
            memory.close()
            memory = connect(None)
    return memory


def is_corrupt(exc: BaseException) -> bool:
    """True when SQLite says the file is not a database or is malformed."""
    name = getattr(exc, "sqlite_errorname", "") or ""
    return name.startswith(_CORRUPT_CODES)


def _refuse_non_files(path: Path | None) -> None:
    if path is not None and path.exists() and not path.is_file():
        raise StoreUnavailable(f"{path} is a folder or a special file, not a progress file")


def _opened(opener: Callable[[], sqlite3.Connection],
            check: Callable[[sqlite3.Connection], None]) -> sqlite3.Connection:
    """Open with `opener()`, run `check(conn)`, and sort every failure into our two kinds."""
    conn = None
    try:
        conn = opener()
        check(conn)
        return conn
    except sqlite3.Error as exc:
        if conn is not None:
            conn.close()
        kind = StoreCorrupt if is_corrupt(exc) else StoreUnavailable
        raise kind(str(exc)) from None
    except OSError as exc:
        if conn is not None:
            conn.close()
        raise StoreUnavailable(exc.strerror or str(exc)) from None
    except BaseException:
        if conn is not None:
            conn.close()
        raise


def _prepare(conn: sqlite3.Connection) -> None:
    conn.execute("PRAGMA busy_timeout = 10000")
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    if version == 0 and not tables:
        conn.execute("PRAGMA journal_mode = WAL")
        with conn:
            conn.executescript("BEGIN;" + _SCHEMA + history.TABLE
                               + f"PRAGMA user_version = {SCHEMA_VERSION};COMMIT;")
        return
    _verify(conn)
    conn.execute("PRAGMA journal_mode = WAL")
    _migrate(conn)


def _migrate(conn: sqlite3.Connection) -> None:
    """Bring a version-1 store to version 2 (add the attempts table) in one transaction."""
    if conn.execute("PRAGMA user_version").fetchone()[0] >= SCHEMA_VERSION:
        return
    with conn:
        conn.executescript("BEGIN;" + history.TABLE
                           + f"PRAGMA user_version = {SCHEMA_VERSION};COMMIT;")


def _verify(conn: sqlite3.Connection) -> None:
    """Check an existing store: ours, complete and intact (reads only)."""
    conn.execute("PRAGMA busy_timeout = 10000")
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    if version not in READABLE_VERSIONS:
        raise StoreUnavailable(f"it was written by another program or another version of "
                               f"gd-tutor (schema version {version})")
    needed = {"facts", "exercises"} | ({"attempts"} if version >= 2 else set())
    if not needed <= tables:
        raise StoreCorrupt(f"its tables are missing (it has {sorted(tables)})")
    columns = {row[1] for row in conn.execute("PRAGMA table_info(exercises)")}
    if not _COLUMNS <= columns:
        raise StoreCorrupt("the exercises table lacks columns")
    if conn.execute("PRAGMA quick_check").fetchone()[0] != "ok":
        raise StoreCorrupt("SQLite's integrity check failed")


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
