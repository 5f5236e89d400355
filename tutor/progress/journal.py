"""Writes not yet in PostgreSQL, also kept on local disk, so a tutor killed while the
database is away loses none of them.

Each session appends its queued writes to `<data dir>/pending-<session>.jsonl`
(one JSON line per write: session, number, learner, the write) and holds an
exclusive lock on that file while it runs; once its queue has landed the file
is emptied, and at a clean close it is removed. A later session of the same
learner in the same data folder takes every such file nobody holds (`adopt`)
and replays it first: writes carry their session and number, so one that had
landed after all is applied once. Imports neither UI nor engine.
"""

from __future__ import annotations

import fcntl
import json
import os
from pathlib import Path
from typing import IO, Any

Entry = tuple[str, int, tuple[Any, ...]]
"""(session, write number, write) as queued by `tutor.progress.postgres`."""


class Journal:
    """One session's file of writes not yet in the database (created on first use)."""

    def __init__(self, folder: Path, session: str, learner: str) -> None:
        self.path = folder / f"pending-{session}.jsonl"
        self.learner = learner
        self._file: IO[str] | None = None
        self.broken = False

    def append(self, entry: Entry) -> None:
        """Add one write (flushed to the OS, so a killed process keeps it)."""
        try:
            if self._file is None:
                self._file = _locked(self.path)
            session, seq, op = entry
            self._file.write(json.dumps({"session": session, "seq": seq,
                                         "learner": self.learner, "op": list(op)}) + "\n")
            self._file.flush()
        except OSError:
            self.broken = True  # the queue in memory still holds the write

    def clear(self) -> None:
        """Everything written so far has landed."""
        if self._file is not None:
            try:
                self._file.truncate(0)
                self._file.seek(0)
            except OSError:
                self.broken = True

    def close(self, landed: bool) -> None:
        """Release the file; remove it when everything landed, else leave it for next time."""
        if self._file is None:
            return
        self._file.close()
        self._file = None
        if landed:
            try:
                self.path.unlink()
            except OSError:
                pass


def adopt(folder: Path, learner: str) -> tuple[list[Entry], list[Path]]:
    """Entries of this learner left by sessions that ended before their writes landed, oldest
    session file first, and the files (remove them once the entries are safe elsewhere)."""
    entries: list[Entry] = []
    taken: list[Path] = []
    try:
        files = sorted(folder.glob("pending-*.jsonl"), key=lambda p: p.stat().st_mtime)
    except OSError:
        return [], []
    for path in files:
        try:
            handle = _locked(path)
        except OSError:
            continue  # a live session holds it
        with handle:
            handle.seek(0)
            found = [_entry(line) for line in handle.read().splitlines()]
        mine = [e for e in found if e is not None and e[0] == learner]
        entries.extend(e[1] for e in mine)
        if len(mine) == sum(e is not None for e in found):
            taken.append(path)
    return entries, taken


def _entry(line: str) -> tuple[str, Entry] | None:
    """(learner, entry) from one line, None for a line cut short by a kill."""
    try:
        item = json.loads(line)
        return str(item["learner"]), (str(item["session"]), int(item["seq"]), tuple(item["op"]))
    except (ValueError, KeyError, TypeError):
        return None


def _locked(path: Path) -> IO[str]:
    """Open `path` for appending with an exclusive lock, or raise OSError if it is held."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_APPEND, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(fd)
        raise
    return os.fdopen(fd, "a+", encoding="utf-8")
