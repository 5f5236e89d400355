"""What a client may put in a tutor's environment is bounded, and the zygote heals itself."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
from pathlib import Path

import asyncssh
import pytest
from serve_testkit import PtyClient, asyncssh_options, needs_ssh, ssh_argv, until

from tutor.serve.child import client_env_allowed, learner_env
from tutor.serve.spawner import Zygote

pytestmark = pytest.mark.e2e


def test_client_env_is_a_few_short_printable_locale_values(tmp_path: Path) -> None:
    client = {"LANG": "de_DE.UTF-8", "LC_ALL": "x" * 100_000, "LC_CTYPE": "C\x1b]0;pwn\x07",
              "LC_FOO": "C", "LC_NUMERIC": "C", "NO_COLOR": "1"}
    env = learner_env({}, client, term="xterm", learner="ann", data_dir=tmp_path)
    assert {k: v for k, v in env.items() if k in client} == \
        {"LANG": "de_DE.UTF-8", "LC_NUMERIC": "C", "NO_COLOR": "1"}
    assert client_env_allowed("LC_ALL", "C" * 128) and not client_env_allowed("LC_ALL", "C" * 129)


def _parent(pid: int) -> int:
    return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])


def _tutor_pid(classroom, learner: str) -> int:
    return next(s._child.pid for s in classroom.sessions if s.learner == learner)


@needs_ssh
async def test_huge_client_env_neither_breaks_nor_reaches_the_zygote(make_class, client_keys,
                                                                    tmp_path) -> None:
    port, classroom = await make_class()
    zygote = classroom.zygote
    huge = "x" * 100_000
    config = tmp_path / "ssh_config"  # 3 x 100 KB: too long for one command-line argument
    config.write_text(f"SetEnv LANG={huge} LC_ALL={huge} LC_CTYPE={huge}\n")
    alice = await PtyClient.start(ssh_argv(port, "alice", client_keys["alice"], "-F",
                                           str(config)))
    await alice.expect(r"lcall=None .*learner=alice")
    assert "xxxxxxxx" not in alice.text
    bob = await PtyClient.start(ssh_argv(port, "bob", client_keys["bob"]))
    await bob.expect("learner=bob")
    assert classroom.zygote is zygote and zygote.process.returncode is None
    for learner in ("alice", "bob"):  # both forked by the one warm zygote
        assert _parent(_tutor_pid(classroom, learner)) == zygote.process.pid
    await alice.close()
    await bob.close()


@needs_ssh
async def test_a_dead_zygote_is_replaced_by_a_new_one(make_class, client_keys) -> None:
    port, classroom = await make_class()
    first = classroom.zygote.process
    first.send_signal(signal.SIGKILL)
    await until(lambda: classroom.zygote is not None and classroom.zygote.process is not first,
                30, "a new zygote")
    client = await PtyClient.start(ssh_argv(port, "alice", client_keys["alice"]))
    await client.expect("learner=alice")
    assert _parent(_tutor_pid(classroom, "alice")) == classroom.zygote.process.pid
    await client.close()


async def test_a_garbled_request_does_not_end_the_zygote(tmp_path: Path) -> None:
    zygote = await Zygote.start()
    try:
        master, slave = os.openpty()
        socket.send_fds(zygote._sock, [b"{not json"], [slave])
        socket.send_fds(zygote._sock, [b'{"id": "x", "argv": 3}'], [slave])
        child = await zygote.launch(["/bin/sh", "-c", "exit 7"], {"PATH": "/bin:/usr/bin"},
                                    str(tmp_path), slave)
        assert await child.wait() == 7 and zygote.process.returncode is None
        os.close(master)
        os.close(slave)
    finally:
        await zygote.close()


async def _open_door_connection(make_class, **overrides):
    from tutor.serve.auth import Admission
    from tutor.serve.limits import Limits

    port, classroom = await make_class(admission=Admission(open_door=True), zygote=False,
                                       limits=Limits(per_learner=20), max_sessions=20,
                                       **overrides)
    conn = await asyncssh.connect(**asyncssh_options(port, username="ann"))
    return conn, classroom


async def test_a_session_keeps_at_most_32_environment_variables(make_class) -> None:
    conn, classroom = await _open_door_connection(make_class)
    async with conn:
        env = {f"LC_X{i}": "v" * 1000 for i in range(500)}
        process = await conn.create_process(term_type="xterm", env=env, encoding=None)
        await asyncio.wait_for(process.stdout.readuntil(b"learner=ann"), 15)
        [session] = classroom.sessions
        assert len(session._chan.get_environment_bytes()) == 32
        process.stdin.write(b"q")
        await asyncio.wait_for(process.wait_closed(), 15)


async def test_one_connection_holds_at_most_ten_sessions(make_class) -> None:
    conn, classroom = await _open_door_connection(make_class)
    async with conn:
        processes = [await conn.create_process(term_type="xterm", encoding=None)
                     for _ in range(10)]
        with pytest.raises(asyncssh.ChannelOpenError, match="At most 10 sessions"):
            await conn.create_process(term_type="xterm", encoding=None)
        assert len(processes) == 10  # closing the connection ends them all
