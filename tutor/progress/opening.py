"""Opening a learner's store: which failures move it aside and which leave it alone.

Only a damaged store (`StoreCorrupt`) is renamed aside for a fresh one. A store
that cannot be opened for writing (`StoreUnavailable`: permission denied, disk
full, a folder in the way, a newer schema) is left exactly as it is; the session
then runs in memory, from a read-only copy of it when it can be read, and the
warning starts with "Progress is not being saved".
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from tutor.progress.database import (
    DB_NAME, StoreCorrupt, StoreUnavailable, StoreUnreadable, connect, connect_read_only,
    copy_to_memory, move_aside,
)

Opened = tuple[sqlite3.Connection, Path | None, str | None]


def open_connection(folder: Path) -> Opened:
    """(connection, path it saves to or None, warning or None) for the store in `folder`."""
    path = folder / DB_NAME
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        return _in_memory(f"Progress is not being saved: the folder {folder} cannot be "
                          f"created ({exc.strerror}); this session is not remembered.")
    try:
        return connect(path), path, None
    except StoreCorrupt:
        return _after_corruption(path)
    except StoreUnavailable as exc:
        return _kept(path, exc)


def _after_corruption(path: Path) -> Opened:
    """Move the damaged store aside and start a fresh one in its place."""
    aside = move_aside(path)
    if aside is None:
        return _in_memory(f"Progress is not being saved: {path} is damaged and cannot be "
                          "moved aside; this session is not remembered.")
    warning = (f"Your progress file could not be read, so it was moved to {aside} "
               "and a fresh one was started.")
    try:
        return connect(path), path, warning
    except StoreUnreadable:
        return _in_memory(warning + " Progress is not being saved: the fresh one cannot be "
                          "written either.")


def _kept(path: Path, problem: StoreUnreadable) -> Opened:
    """A store that cannot be opened for writing: read what it holds, write nothing."""
    source = _read_only(path)
    try:
        memory = copy_to_memory(source)
    finally:
        if source is not None:
            source.close()
    if source is None:
        return memory, None, (f"Progress is not being saved: {path} cannot be opened "
                              f"({problem.reason}), so it is left as it is; this session is "
                              "not remembered.")
    return memory, None, (f"Progress is not being saved: {path} cannot be opened for writing "
                          f"({problem.reason}), so it is left as it is; this session starts "
                          "from it and is not remembered.")


def _read_only(path: Path) -> sqlite3.Connection | None:
    """The store opened read-only, else as an immutable file (a broken -shm beside it, as
    a full disk leaves, stops the first way), else None."""
    for immutable in (None, True):
        try:
            return connect_read_only(path, immutable=immutable)
        except StoreUnreadable:
            continue
    return None


def _in_memory(warning: str) -> Opened:
    return connect(None), None, warning
