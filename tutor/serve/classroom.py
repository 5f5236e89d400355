"""The live class: its connections and sessions, seats, idle checks, the zygote, shutdown."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import asyncssh

from tutor.serve.auth import Admission
from tutor.serve.child import ChildProcess, launch_subprocess
from tutor.serve.guard import PasswordGuard
from tutor.serve.limits import Gate, Limits, Tally
from tutor.serve.spawner import Zygote, ZygoteError

RESTART_PAUSE = 10.0  # a zygote that keeps failing is started again at most this often


@dataclass(frozen=True)
class ServeConfig:
    """Everything `gd-tutor serve` was told, resolved to values."""

    data_dir: Path
    host_key: asyncssh.SSHKey
    admission: Admission
    host: str = "127.0.0.1"
    port: int = 2222
    max_sessions: int = 50
    idle_timeout: float = 3600.0
    lessons_dir: str | None = None
    child_argv: tuple[str, ...] | None = None  # None: the real gd-tutor
    teacher_argv: tuple[str, ...] | None = None  # None: the real `gd-tutor class`
    grace: float = 3.0
    zygote: bool = True  # fork tutors from a warm process (tutor.serve.zygote)
    database: str | None = None  # --database URL: every learner's progress in PostgreSQL
    limits: Limits = field(default_factory=Limits)


class Seat(Protocol):
    """A session as the classroom sees it."""

    learner: str | None
    last_input: float
    teacher: bool  # a teacher's dashboard is watched, not typed at: never idle

    def finish(self, message: str | None, status: int | None) -> asyncio.Task[None]:
        """End the session with `message`."""


class Link(Protocol):
    """A connection as the classroom sees it."""

    learner: str | None  # None until it has logged in
    since: float  # when it logged in, or when its last session ended
    seats: int  # live sessions on it

    def close(self) -> None:
        """Close the connection."""


class Classroom:
    """Admission up to `max_sessions` (and `per_learner` each), idle checks, and shutdown."""

    def __init__(self, config: ServeConfig) -> None:
        self.config = config
        self.limits = config.limits
        self.tally = Tally()
        self.gate = Gate(self.limits, self.tally)
        self.guard = PasswordGuard(config.admission.passwords, self.limits, self.tally)
        self.sessions: set[Seat] = set()
        self.links: set[Link] = set()
        self.zygote: Zygote | None = None
        self._restarting: asyncio.Task[None] | None = None
        self._last_restart = -RESTART_PAUSE
        self._idle_task: asyncio.Task[None] | None = None
        self._sweep_task: asyncio.Task[None] | None = None
        self._closing = False

    async def start_zygote(self) -> None:
        """Start the warm tutor zygote; without it each tutor is a plain subprocess."""
        try:
            zygote = await Zygote.start(database=self.config.database)
        except (OSError, asyncio.TimeoutError) as exc:
            self.tally.note("zygote", f"starting tutors without the zygote for now ({exc}).")
            return
        if self._closing:
            await zygote.close()
            return
        zygote.on_exit = lambda: self._replace_zygote(zygote, "it ended")
        self.zygote = zygote

    def _replace_zygote(self, old: Zygote, why: str) -> None:
        """Drop a failed zygote and start a new one (with a pause if it keeps failing)."""
        if self.zygote is old:
            self.zygote = None
        if self._closing or (self._restarting is not None and not self._restarting.done()):
            return
        self.tally.note("zygote", f"the tutor zygote failed ({why}); starting a new one.")
        self._restarting = asyncio.get_running_loop().create_task(self._restart(old))

    async def _restart(self, old: Zygote) -> None:
        await old.close(timeout=2.0)
        pause = max(0.0, self._last_restart + RESTART_PAUSE - time.monotonic())
        self._last_restart = time.monotonic()
        while self.zygote is None and not self._closing:
            await asyncio.sleep(pause)
            await self.start_zygote()
            pause = min(60.0, max(1.0, 2 * pause))

    async def launch(self, argv: list[str], env: Mapping[str, str], cwd: str | None,
                     slave: int) -> ChildProcess:
        """Start a tutor through the zygote; if it fails, as a plain subprocess meanwhile."""
        zygote = self.zygote
        if zygote is not None:
            try:
                return await zygote.launch(argv, env, cwd, slave)
            except (ZygoteError, asyncio.TimeoutError) as exc:
                self._replace_zygote(zygote, str(exc) or type(exc).__name__)
        return await launch_subprocess(argv, env, cwd, slave)

    def connection_refusal(self, link: Link) -> str | None:
        """Why a connection that just logged in must close, else None: a learner may hold one
        connection more than their sessions (to be told why the next one is refused), and
        the class `max_sessions + max_startups` logged-in connections in all."""
        logged_in = [c for c in self.links if c.learner is not None]
        if len(logged_in) > self.config.max_sessions + self.limits.max_startups:
            return "the class server has too many connections"
        mine = sum(1 for c in logged_in if c.learner == link.learner)
        if mine > self.limits.per_learner + 1:
            return f"too many connections for '{link.learner}'"
        return None

    def refusal(self, session: Seat) -> str | None:
        """Why `session` may not start now (the class or the learner is full), else None."""
        if len(self.sessions) >= self.config.max_sessions:
            return (f"The class is full ({self.config.max_sessions} learners at once); please "
                    "try again in a few minutes.")
        mine = sum(1 for s in self.sessions if s.learner == session.learner)
        if mine >= self.limits.per_learner:
            return (f"You already have {mine} sessions open (at most {self.limits.per_learner} "
                    "at once); close one and try again.")
        return None

    def admit(self, session: Seat) -> str | None:
        """Add `session`, or return the one-line reason it may not start."""
        reason = self.refusal(session)
        if reason is None:
            self.sessions.add(session)
        return reason

    def leave(self, session: Seat) -> None:
        """Forget a finished session."""
        self.sessions.discard(session)

    def start_idle_watch(self) -> None:
        """Check every few seconds for idle sessions and idle connections."""
        self._idle_task = asyncio.get_running_loop().create_task(self._watch_idle())

    def start_sweeps(self) -> None:
        """With a database: send the changes tutors here left unsent, now and every so often
        (`classdb.send_left`; their learner may come back on another node)."""
        if self.config.database:
            self._sweep_task = asyncio.get_running_loop().create_task(self._sweep())

    async def _sweep(self) -> None:
        from tutor.serve.classdb import SWEEP_SECONDS, send_left

        assert self.config.database is not None
        while True:
            sent = await asyncio.to_thread(send_left, self.config.database, self.config.data_dir)
            if sent:
                self.tally.note("sent", f"sent {sent} change(s) that tutors here had left "
                                "unsaved to the database.")
            await asyncio.sleep(SWEEP_SECONDS)

    async def _watch_idle(self) -> None:
        limit = self.config.idle_timeout
        while True:
            await asyncio.sleep(max(0.2, min(limit / 4, self.limits.login_grace / 4, 30.0)))
            self.check_idle(time.monotonic())

    def check_idle(self, now: float) -> None:
        """End learners' sessions idle for `idle_timeout` (a teacher's dashboard is watched for
        a whole class without a key pressed, so it is not ended), and logged-in connections
        holding no session for the login grace time or `idle_timeout`, whichever is shorter."""
        limit = self.config.idle_timeout
        for session in [s for s in self.sessions if now - s.last_input > limit
                        and not s.teacher]:
            session.finish(f"Disconnected after {limit:g} idle seconds; "
                           "your progress is saved.", 0)
        empty = min(limit, self.limits.login_grace)
        for link in [c for c in self.links if c.learner is not None and not c.seats
                     and now - c.since > empty]:
            link.close()

    async def shutdown(self) -> None:
        """End every session cleanly and wait until every child is reaped."""
        self._closing = True
        for task in (self._idle_task, self._sweep_task):
            if task is not None:
                task.cancel()
        tasks = [s.finish("The class server is shutting down; your progress is saved.", 0)
                 for s in list(self.sessions)]
        await asyncio.gather(*tasks, return_exceptions=True)
        if self._restarting is not None:
            await asyncio.gather(self._restarting, return_exceptions=True)
        if self.zygote is not None:
            await self.zygote.close()
        await asyncio.to_thread(self.guard.close)
