"""A learner's progress in PostgreSQL: an in-memory copy to read, a queue of writes to replay.

With a database URL, `ProgressStore.open` runs on an in-memory SQLite copy of
the learner's rows, loaded at open (`pgread.load`), and hands every write it
applies there (so the tutor shows it at once) to a `PostgresReplica` as data.
One writer thread replays that queue into PostgreSQL in order, each write in
its own transaction (`pgschema.apply`, whose conflict rule is documented there).
If the server goes away the writes wait in memory and land, in order, once it
is back; after `STALL_SECONDS` without landing the store's `.saving` turns
False and its `on_warning` is told (the header then says "not saved"); once
the queue has landed, `.saving` is True again and `on_warning` hears that too.
The queue is also journaled on disk (`tutor.progress.journal`), so writes a
session could not land before it closed (it waits up to `CLOSE_SECONDS`) or
was killed are sent by the learner's next session in the same data folder. psycopg is imported only
here, and this module only when a postgresql:// URL is in force. Imports
neither UI nor engine (nor the store: the store imports this, lazily).
"""

from __future__ import annotations

import collections
import sqlite3
import threading
import time
import uuid
from pathlib import Path
from typing import Any, Protocol

import psycopg

from tutor.progress import journal, pgread, pgschema
from tutor.progress.database import connect
from tutor.progress.records import learner_name

Op = tuple[Any, ...]

CONNECT_TIMEOUT = 3
"""Seconds to wait for the server to answer a connection."""


def open_connection(url: str) -> psycopg.Connection[Any]:
    """An autocommit connection with short timeouts (the schema is migrated on first use)."""
    conn = psycopg.connect(url, autocommit=True, connect_timeout=CONNECT_TIMEOUT,
                           options="-c statement_timeout=15000")
    try:
        pgschema.migrate(conn)
    except BaseException:
        conn.close()
        raise
    return conn


def reason(exc: BaseException) -> str:
    """The first line of a database error, for a one-sentence message."""
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


class Host(Protocol):
    """What the replica needs of its store (a `ProgressStore`)."""

    saving: bool

    def replace_connection(self, conn: sqlite3.Connection) -> None: ...

    def report(self, saving: bool, message: str) -> None: ...

    def count_failed(self, message: str) -> None: ...


def open_replica(url: str, learner: str | None = None, folder: Path | None = None
                 ) -> tuple[sqlite3.Connection, str | None, PostgresReplica]:
    """(in-memory copy, warning or None, replica) for the learner's progress at `url`.

    Writes an earlier session in `folder` left unsaved (`journal.adopt`) land first.
    Never raises for a server that is down: the copy starts empty, the warning says
    so, and the replica loads and saves once the server answers.
    """
    name = learner_name(learner)
    left, files = journal.adopt(folder, name) if folder is not None else ([], [])
    pg = None
    try:
        pg = open_connection(url)
        _replay_left(pg, name, left)
        left = []
        mirror = pgread.load(pg, [name])[name]
    except pgschema.NewerSchema as exc:
        return connect(None), f"Progress is not being saved: {exc}.", PostgresReplica(
            url, name, None, retry=False)
    except psycopg.Error as exc:
        if pg is not None:
            pg.close()
        replica = PostgresReplica(url, name, None, folder=folder)
        replica.requeue(left)
        _remove(files)
        return connect(None), (
            f"Progress could not be loaded from the database ({reason(exc)}); what you "
            "do now is kept and saved when the database is back."), replica
    _remove(files)
    return mirror, None, PostgresReplica(url, name, pg, folder=folder)


def _replay_left(pg: psycopg.Connection[Any], name: str, left: list[journal.Entry]) -> None:
    """Land an earlier session's journaled writes, each once (their own session numbers)."""
    for session, seq, op in left:
        with pg.transaction():
            if pgschema.first_time(pg, session, name, seq, float(op[-1])):
                pgschema.apply(pg, name, op)


def _remove(files: list[Path]) -> None:
    """Remove adopted journals (their writes have landed or are queued and journaled anew)."""
    for path in files:
        try:
            path.unlink()
        except OSError:
            pass


class PostgresReplica:
    """Replays one session's writes into the learner's rows in PostgreSQL, in order."""

    STALL_SECONDS = 5.0
    CLOSE_SECONDS = 2.0

    def __init__(self, url: str, learner: str, pg: psycopg.Connection[Any] | None,
                 retry: bool = True, folder: Path | None = None) -> None:
        self.url, self.name = url, learner
        self.connected = pg is not None
        self._pg, self._loaded, self._retry = pg, pg is not None, retry
        self._host: Host | None = None
        self._queue: collections.deque[journal.Entry] = collections.deque()
        self._cond = threading.Condition()
        self._session, self._seq = uuid.uuid4().hex, 0
        self._journal = (journal.Journal(folder, self._session, learner)
                         if folder is not None and retry else None)
        self._down_since: float | None = None if pg is not None else time.monotonic()
        self._stopping = False
        self._writer = threading.Thread(target=self._replay, daemon=True,
                                        name=f"gd-tutor-db-{learner}")

    def attach(self, host: Host) -> None:
        """Start replaying for `host` (the store whose writes these are)."""
        self._host = host
        if self._retry:
            self._writer.start()

    @property
    def pending(self) -> int:
        """Writes made here and not yet in the database."""
        with self._cond:
            return len(self._queue)

    def push(self, op: Op) -> None:
        """Queue one write (its time last) for the database, and journal it on disk."""
        with self._cond:
            self._seq += 1
            self._queue_entry((self._session, self._seq, op))

    def requeue(self, entries: list[journal.Entry]) -> None:
        """Queue writes an earlier session left unsaved (before any of this session's)."""
        with self._cond:
            for entry in entries:
                self._queue_entry(entry)

    def _queue_entry(self, entry: journal.Entry) -> None:
        self._queue.append(entry)
        if self._journal is not None:
            self._journal.append(entry)
        self._cond.notify_all()

    def flush(self, timeout: float) -> bool:
        """Wait (at most `timeout` s) until every write made so far is in the database."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while self._queue:
                left = deadline - time.monotonic()
                if left <= 0 or not self._writer.is_alive():
                    return False
                self._cond.wait(left)
        return True

    def close(self) -> str | None:
        """Wait up to CLOSE_SECONDS for the queue, stop; a warning if writes were left."""
        landed = self.flush(self.CLOSE_SECONDS)
        with self._cond:
            self._stopping = True
            self._cond.notify_all()
        if self._writer.is_alive():
            self._writer.join(CONNECT_TIMEOUT + 2)
        if self._pg is not None:
            self._pg.close()
        left = self.pending
        if self._journal is not None:
            self._journal.close(landed=not left)
        if landed or not left:
            return None
        kept = self._journal is not None and not self._journal.broken
        return (f"{left} change(s) could not be saved yet: the database did not come back "
                "before the tutor closed" + (f"; they are kept in {self._journal.path} and "
                                             "saved the next time you start." if kept else "."))

    def _replay(self) -> None:
        """The writer thread: replay queued writes in order; retry while the server is away."""
        backoff = 0.05
        while True:
            with self._cond:
                while not self._queue and not self._stopping and self._loaded:
                    self._cond.wait()
                if self._stopping:
                    return
                item = self._queue[0] if self._queue else None
            try:
                self._land(item)
            except (psycopg.OperationalError, psycopg.InterfaceError) as exc:
                self._lost(exc)
                with self._cond:
                    self._cond.wait(backoff)
                backoff = min(backoff * 2, 1.0)
                continue
            except pgschema.NewerSchema as exc:  # another gd-tutor upgraded it: stop here
                self._down_since = float("-inf")  # say so at once
                self._lost(exc)
                return
            except psycopg.Error as exc:  # this write cannot be stored: keep the rest going
                if self._host is not None:
                    self._host.count_failed(f"One change could not be saved ({reason(exc)}).")
            backoff = 0.05
            with self._cond:
                if item is not None and self._queue and self._queue[0] is item:
                    self._queue.popleft()
                self._cond.notify_all()
                drained = not self._queue
                if drained and self._journal is not None:
                    self._journal.clear()
            if drained:
                self._back()

    def _land(self, item: journal.Entry | None) -> None:
        """Apply one queued write (or, with none, just reach the server) in one transaction."""
        if self._pg is None or self._pg.closed:
            self._pg = open_connection(self.url)
        if item is None:
            return
        session, seq, op = item
        with self._pg.transaction():
            if pgschema.first_time(self._pg, session, self.name, seq, float(op[-1])):
                pgschema.apply(self._pg, self.name, op)

    def _lost(self, exc: BaseException) -> None:
        """The server is away: drop the connection; after STALL_SECONDS say progress waits."""
        if self._pg is not None:
            self._pg.close()
            self._pg = None
        now = time.monotonic()
        if self._down_since is None:
            self._down_since = now
        host = self._host
        if host is not None and host.saving and now - self._down_since >= self.STALL_SECONDS:
            host.report(False, f"Progress is not being saved: the database is not answering "
                               f"({reason(exc)}); {self.pending} change(s) wait here and are "
                               "saved when it is back.")

    def _back(self) -> None:
        """Everything queued has landed: load a copy never loaded, and say saving resumed."""
        self._down_since = None
        host = self._host
        if host is None:
            return
        if not self._loaded and self._pg is not None:
            host.replace_connection(pgread.load(self._pg, [self.name])[self.name])
            self._loaded = True
        if not host.saving:
            host.report(True, "Progress is being saved again: the database is back.")


def read_class(url: str, names: list[str] | None = None) -> dict[str, sqlite3.Connection]:
    """Every learner's progress (or `names`' only) as in-memory SQLite copies, read at one moment.

    The connection is read-only and takes no lock a learner's write waits on; the
    schema is not migrated (a reader changes nothing). Raises StoreUnavailable
    with a short reason when the database cannot be read.
    """
    from tutor.progress.database import StoreUnavailable

    try:
        with psycopg.connect(url, autocommit=True, connect_timeout=CONNECT_TIMEOUT,
                             options="-c default_transaction_read_only=on") as pg:
            if pgschema.schema_version(pg) < 2:
                return {}
            mirrors = pgread.load(pg, names)
    except psycopg.Error as exc:
        raise StoreUnavailable(f"the database cannot be read: {reason(exc)}") from None
    return dict(sorted(mirrors.items()))
