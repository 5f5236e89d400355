"""The class server's limits: connections before login, per learner, open files, and the log.

Like OpenSSH's MaxStartups and PerSourceMaxStartups, connections that have not
logged in yet are capped in total and per source address, and each has a login
grace time. When the total is reached a newcomer pushes out the oldest pending
connection of the busiest address (unless its own address would then be the
busiest), so neither one noisy address nor many quiet ones keep a learner out
for longer than it takes them to refill the queue. What the caps turn away is summarised in
the log at most once a minute.
"""

from __future__ import annotations

import asyncio
import os
import resource
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import asyncssh


@dataclass(frozen=True)
class Limits:
    """Every bound the class server keeps (the README lists them and how to raise them)."""

    max_startups: int = 128  # connections not yet logged in, in total
    per_source: int = 32  # ... and from one address (a classroom behind NAT shares one)
    login_grace: float = 60.0  # seconds to log in; also how long a login may hold no session
    per_learner: int = 3  # sessions of one learner at once
    auth_tries: int = 6  # failed logins on one connection before it is closed
    name_burst: int = 5  # failed passwords for one name before it is throttled ...
    name_refill: float = 12.0  # ... then one more every this many seconds
    source_burst: int = 10  # the same per source address
    source_refill: float = 6.0
    fail_delay: float = 1.0  # every password answer that says no takes at least this long


class Tally:
    """A log that cannot flood: the first event of a kind is printed, the rest summarised.

    At most one line per kind per `interval` seconds reaches stderr.
    """

    def __init__(self, interval: float = 60.0,
                 write: Callable[[str], object] = sys.stderr.write) -> None:
        self.interval = interval
        self._write = write
        self._counts: Counter[str] = Counter()
        self._quiet_until: dict[str, float] = {}

    def note(self, kind: str, message: str) -> None:
        """Record one event; print it if this kind was quiet for `interval` seconds."""
        now = time.monotonic()
        if now >= self._quiet_until.get(kind, 0.0):
            self._quiet_until[kind] = now + self.interval
            self._write(f"gd-tutor: {message}\n")
            asyncio.get_running_loop().call_later(self.interval, self._summarise, kind)
        else:
            self._counts[kind] += 1

    def _summarise(self, kind: str) -> None:
        count = self._counts.pop(kind, 0)
        if count:
            self._write(f"gd-tutor: {count} more like that in the last {self.interval:g} s "
                        f"({kind}).\n")

    def loop_errors(self, loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
        """An asyncio exception handler: e.g. a failing accept() is one line, not a flood
        (with GD_TUTOR_DEBUG=1 the full report with its traceback follows)."""
        message = str(context.get("message", "event loop error"))
        exc = context.get("exception")
        kind = f"{message[:40]}: {type(exc).__name__}" if exc else message[:40]
        self.note(kind, f"{message} ({exc})" if exc else message)
        if os.environ.get("GD_TUTOR_DEBUG"):
            loop.default_exception_handler(context)


def peer_address(conn: asyncssh.SSHServerConnection) -> str:
    """The client's IP address as text (IPv4-mapped IPv6 addresses as plain IPv4)."""
    peer = conn.get_extra_info("peername")
    address = str(peer[0]) if peer else ""
    return address[7:] if address.startswith("::ffff:") and "." in address else address


class Gate:
    """Counts connections that have not logged in, per address, and turns away the excess."""

    def __init__(self, limits: Limits, tally: Tally) -> None:
        self.limits = limits
        self.tally = tally
        self._pending: dict[asyncssh.SSHServerConnection, str] = {}  # oldest first
        self._per_source: Counter[str] = Counter()

    @property
    def pending(self) -> int:
        """How many connections have not logged in yet."""
        return len(self._pending)

    def arrive(self, conn: asyncssh.SSHServerConnection, source: str) -> bool:
        """Admit a new connection from `source`, or say False (the caller closes it)."""
        if self._per_source[source] >= self.limits.per_source:
            self.tally.note("per-source cap", f"turned away a connection from {source}: "
                            f"{self.limits.per_source} from there have not logged in yet "
                            "(--max-per-source).")
            return False
        if len(self._pending) >= self.limits.max_startups and not self._evict_for(source):
            return False
        self._pending[conn] = source
        self._per_source[source] += 1
        return True

    def _evict_for(self, source: str) -> bool:
        busiest, count = self._per_source.most_common(1)[0]  # ties: the longest-waiting
        if count < self._per_source[source] + 1:
            self.tally.note("total cap", f"turned away a connection from {source}: "
                            f"{self.limits.max_startups} connections have not logged in yet "
                            "(--max-startups).")
            return False
        oldest = next(c for c, s in self._pending.items() if s == busiest)
        self.tally.note("eviction", f"closed a connection from {busiest} that had not logged "
                        f"in, to make room for {source} (--max-startups reached).")
        self.leave(oldest)
        oldest.abort()
        return True

    def leave(self, conn: asyncssh.SSHServerConnection) -> None:
        """Forget `conn` as pending (it logged in or closed); idempotent."""
        source = self._pending.pop(conn, None)
        if source is not None:
            self._per_source[source] -= 1
            if not self._per_source[source]:
                del self._per_source[source]


def raise_open_file_limit() -> int:
    """Raise this process's soft open-file limit to its hard limit; return the new soft limit."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard == resource.RLIM_INFINITY or hard > soft:
        target = 1 << 20 if hard == resource.RLIM_INFINITY else hard
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
            soft = target
        except (ValueError, OSError):
            pass
    return soft


ACCEPT_BATCH = 100  # connections asyncio may accept in one go before any is closed


def files_needed(limits: Limits, max_sessions: int) -> int:
    """Open files the server may need at its limits: its own, a burst of accepts, each pending
    connection a socket, each session a socket, a PTY and some slack."""
    return 64 + ACCEPT_BATCH + limits.max_startups + 3 * max_sessions


def open_file_warning(limits: Limits, max_sessions: int, available: int) -> str | None:
    """One sentence when the open-file limit is below what the limits may need, else None."""
    need = files_needed(limits, max_sessions)
    if available >= need:
        return None
    return (f"the open-file limit is {available}, below the {need} that --max-sessions "
            f"{max_sessions} and --max-startups {limits.max_startups} may need; raise it "
            "(LimitNOFILE= in a systemd unit, ulimit -n in a shell).")
