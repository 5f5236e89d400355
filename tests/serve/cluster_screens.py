"""Learners' terminals for the cluster tests: the real `ssh` in tmux, read as a screen.

tmux is the terminal emulator, so a partial repaint is drawn as a person would see it,
and what a test waits for is the screen, not a byte stream. One private tmux server
per test module (`Terminals`), one session per learner (`Learner`).
"""

from __future__ import annotations

import asyncio
import re
import shlex
import subprocess
import time

from cluster_kit import ClassKeys, learner_argv


class Terminals:
    """A private tmux server: each learner's `ssh` runs in its own 80x24 session, read as
    the screen a person sees (tmux is the terminal emulator; partial repaints are drawn)."""

    def __init__(self, socket_name: str) -> None:
        self.socket_name = socket_name

    async def tmux(self, *args: str) -> str:
        """Run one tmux command against the private server; its output."""
        done = await asyncio.to_thread(
            subprocess.run, ["tmux", "-L", self.socket_name, "-f", "/dev/null", *args],
            capture_output=True, text=True, timeout=20, check=False)
        return done.stdout

    def start(self) -> None:
        """Start the server with a keeper session; a pane whose ssh ended stays readable."""
        for args in (("new-session", "-d", "-s", "_keeper", "-x", "80", "-y", "24"),
                     ("set-option", "-g", "remain-on-exit", "on")):
            subprocess.run(["tmux", "-L", self.socket_name, "-f", "/dev/null", *args],
                           capture_output=True, timeout=20, check=True)

    def stop(self) -> None:
        """Kill the tmux server and every ssh still running in it."""
        subprocess.run(["tmux", "-L", self.socket_name, "kill-server"], capture_output=True,
                       timeout=20, check=False)


class Learner:
    """One learner's real `ssh` in a tmux session, typed at and read like a screen."""

    def __init__(self, name: str, terminals: Terminals) -> None:
        self.name = name
        self.terminals = terminals

    @classmethod
    async def connect(cls, name: str, port: int, keys: ClassKeys,
                      terminals: Terminals) -> Learner:
        """Run `ssh` to the balancer's port as `name` in a new 80x24 session."""
        return await cls.run(name, learner_argv(port, name, keys), terminals)

    @classmethod
    async def run(cls, name: str, argv: list[str], terminals: Terminals) -> Learner:
        """Run `argv` in a new 80x24 session called `name` (e.g. the teacher's dashboard)."""
        command = " ".join(shlex.quote(arg) for arg in argv)
        await terminals.tmux("new-session", "-d", "-s", name, "-x", "80", "-y", "24", command)
        return cls(name, terminals)

    async def screen(self) -> str:
        """What the learner's terminal shows now."""
        return await self.terminals.tmux("capture-pane", "-p", "-t", f"={self.name}:")

    async def connected(self) -> bool:
        """True while the learner's ssh is running."""
        dead = await self.terminals.tmux("display-message", "-p", "-t", f"={self.name}:",
                                         "#{pane_dead}")
        return dead.strip() == "0"

    async def see(self, pattern: str, timeout: float = 60.0) -> str:
        """Wait until `pattern` (a regex) is on the learner's screen."""
        deadline = time.monotonic() + timeout
        while not re.search(pattern, shown := await self.screen()):
            if time.monotonic() > deadline or not await self.connected():
                raise AssertionError(f"{self.name}: {pattern!r} not on screen:\n{shown}")
            await asyncio.sleep(0.1)
        return shown

    async def press(self, keys: str, then: str, *, literal: bool = False,
                    timeout: float = 60.0) -> str:
        """Send `keys` (tmux key names, or text with `literal`), then wait for `then`."""
        await self.terminals.tmux("send-keys", "-t", f"={self.name}:",
                                  *(["-l"] if literal else []), keys)
        return await self.see(then, timeout)

    async def quit(self, timeout: float = 30.0) -> None:
        """Ctrl+Q, as a learner leaving the tutor; waits until ssh has ended."""
        await self.terminals.tmux("send-keys", "-t", f"={self.name}:", "C-q")
        await self.gone(timeout)

    async def gone(self, timeout: float = 30.0) -> None:
        """Wait until the learner's ssh has ended, then close its terminal."""
        deadline = time.monotonic() + timeout
        while await self.connected():
            if time.monotonic() > deadline:
                raise AssertionError(f"{self.name}: ssh still running:\n{await self.screen()}")
            await asyncio.sleep(0.1)
        await self.hang_up()

    async def hang_up(self) -> None:
        """Close the terminal with the tutor still open (tmux hangs up on ssh)."""
        await self.terminals.tmux("kill-session", "-t", f"={self.name}")
