"""The server's side of the tutor zygote: ask it for a tutor, learn when one exits.

`Zygote.launch` has the shape PtyChild.spawn expects of a launcher: it takes
argv, env, cwd and the PTY slave fd and returns a process handle with `pid`,
`returncode` and `wait()`, like asyncio's Process.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import os
import socket
import sys
from collections.abc import Callable, Mapping

MAX_REQUEST = 64 * 1024  # bytes of one launch request (the zygote reads up to 1 MiB)


class ZygoteProcess:
    """A tutor forked by the zygote; its exit status arrives as a message."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.returncode: int | None = None
        self._exited = asyncio.get_running_loop().create_future()
        self._watcher: asyncio.Task[None] | None = None

    def exited(self, status: int) -> None:
        """Record the status the zygote reported when it reaped the tutor."""
        self.returncode = status
        if not self._exited.done():
            self._exited.set_result(status)

    async def wait(self) -> int:
        """Wait for the tutor to exit and return its status."""
        return await asyncio.shield(self._exited)

    def orphaned(self) -> None:
        """The zygote died: init reaps the tutor now, so watch /proc for it to go."""
        self._watcher = asyncio.get_running_loop().create_task(self._watch_gone())

    async def _watch_gone(self) -> None:
        while _alive(self.pid):
            await asyncio.sleep(0.2)
        self.exited(-1)


def _alive(pid: int) -> bool:
    """True while `pid` runs (a zombie waiting for init to reap it counts as gone)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return False


class ZygoteError(OSError):
    """The zygote is gone or refused a request (the caller falls back to a plain spawn)."""


class Zygote:
    """A warm `python -m tutor.serve.zygote` child of the server, forking tutors on request."""

    def __init__(self, process: asyncio.subprocess.Process, sock: socket.socket) -> None:
        self.process = process
        self._sock = sock
        self._ids = itertools.count(1)
        self._replies: dict[int, asyncio.Future[dict[str, object]]] = {}
        self._children: dict[int, ZygoteProcess] = {}
        self._early_exits: dict[int, int] = {}
        self._reader: asyncio.Task[None] | None = None
        self._closing = False
        self.on_exit: Callable[[], None] = lambda: None

    @classmethod
    async def start(cls, timeout: float = 60.0, database: str | None = None) -> Zygote:
        """Start the zygote and wait until it has imported the tutor (and, for a class
        whose progress is in the `database`, psycopg)."""
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        env = dict(os.environ, GD_TUTOR_DATABASE=database) if database else None
        try:
            process = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "tutor.serve.zygote", str(theirs.fileno()),
                pass_fds=(theirs.fileno(),), stdin=asyncio.subprocess.DEVNULL,
                stdout=asyncio.subprocess.PIPE, env=env)
        finally:
            theirs.close()
        zygote = cls(process, ours)
        assert process.stdout is not None
        line = await asyncio.wait_for(process.stdout.readline(), timeout)
        if b'"ready"' not in line:
            await zygote.close()
            raise ZygoteError("the tutor zygote did not start")
        zygote._reader = asyncio.get_running_loop().create_task(zygote._read_replies())
        return zygote

    async def _read_replies(self) -> None:
        assert self.process.stdout is not None
        while line := await self.process.stdout.readline():
            try:
                self._dispatch(json.loads(line))
            except (ValueError, KeyError, TypeError):
                continue  # a garbled line costs one reply, not the zygote
        for future in self._replies.values():
            if not future.done():
                future.set_exception(ZygoteError("the tutor zygote ended"))
        for child in self._children.values():
            child.orphaned()
        self._children.clear()
        if not self._closing:
            self.on_exit()

    def _dispatch(self, message: dict[str, object]) -> None:
        if "exit" in message:
            pid, status = int(message["exit"]), int(message["status"])  # type: ignore[arg-type]
            child = self._children.pop(pid, None)
            if child is None:
                self._early_exits[pid] = status
            else:
                child.exited(status)
            return
        future = self._replies.pop(int(message["id"]), None)  # type: ignore[arg-type]
        if future is not None and not future.done():
            future.set_result(message)

    async def launch(self, argv: list[str], env: Mapping[str, str], cwd: str | None,
                     slave: int) -> ZygoteProcess:
        """Fork a tutor on the PTY `slave`; the caller may close its copy of `slave` after."""
        if self.process.returncode is not None or self._reader is None or self._reader.done():
            raise ZygoteError("the tutor zygote is not running")
        ident = next(self._ids)
        future = asyncio.get_running_loop().create_future()
        self._replies[ident] = future
        request = json.dumps({"id": ident, "argv": argv, "env": dict(env), "cwd": cwd}).encode()
        if len(request) > MAX_REQUEST:
            self._replies.pop(ident, None)
            raise ZygoteError(f"a request of {len(request)} bytes is over {MAX_REQUEST}")
        try:
            socket.send_fds(self._sock, [request], [slave])
        except OSError as exc:
            self._replies.pop(ident, None)
            raise ZygoteError(f"the tutor zygote cannot be reached ({exc})") from None
        reply = await asyncio.wait_for(future, 30)
        if "pid" not in reply:
            raise ZygoteError(str(reply.get("error", "the tutor zygote refused")))
        child = ZygoteProcess(int(reply["pid"]))  # type: ignore[arg-type]
        self._children[child.pid] = child
        if child.pid in self._early_exits:
            child.exited(self._early_exits.pop(child.pid))
        return child

    async def close(self, timeout: float = 10.0) -> None:
        """Close the socket (the zygote exits) and reap it."""
        self._closing = True
        self._sock.close()
        try:
            await asyncio.wait_for(self.process.wait(), timeout)
        except asyncio.TimeoutError:
            self.process.kill()
            await self.process.wait()
        if self._reader is not None:
            await asyncio.gather(self._reader, return_exceptions=True)
