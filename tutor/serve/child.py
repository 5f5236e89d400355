"""One learner's `gd-tutor` in its own pseudo-terminal, as a session leader.

The PTY is made the child's controlling terminal (setsid + TIOCSCTTY), so the
kernel delivers SIGWINCH on resize and SIGHUP when the terminal goes away, and
the whole process group can be ended with SIGHUP, SIGTERM, then SIGKILL.
"""

from __future__ import annotations

import asyncio
import fcntl
import os
import re
import signal
import struct
import sys
import termios
from collections.abc import Awaitable, Callable, Mapping
from pathlib import Path
from typing import Protocol

CLIENT_ENV_WHITELIST = ("LANG", "COLORTERM", "NO_COLOR", "LC_ALL", "LC_CTYPE", "LC_NUMERIC",
                        "LC_TIME", "LC_COLLATE", "LC_MONETARY", "LC_MESSAGES", "LC_PAPER",
                        "LC_NAME", "LC_ADDRESS", "LC_TELEPHONE", "LC_MEASUREMENT",
                        "LC_IDENTIFICATION")
MAX_CLIENT_ENV_VALUE = 128  # characters; a locale name or a colour setting is far shorter
_ENV_VALUE = re.compile(r"[ -~]{0,%d}" % MAX_CLIENT_ENV_VALUE)
_DROPPED_SERVER_ENV = ("COLUMNS", "LINES", "TERM", "NO_COLOR", "COLORTERM", "GD_TUTOR_DATA_DIR",
                       "GD_TUTOR_LEARNER", "GD_TUTOR_DEBUG")


def child_command(lessons_dir: str | None = None) -> list[str]:
    """The argv of one learner's tutor: this Python running `tutor.cli`."""
    argv = [sys.executable, "-m", "tutor.cli"]
    return argv + (["--lessons-dir", lessons_dir] if lessons_dir else [])


def teacher_command(data_dir: Path, lessons_dir: str | None = None) -> list[str]:
    """The argv of a teacher's session: the live class dashboard over the class's data dir."""
    return child_command(lessons_dir) + ["class", "--data-dir", str(data_dir)]


def client_env_allowed(name: str, value: str = "") -> bool:
    """True for the few client variables a learner may send (LANG, the LC_* locale categories,
    COLORTERM, NO_COLOR) with a short printable value: at most 16 variables of 128 characters."""
    return name in CLIENT_ENV_WHITELIST and _ENV_VALUE.fullmatch(value) is not None


def learner_env(base: Mapping[str, str], client: Mapping[str, str], *, term: str,
                learner: str, data_dir: Path, database: str | None = None) -> dict[str, str]:
    """The child's environment: the server's, minus sizes, plus whitelisted client variables.

    `database` (the server's --database URL) becomes GD_TUTOR_DATABASE, so the learner's
    progress is kept there under GD_TUTOR_LEARNER (without it, the server's own
    GD_TUTOR_DATABASE, if any, is inherited); a client can never send one.
    """
    env = {k: v for k, v in base.items()
           if k not in _DROPPED_SERVER_ENV and not k.startswith(("SSH_", "LC_"))}
    env.update({k: v for k, v in client.items() if client_env_allowed(k, v)})
    env["TERM"] = term
    env["GD_TUTOR_LEARNER"] = learner
    env["GD_TUTOR_DATA_DIR"] = str(data_dir / "learners" / learner)
    if database:
        env["GD_TUTOR_DATABASE"] = database
    return env


MAX_COLUMNS, MAX_ROWS = 1000, 500
MAX_PENDING_INPUT = 64 * 1024
_TERM = re.compile(r"[A-Za-z0-9._+-]{1,64}")


def clean_term(term: str | None) -> str:
    """The client's TERM if it looks like a terminal name, else xterm-256color."""
    return term if term and _TERM.fullmatch(term) else "xterm-256color"


def clamp_size(columns: int, rows: int) -> tuple[int, int]:
    """A window size a tutor can draw: 0 means 80x24; huge sizes are capped (no memory bomb)."""
    return min(columns or 80, MAX_COLUMNS), min(rows or 24, MAX_ROWS)


def set_window_size(fd: int, columns: int, rows: int) -> None:
    """Tell the terminal on `fd` its size; the kernel then signals SIGWINCH."""
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))


def _take_controlling_terminal() -> None:  # runs in the child after setsid()
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


class ChildProcess(Protocol):
    """What PtyChild needs of a started process (asyncio's Process has it)."""

    pid: int
    returncode: int | None

    async def wait(self) -> int:
        """Wait for the exit and return the status."""


Launcher = Callable[[list[str], Mapping[str, str], "str | None", int], Awaitable[ChildProcess]]


async def launch_subprocess(argv: list[str], env: Mapping[str, str], cwd: str | None,
                            slave: int) -> ChildProcess:
    """Start `argv` on the PTY `slave` in a new session that owns it (setsid + TIOCSCTTY)."""
    return await asyncio.create_subprocess_exec(
        *argv, stdin=slave, stdout=slave, stderr=slave, env=dict(env), cwd=cwd,
        start_new_session=True, preexec_fn=_take_controlling_terminal)


class PtyChild:
    """A process group running in a fresh PTY; output goes to `on_output`, EOF to `on_exit`."""

    def __init__(self, process: ChildProcess, master: int) -> None:
        self.process = process
        self.pid = process.pid
        self._master = master
        self._pending = b""
        self._closed = False
        self.on_output: Callable[[bytes], None] = lambda data: None
        self.on_exit: Callable[[], None] = lambda: None

    @classmethod
    async def spawn(cls, argv: list[str], env: Mapping[str, str], *, columns: int,
                    rows: int, cwd: str | None = None,
                    launcher: Launcher | None = None) -> PtyChild:
        """Start `argv` as a session leader whose controlling terminal is a new PTY.

        `launcher` (e.g. the tutor zygote) starts the process on the PTY slave;
        by default it is a plain subprocess.
        """
        master, slave = os.openpty()
        try:
            set_window_size(master, *clamp_size(columns, rows))
            process = await (launcher or launch_subprocess)(argv, env, cwd, slave)
        except BaseException:
            os.close(master)
            raise
        finally:
            os.close(slave)
        os.set_blocking(master, False)
        return cls(process, master)

    def start_reading(self) -> None:
        """Begin passing the child's output to `on_output`."""
        asyncio.get_running_loop().add_reader(self._master, self._readable)

    def pause_reading(self) -> None:
        """Stop reading output while the client cannot keep up (flow control)."""
        if not self._closed:
            asyncio.get_running_loop().remove_reader(self._master)

    def _readable(self) -> None:
        try:
            data = os.read(self._master, 65536)
        except BlockingIOError:
            return
        except OSError:  # EIO: every slave side closed, the child is gone
            data = b""
        if data:
            self.on_output(data)
            return
        self.pause_reading()
        self.on_exit()

    def write(self, data: bytes) -> None:
        """Send keystrokes to the child; anything the PTY cannot take now is queued."""
        if self._closed:
            return
        self._pending = (self._pending + data)[:MAX_PENDING_INPUT]  # a flood is cut, not stored
        self._flush()

    def _flush(self) -> None:
        loop = asyncio.get_running_loop()
        try:
            written = os.write(self._master, self._pending) if self._pending else 0
        except BlockingIOError:
            written = 0
        except OSError:
            self._pending = b""
            return
        self._pending = self._pending[written:]
        loop.remove_writer(self._master)
        if self._pending:
            loop.add_writer(self._master, self._flush)

    def resize(self, columns: int, rows: int) -> None:
        """Pass a window size change on to the child (TIOCSWINSZ + the kernel's SIGWINCH)."""
        if not self._closed and columns > 0 and rows > 0:
            set_window_size(self._master, *clamp_size(columns, rows))

    def _signal_group(self, sig: signal.Signals) -> bool:
        """Signal the child's process group; before the child has made its own group
        (a zygote's fork in its first milliseconds) signal the child alone."""
        for send in (os.killpg, os.kill):
            try:
                send(self.pid, sig)
                return True
            except (ProcessLookupError, PermissionError):
                continue
        return False

    async def stop(self, grace: float = 3.0) -> int:
        """End the process group: SIGHUP, then SIGTERM, then SIGKILL, each after `grace` s.

        Returns the child's exit status once it has been reaped.
        """
        for sig in (signal.SIGHUP, signal.SIGTERM, signal.SIGKILL):
            if self.process.returncode is not None or not self._signal_group(sig):
                break
            try:
                await asyncio.wait_for(asyncio.shield(self.process.wait()), grace)
                break
            except asyncio.TimeoutError:
                continue
        status = await self.process.wait()
        try:  # stragglers that left the leader behind (the group only: the pid is reaped)
            os.killpg(self.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        self.close()
        return status

    def close(self) -> None:
        """Release the PTY master (idempotent)."""
        if self._closed:
            return
        loop = asyncio.get_running_loop()
        loop.remove_reader(self._master)
        loop.remove_writer(self._master)
        self._closed = True
        os.close(self._master)
