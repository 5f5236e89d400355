"""The SSH server's mechanics with a stand-in tutor: PTY, resize, env, refusals, lifecycle.

The server runs in-process on a free loopback port; the client is the real
OpenSSH `ssh` in a PTY of its own.
"""

from __future__ import annotations

import asyncio
import os
import signal
from pathlib import Path

import asyncssh
import pytest
from serve_testkit import FAKE_TUTOR, PtyClient, needs_ssh, ssh_argv

from tutor.serve.auth import Admission
from tutor.serve.limits import Limits

pytestmark = [needs_ssh, pytest.mark.e2e]


async def _login(port: int, user: str, key: Path | None, *extra: str, **size: int) -> PtyClient:
    return await PtyClient.start(ssh_argv(port, user, key, *extra), **size)


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return Path(f"/proc/{pid}/stat").read_text().split(") ")[1][0] != "Z"


async def _until(predicate, timeout: float = 15.0) -> None:
    for _ in range(int(timeout / 0.05)):
        if predicate():
            return
        await asyncio.sleep(0.05)
    raise AssertionError("condition not reached in time")


@pytest.mark.parametrize("zygote", [True, False])
async def test_learner_gets_own_controlling_terminal(make_class, client_keys, tmp_path,
                                                     zygote) -> None:
    port, classroom = await make_class(zygote=zygote)
    assert (classroom.zygote is not None) == zygote
    client = await _login(port, "alice", client_keys["alice"], columns=100, rows=30)
    text = await client.expect(r"gd-tutor fake .*data=\S+")
    assert "size=100x30" in text and "term=xterm-256color" in text and "ctty=True" in text
    assert "columns=None lines=None" in text
    assert f"learner=alice data={tmp_path / 'data' / 'learners' / 'alice'}" in text
    await client.close()


async def test_keys_and_resizes_reach_the_tutor(make_class, client_keys) -> None:
    port, _ = await make_class()
    client = await _login(port, "bob", client_keys["bob"])
    await client.expect("size=80x24")
    client.child.write(b"z")
    await client.expect("key:z")
    client.child.resize(120, 40)  # ssh gets SIGWINCH and sends window-change
    await client.expect("resized 120x40")
    client.child.write(b"q")
    assert await client.wait() == 0


async def test_only_whitelisted_client_env_passes(make_class, client_keys) -> None:
    port, _ = await make_class()
    sent = "SetEnv=LANG=C.UTF-8 LC_ALL=C SECRET=leak COLUMNS=5 LINES=3"
    client = await _login(port, "alice", client_keys["alice"], "-o", sent)
    text = await client.expect(r"data=\S+")
    assert "lang=C.UTF-8 lcall=C secret=None" in text and "columns=None lines=None" in text
    await client.close()


async def test_killed_client_ends_process_group_with_sighup(make_class, client_keys,
                                                            tmp_path) -> None:
    port, classroom = await make_class()
    client = await _login(port, "alice", client_keys["alice"])
    await client.expect("ctty=True")
    tutor_pid = next(iter(classroom.sessions))._child.pid
    os.kill(client.child.pid, signal.SIGKILL)
    await _until(lambda: not classroom.sessions and not _pid_alive(tutor_pid))
    assert (tmp_path / "data" / "learners" / "alice" / "hup").read_text() == "flushed"
    await client.close()


async def test_tutor_ignoring_hup_and_term_is_killed(make_class, client_keys) -> None:
    port, classroom = await make_class(argv_extra=("--ignore-hup",), grace=0.3)
    client = await _login(port, "alice", client_keys["alice"])
    await client.expect("ctty=True")
    tutor_pid = next(iter(classroom.sessions))._child.pid
    await client.close()
    await _until(lambda: not classroom.sessions and not _pid_alive(tutor_pid))


async def test_past_max_sessions_newcomer_gets_one_line(make_class, client_keys) -> None:
    port, _ = await make_class(max_sessions=1)
    first = await _login(port, "alice", client_keys["alice"])
    await first.expect("ctty=True")
    second = await _login(port, "bob", client_keys["bob"])
    await second.expect(r"The class is full \(1 learners at once\)")
    assert await second.wait() == 1
    await first.close()


async def test_idle_learner_is_disconnected_with_message(make_class, client_keys,
                                                         tmp_path) -> None:
    port, _ = await make_class(idle_timeout=1.0)
    client = await _login(port, "alice", client_keys["alice"])
    await client.expect("ctty=True")
    await client.expect("Disconnected after 1 idle seconds; your progress is saved.", 10)
    assert await client.wait() == 0
    assert (tmp_path / "data" / "learners" / "alice" / "hup").exists()


async def test_server_shutdown_ends_sessions_cleanly(make_class, client_keys, tmp_path) -> None:
    port, classroom = await make_class()
    client = await _login(port, "bob", client_keys["bob"])
    await client.expect("ctty=True")
    tutor_pid = next(iter(classroom.sessions))._child.pid
    await classroom.shutdown()
    await client.expect("The class server is shutting down")
    assert not _pid_alive(tutor_pid) and not classroom.sessions
    assert (tmp_path / "data" / "learners" / "bob" / "hup").exists()


async def test_open_door_admits_by_name_and_refuses_bad_names(make_class) -> None:
    port, _ = await make_class(admission=Admission(open_door=True))
    good = await _login(port, "carol_2", None)
    await good.expect("learner=carol_2")
    bad = await _login(port, "../evil", None)
    await bad.expect("'../evil' is not a learner name")
    assert await bad.wait() == 1
    await good.close()


async def test_session_without_terminal_is_refused(make_class, client_keys) -> None:
    port, _ = await make_class()
    argv = [a for a in ssh_argv(port, "alice", client_keys["alice"]) if a != "-tt"]
    client = await PtyClient.start(argv[:1] + ["-T"] + argv[1:])
    await client.expect("gd-tutor needs a terminal")
    assert await client.wait() == 1


@pytest.mark.parametrize("user,key", [("alice", "stranger"), ("bob", "alice")])
async def test_wrong_keys_are_refused(make_class, client_keys, user, key) -> None:
    port, classroom = await make_class()
    client = await _login(port, user, client_keys[key])
    assert await client.wait() == 255
    assert "Permission denied" in client.text and not classroom.sessions


@pytest.mark.parametrize("extra", [("ls",), ("-s", "sftp"), ("-R", "0:127.0.0.1:22", "-N"),
                                   ("-A", "-X", "-N", "-W", "127.0.0.1:22")])
async def test_anything_but_the_tutor_is_refused(make_class, client_keys, extra) -> None:
    port, classroom = await make_class()
    argv = ssh_argv(port, "alice", client_keys["alice"], "-o", "ExitOnForwardFailure=yes")
    where = argv.index("alice@127.0.0.1")
    argv = argv[:where] + [e for e in extra if e.startswith("-") or e[0].isdigit()] + \
        argv[where:] + [e for e in extra if not e.startswith("-") and not e[0].isdigit()]
    client = await PtyClient.start(argv)
    assert await client.wait() != 0
    assert "gd-tutor fake" not in client.text and not classroom.sessions


async def test_password_file_logins(make_class, tmp_path) -> None:
    from tutor.serve.passwords import hash_password

    door = Admission(passwords={"dana": hash_password("s3cret")})
    port, _ = await make_class(admission=door, limits=Limits(fail_delay=0.0))
    options = dict(host="127.0.0.1", port=port, known_hosts=None, client_keys=None,
                   agent_path=None)
    async with asyncssh.connect(username="dana", password="s3cret", **options) as conn:
        process = await conn.create_process(term_type="xterm", term_size=(90, 20),
                                            encoding=None)
        seen = b""
        while b"data=" not in seen:
            seen += await asyncio.wait_for(process.stdout.read(4096), 15)
        assert b"size=90x20" in seen and b"learner=dana" in seen
        process.stdin.write(b"q")
        await asyncio.wait_for(process.wait_closed(), 15)
    for user, password in (("dana", "wrong"), ("eve", "s3cret")):
        with pytest.raises(asyncssh.PermissionDenied):
            await asyncssh.connect(username=user, password=password, **options)


async def test_tutors_still_start_when_the_zygote_dies(make_class, client_keys) -> None:
    port, classroom = await make_class()
    classroom.zygote.process.kill()
    await classroom.zygote.process.wait()
    client = await _login(port, "alice", client_keys["alice"])
    await client.expect("ctty=True")  # a plain subprocess took over
    await client.close()


async def test_sessions_end_cleanly_when_the_zygote_is_killed(make_class, client_keys) -> None:
    port, classroom = await make_class()
    client = await _login(port, "bob", client_keys["bob"])
    await client.expect("ctty=True")
    tutor_pid = next(iter(classroom.sessions))._child.pid
    classroom.zygote.process.kill()
    await client.close()
    await _until(lambda: not classroom.sessions and not _pid_alive(tutor_pid))


def _fake_tutors() -> list[int]:
    """Live stand-in tutors of this checkout (other checkouts' tests may run meanwhile)."""
    found, ours = [], str(FAKE_TUTOR).encode()
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and ours in (entry / "cmdline").read_bytes():
                found.append(int(entry.name)) if _pid_alive(int(entry.name)) else None
        except OSError:
            continue
    return found


@pytest.mark.parametrize("delay", [0.05, 0.15, 0.3])
async def test_learners_leaving_while_their_tutor_starts_leave_nothing(make_class, client_keys,
                                                                       delay) -> None:
    port, classroom = await make_class()
    clients = [await _login(port, name, client_keys[name]) for name in ("alice", "bob") * 3]
    await asyncio.sleep(delay)
    for client in clients:
        os.kill(client.child.pid, signal.SIGKILL)
    await asyncio.gather(*[client.close() for client in clients])
    await _until(lambda: not classroom.sessions and not _fake_tutors())
