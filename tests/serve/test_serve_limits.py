"""The class server's caps: connections before login, seats per learner, idle connections.

Loads are small (a few dozen loopback connections against small caps) and end
by themselves; the server under an open-file limit runs as a subprocess.
"""

from __future__ import annotations

import asyncio
import resource
import socket
import time
from pathlib import Path

import asyncssh
import pytest
from serve_testkit import (PtyClient, asyncssh_options, needs_ssh, ssh_argv, start_server,
                           stop_server, until)

from tutor.serve.auth import Admission
from tutor.serve.limits import Limits

pytestmark = [needs_ssh, pytest.mark.e2e]

FIRST_SCREEN = r"gd-tutor(?!:)[\s\S]*Lesson 1 of \d+"
OPEN_FILES = 64  # the server's limit in the test: far below the idle connections thrown at it


def _low_open_file_limit() -> None:
    resource.setrlimit(resource.RLIMIT_NOFILE, (OPEN_FILES, OPEN_FILES))


def _idle_connection(port: int, source: str) -> socket.socket:
    sock = socket.socket()
    sock.bind((source, 0))
    sock.connect(("127.0.0.1", port))
    sock.setblocking(False)
    return sock


def _closed_by_server(sock: socket.socket) -> bool:
    """True once the server has closed `sock` (EOF after at most its version line)."""
    try:
        while data := sock.recv(4096):
            if not data:
                break
        return True
    except BlockingIOError:
        return False
    except OSError:
        return True


async def test_idle_connections_cannot_lock_learners_out(tmp_path: Path) -> None:
    server = start_server(tmp_path / "data", "--open", "--max-sessions", "2", "--max-startups",
                          "12", "--max-per-source", "6", "--login-grace", "4",
                          preexec_fn=_low_open_file_limit)
    sources = ["127.0.0.1", "127.0.0.2", "127.0.0.3"]
    idle = [_idle_connection(server.port, src) for src in sources for _ in range(30)]
    try:
        # over the per-source cap: closed at once (24 per source); the total cap evicts more
        await until(lambda: sum(map(_closed_by_server, idle)) >= len(idle) - 12, 10,
                    "the connections over the caps closed")
        learner = await PtyClient.start(ssh_argv(server.port, "ada", None, "-b", "127.0.0.9"))
        await learner.expect(FIRST_SCREEN, timeout=60)  # while the cap is held by the others
        await until(lambda: all(map(_closed_by_server, idle)), 10,
                    "every idle connection closed after the login grace time")
        await learner.close()
    finally:
        for sock in idle:
            sock.close()
        assert stop_server(server) == 0
    log = server.log
    assert "the open-file limit is 64, below the 182" in log  # the teacher is told
    assert "Traceback" not in log and len(log.encode()) < 4000, log[-2000:]


async def test_a_learner_gets_a_few_seats_not_every_seat(make_class, client_keys) -> None:
    port, classroom = await make_class(limits=Limits(per_learner=2), max_sessions=5, zygote=False)
    mine = [await PtyClient.start(ssh_argv(port, "alice", client_keys["alice"]))
            for _ in range(2)]
    for client in mine:
        await client.expect("learner=alice")
    third = await PtyClient.start(ssh_argv(port, "alice", client_keys["alice"]))
    await third.expect(r"You already have 2 sessions open \(at most 2 at once\)")
    assert await third.wait() == 1
    bob = await PtyClient.start(ssh_argv(port, "bob", client_keys["bob"]))
    await bob.expect("learner=bob")  # the class still has seats for others
    assert len(classroom.sessions) == 3
    for client in [*mine, bob]:
        await client.close()


async def test_a_connection_without_a_session_is_closed_when_idle(make_class,
                                                                  client_keys) -> None:
    port, classroom = await make_class(idle_timeout=1.0, zygote=False)
    started = time.monotonic()
    quiet = await PtyClient.start(ssh_argv(port, "alice", client_keys["alice"], "-N"))
    assert await quiet.wait(15) == 255  # closed by the server, not by the client
    assert time.monotonic() - started < 10 and not classroom.links
    await quiet.close()


async def test_a_login_that_never_finishes_is_closed_after_the_grace_time(make_class) -> None:
    port, classroom = await make_class(limits=Limits(login_grace=1.0), zygote=False)
    sock = _idle_connection(port, "127.0.0.1")
    try:
        await until(lambda: classroom.gate.pending == 1, 5, "the connection counted")
        await until(lambda: _closed_by_server(sock), 5, "closed after the grace time")
        assert classroom.gate.pending == 0
    finally:
        sock.close()


async def test_a_learner_cannot_hoard_logged_in_connections(make_class) -> None:
    port, classroom = await make_class(admission=Admission(open_door=True), zygote=False,
                                       limits=Limits(per_learner=2))
    held = [await asyncssh.connect(**asyncssh_options(port, username="ann")) for _ in range(3)]
    extra = await asyncssh.connect(**asyncssh_options(port, username="ann"))
    await asyncio.wait_for(extra.wait_closed(), 10)  # the fourth is closed right after login
    other = await asyncssh.connect(**asyncssh_options(port, username="bob"))
    assert len([c for c in classroom.links if c.learner]) == 4
    for conn in [*held, other]:
        conn.close()
        await conn.wait_closed()
