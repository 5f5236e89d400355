"""The SSH classroom server: every session gets its own `gd-tutor` and nothing else.

Exec requests, subsystems (SFTP), port, agent and X11 forwarding are all refused;
a session must ask for a terminal and a shell, and then talks only to its PTY child:
the learner's tutor, or for a teacher (by the name their key or password proved)
the live class dashboard.
"""

from __future__ import annotations

import asyncio
import os
import time
from pathlib import Path

import asyncssh

from tutor.serve.child import (PtyChild, child_command, clean_term, learner_env,
                               teacher_command)
from tutor.serve.classroom import Classroom, ServeConfig
from tutor.serve.limits import peer_address
from tutor.serve.names import describe_rule, learner_name

__all__ = ["ClassServer", "Classroom", "ServeConfig", "TutorSession", "start_ssh_server",
           "stop_ssh_server"]

MAX_CHANNELS = 10  # session channels open at once on one connection
MAX_ENV_REQUESTS = 32  # environment variables a client may set on one session
RESET_TERMINAL = b"\x1b[?1049l\x1b[?1000l\x1b[?1002l\x1b[?1003l\x1b[?1006l\x1b[?25h\x1b[0m\r\n"


class TutorSession(asyncssh.SSHServerSession):  # type: ignore[type-arg]
    """One SSH session: a PTY, a shell request, and the learner's own tutor."""

    def __init__(self, classroom: Classroom, learner: str | None, username: str,
                 link: ClassServer, teacher: bool = False) -> None:
        self.classroom = classroom
        self.learner = learner
        self.username = username
        self.link = link
        self.teacher = teacher
        self._seated = False
        self.last_input = time.monotonic()
        self._chan: asyncssh.SSHServerChannel | None = None  # type: ignore[type-arg]
        self._term: str | None = None
        self._size = (80, 24)
        self._child: PtyChild | None = None
        self._finishing: asyncio.Task[None] | None = None

    def connection_made(self, chan: asyncssh.SSHServerChannel) -> None:  # type: ignore[type-arg]
        """Keep the channel to write the tutor's output to."""
        self._chan = chan
        self.link.channels += 1
        _bound_env_requests(chan)

    def pty_requested(self, term_type: str, term_size: tuple[int, int, int, int],
                      term_modes: object) -> bool:
        """Accept a terminal; its type becomes the child's TERM."""
        self._term = clean_term(term_type)
        self._size = (term_size[0] or 80, term_size[1] or 24)
        return True

    def shell_requested(self) -> bool:
        """A shell request starts the tutor (the only thing a session can start)."""
        return True

    def exec_requested(self, command: str) -> bool:
        """Refuse `ssh host command`: the tutor is the only program on offer."""
        return False

    def subsystem_requested(self, subsystem: str) -> bool:
        """Refuse SFTP and every other subsystem."""
        return False

    def session_started(self) -> None:
        """Start the learner's tutor, or explain in one line why not."""
        asyncio.get_running_loop().create_task(self._start())

    async def _start(self) -> None:
        if self._chan is None or self._finishing is not None:
            return None
        if self.learner is None:
            return self._refuse(f"'{self.username}' is not a learner name: use {describe_rule()}.")
        if self._term is None:
            return self._refuse("gd-tutor needs a terminal: connect with 'ssh -t'.")
        reason = self.classroom.admit(self)
        if reason is not None:
            return self._refuse(reason)
        self._seated = True
        self.link.seats += 1
        try:
            child = await self._spawn()
        except OSError as exc:
            self._unseat()
            return self._refuse(f"The tutor could not start ({exc.strerror}).")
        if self._finishing is not None:  # the learner left, or the server stopped, meanwhile
            await child.stop(self.classroom.config.grace)
            return None
        self._child = child
        self._child.on_output = self._to_client
        self._child.on_exit = lambda: self.finish(None, None)
        self._child.start_reading()

    async def _spawn(self) -> PtyChild:
        config = self.classroom.config
        assert self._chan is not None and self.learner is not None
        env = learner_env(os.environ, self._chan.get_environment(), term=self._term or "",
                          learner=self.learner, data_dir=config.data_dir,
                          database=config.database)
        argv, cwd = self._program(env)
        Path(cwd).mkdir(parents=True, exist_ok=True)
        return await PtyChild.spawn(argv, env, columns=self._size[0], rows=self._size[1],
                                    cwd=cwd, launcher=self.classroom.launch)

    def _program(self, env: dict[str, str]) -> tuple[list[str], str]:
        """The session's argv and folder: a teacher's is the class dashboard in the class's
        folder (it only reads; a teacher gets no store), a learner's their tutor in theirs."""
        config = self.classroom.config
        if self.teacher:
            argv = config.teacher_argv or teacher_command(config.data_dir, config.lessons_dir)
            return list(argv), str(config.data_dir)
        argv = config.child_argv or child_command(config.lessons_dir)
        return list(argv), env["GD_TUTOR_DATA_DIR"]

    def _unseat(self) -> None:
        self.classroom.leave(self)
        if self._seated:
            self._seated = False
            self.link.seats -= 1
            self.link.since = time.monotonic()

    def _refuse(self, message: str) -> None:
        if self._chan is not None:
            self._chan.write(message.encode() + b"\r\n")
            self._chan.exit(1)

    def _to_client(self, data: bytes) -> None:
        if self._chan is not None and not self._chan.is_closing():
            self._chan.write(data)

    def data_received(self, data: bytes, datatype: int | None) -> None:
        """Keystrokes go to the tutor and count as activity."""
        self.last_input = time.monotonic()
        if self._child is not None:
            self._child.write(data)

    def terminal_size_changed(self, width: int, height: int, pixwidth: int,
                              pixheight: int) -> None:
        """Pass the client's new window size on to the tutor."""
        self._size = (width, height)
        if self._child is not None:
            self._child.resize(width, height)

    def pause_writing(self) -> None:
        """The client is behind: stop reading the tutor's output for now."""
        if self._child is not None:
            self._child.pause_reading()

    def resume_writing(self) -> None:
        """The client caught up: read the tutor's output again."""
        if self._child is not None and self._finishing is None:
            self._child.start_reading()

    def eof_received(self) -> bool:
        """The client closed its input: end the session."""
        self.finish(None, None)
        return True

    def connection_lost(self, exc: Exception | None) -> None:
        """The learner left or the client died: end the tutor's process group."""
        if self._chan is not None:
            self.link.channels -= 1
        self._chan = None
        self.finish(None, None)

    def finish(self, message: str | None, status: int | None) -> asyncio.Task[None]:
        """Stop the tutor (once), then tell the learner `message` and close the channel."""
        if self._finishing is None:
            self._finishing = asyncio.get_running_loop().create_task(self._finish(message, status))
        return self._finishing

    async def _finish(self, message: str | None, status: int | None) -> None:
        code = await self._child.stop(self.classroom.config.grace) if self._child else 0
        self._unseat()
        if self._chan is None or self._chan.is_closing():
            return
        if message:
            self._chan.write(RESET_TERMINAL + message.encode() + b"\r\n")
        self._chan.exit(status if status is not None else max(code, 0))


class ClassServer(asyncssh.SSHServer):
    """One SSH connection: its place at the gate, its authentication, its sessions."""

    def __init__(self, classroom: Classroom) -> None:
        self.classroom = classroom
        self.admission = classroom.config.admission
        self.username = ""
        self.learner: str | None = None  # set once logged in
        self.since = time.monotonic()
        self.seats = 0
        self.channels = 0
        self.source = ""
        self.failures = 0
        self._conn: asyncssh.SSHServerConnection | None = None

    def connection_made(self, conn: asyncssh.SSHServerConnection) -> None:
        """Take a place at the gate, or close at once when the caps are reached."""
        self._conn = conn
        self.source = peer_address(conn)
        self.classroom.links.add(self)
        if not self.classroom.gate.arrive(conn, self.source):
            asyncio.get_running_loop().call_soon(conn.abort)

    def connection_lost(self, exc: Exception | None) -> None:
        """Free the connection's place."""
        if self._conn is not None:
            self.classroom.gate.leave(self._conn)
        self.classroom.links.discard(self)

    def close(self) -> None:
        """Close the connection (e.g. logged in but holding no session for too long)."""
        if self._conn is not None:
            self._conn.close()

    def begin_auth(self, username: str) -> bool:
        """Remember who is knocking; only the open door needs no authentication."""
        self.username = username
        return self.admission.needs_auth(username)

    def auth_completed(self) -> None:
        """Logged in: leave the gate's count of connections that have not."""
        if self._conn is not None:
            self.classroom.gate.leave(self._conn)
        self.learner = learner_name(self.username) or ""
        self.since = time.monotonic()
        reason = self.classroom.connection_refusal(self)
        if reason is not None and self._conn is not None:
            self.classroom.tally.note("logged-in cap", f"closed a logged-in connection from "
                                      f"{self.source}: {reason}.")
            self._conn.disconnect(asyncssh.DISC_TOO_MANY_CONNECTIONS, reason)

    def _failed(self) -> None:
        """Count a failed login; after `auth_tries` of them the connection is closed."""
        self.failures += 1
        if self.failures >= self.classroom.limits.auth_tries and self._conn is not None:
            self.classroom.tally.note("auth tries", f"closed a connection from {self.source} "
                                      f"after {self.failures} failed logins.")
            self._conn.disconnect(asyncssh.DISC_NO_MORE_AUTH_METHODS_AVAILABLE,
                                  "Too many authentication failures")

    def public_key_auth_supported(self) -> bool:
        """Public keys are the normal way in."""
        return bool(self.admission.key_owners)

    def validate_public_key(self, username: str, key: asyncssh.SSHKey) -> bool:
        """A key logs in only under the learner name in its comment, within its options."""
        allowed = self.admission.key_allowed(username, key, self.source)
        if not allowed:
            self._failed()
        return allowed

    def password_auth_supported(self) -> bool:
        """Passwords only when the teacher gave a password file."""
        return bool(self.admission.passwords)

    async def validate_password(self, username: str, password: str) -> bool:
        """Check a password (off the event loop, throttled, in constant time)."""
        allowed = await self.classroom.guard.check(username, password, self.source)
        if not allowed:
            self._failed()
        return allowed

    def kbdint_auth_supported(self) -> bool:
        """Keyboard-interactive is never offered."""
        return False

    def session_requested(self) -> TutorSession:
        """Each session is a TutorSession keyed by the learner's name (at most
        MAX_CHANNELS open on one connection, as OpenSSH's MaxSessions)."""
        if self.channels >= MAX_CHANNELS:
            raise asyncssh.ChannelOpenError(asyncssh.OPEN_ADMINISTRATIVELY_PROHIBITED,
                                            f"At most {MAX_CHANNELS} sessions on one connection")
        name = learner_name(self.username)
        return TutorSession(self.classroom, name, self.username, self,
                            teacher=self.admission.is_teacher(name))


def _bound_env_requests(chan: asyncssh.SSHServerChannel) -> None:  # type: ignore[type-arg]
    """Refuse env requests past MAX_ENV_REQUESTS on `chan` (asyncssh would keep them all).

    asyncssh looks the handler up by name on the channel for each request, so an
    instance attribute takes its place; if asyncssh ever renames it, nothing changes.
    """
    original = getattr(chan, "_process_env_request", None)
    if original is None:
        return

    def bounded(packet: asyncssh.packet.SSHPacket) -> bool:
        if len(chan.get_environment_bytes()) >= MAX_ENV_REQUESTS:
            return False
        return bool(original(packet))

    chan._process_env_request = bounded  # type: ignore[attr-defined]


async def start_ssh_server(config: ServeConfig) -> tuple[asyncssh.SSHAcceptor, Classroom]:
    """Listen on `config.host:port` and return the acceptor and the live classroom."""
    classroom = Classroom(config)
    acceptor = await asyncssh.create_server(
        lambda: ClassServer(classroom), config.host, config.port,
        server_host_keys=[config.host_key], line_editor=False, encoding=None,
        agent_forwarding=False, x11_forwarding=False, allow_scp=False, kbdint_auth=False,
        login_timeout=config.limits.login_grace, keepalive_interval=60, keepalive_count_max=3)
    asyncio.get_running_loop().set_exception_handler(classroom.tally.loop_errors)
    if config.zygote:
        await classroom.start_zygote()
    classroom.start_idle_watch()
    classroom.start_sweeps()
    return acceptor, classroom


async def stop_ssh_server(acceptor: asyncssh.SSHAcceptor, classroom: Classroom) -> None:
    """Stop accepting, end every session, and wait for the listener to close."""
    acceptor.close()
    await classroom.shutdown()
    await acceptor.wait_closed()
    asyncio.get_running_loop().set_exception_handler(None)
