"""A learner's progress in PostgreSQL: an in-memory copy to read, a queue of writes to replay.

`PostgresStore` is a `ProgressStore` whose SQLite connection is an in-memory copy
of the learner's rows, loaded at open (`pgread.load`). Every write is applied to
that copy at once (so the tutor shows it) and queued as data; one writer thread
replays the queue into PostgreSQL in order, each write in its own transaction
(`pgschema.apply`, whose conflict rule is documented there). If the server goes
away the writes wait in memory and land, in order, once it is back; after
`STALL_SECONDS` without landing `.saving` turns False, `.warning` says so and
`on_warning` is called (the header then says "not saved"); once the queue lands,
`.saving` is True again and `on_warning` is told that too. `close` waits up to
`CLOSE_SECONDS` for the queue. psycopg is imported only here, and this module
only when a postgresql:// URL is in force. Imports neither UI nor engine.
"""

from __future__ import annotations

import collections
import getpass
import os
import threading
import time
import uuid
from typing import Any

import psycopg

from tutor.progress import pgread, pgschema
from tutor.progress.database import connect
from tutor.progress.store import Op, ProgressStore

LEARNER_ENV = "GD_TUTOR_LEARNER"
CONNECT_TIMEOUT = 3
"""Seconds to wait for the server to answer a connection."""


def learner_name(given: str | None = None) -> str:
    """The learner whose rows this session uses: `given`, $GD_TUTOR_LEARNER, else the OS user."""
    name = (given or os.environ.get(LEARNER_ENV, "")).strip()
    if name:
        return name
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "learner"


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


class PostgresStore(ProgressStore):
    """One learner's progress in a PostgreSQL database shared by a class."""

    STALL_SECONDS = 5.0
    CLOSE_SECONDS = 5.0

    def __init__(self, url: str, learner: str, pg: psycopg.Connection[Any] | None,
                 warning: str | None, retry: bool = True) -> None:
        mirror = pgread.load(pg, [learner])[learner] if pg is not None else connect(None)
        super().__init__(mirror, None, warning)
        self.url, self.name = url, learner
        self.saving = pg is not None
        self._pg, self._loaded = pg, pg is not None
        self._queue: collections.deque[tuple[int, Op]] = collections.deque()
        self._cond = threading.Condition()
        self._session, self._seq = uuid.uuid4().hex, 0
        self._down_since: float | None = None if pg is not None else time.monotonic()
        self._stopping = False
        self._writer = threading.Thread(target=self._replay, daemon=True,
                                        name=f"gd-tutor-db-{learner}")
        if retry:
            self._writer.start()

    @classmethod
    def connect(cls, url: str, learner: str | None = None) -> PostgresStore:
        """Open the learner's progress in the database at `url`; never raises for a
        server that is down (the session starts empty, says so, and saves when it is back)."""
        name = learner_name(learner)
        try:
            return cls(url, name, open_connection(url), None)
        except pgschema.NewerSchema as exc:
            return cls(url, name, None, f"Progress is not being saved: {exc}.", retry=False)
        except psycopg.Error as exc:
            return cls(url, name, None, (
                f"Progress could not be loaded from the database ({reason(exc)}); what you "
                "do now is kept and saved when the database is back."))

    # ------------------------------------------------------------ the queue

    @property
    def pending(self) -> int:
        """Writes made here and not yet in the database."""
        with self._cond:
            return len(self._queue)

    def _written(self, op: Op) -> None:
        with self._cond:
            self._seq += 1
            self._queue.append((self._seq, op))
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

    def close(self) -> None:
        """Wait up to CLOSE_SECONDS for queued writes, stop the writer, close both connections."""
        landed = self.flush(self.CLOSE_SECONDS)
        with self._cond:
            self._stopping = True
            self._cond.notify_all()
        if self._writer.is_alive():
            self._writer.join(CONNECT_TIMEOUT + 2)
        if not landed and self.pending:
            self.warning = (f"{self.pending} change(s) could not be saved: the database "
                            "did not come back before the tutor closed.")
        if self._pg is not None:
            self._pg.close()
        super().close()

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
                self.failed_writes += 1
                self.warning = f"One change could not be saved ({reason(exc)})."
            backoff = 0.05
            with self._cond:
                if item is not None and self._queue and self._queue[0] is item:
                    self._queue.popleft()
                self._cond.notify_all()
                drained = not self._queue
            if drained:
                self._back()

    def _land(self, item: tuple[int, Op] | None) -> None:
        """Apply one queued write (or, with none, just reach the server) in one transaction."""
        if self._pg is None or self._pg.closed:
            self._pg = open_connection(self.url)
        if item is None:
            return
        seq, op = item
        with self._pg.transaction():
            if pgschema.first_time(self._pg, self._session, self.name, seq, float(op[-1])):
                pgschema.apply(self._pg, self.name, op)

    def _lost(self, exc: BaseException) -> None:
        """The server is away: drop the connection; after STALL_SECONDS say progress waits."""
        if self._pg is not None:
            self._pg.close()
            self._pg = None
        now = time.monotonic()
        if self._down_since is None:
            self._down_since = now
        if self.saving and now - self._down_since >= self.STALL_SECONDS:
            self.saving = False
            self.warning = (f"Progress is not being saved: the database is not answering "
                            f"({reason(exc)}); {self.pending} change(s) wait here and are "
                            "saved when it is back.")
            self._tell(self.warning)

    def _back(self) -> None:
        """Everything queued has landed: reload a copy never loaded, and say saving resumed."""
        self._down_since = None
        if not self._loaded and self._pg is not None:
            fresh = pgread.load(self._pg, [self.name])[self.name]
            with self._lock:
                old, self._conn, self._loaded = self._conn, fresh, True
                old.close()
        if not self.saving:
            self.saving = True
            self.warning = "Progress is being saved again: the database is back."
            self._tell(self.warning)

    def _tell(self, message: str) -> None:
        if self.on_warning is not None:
            self.on_warning(message)
