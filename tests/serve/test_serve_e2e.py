"""End to end: `gd-tutor serve` as a subprocess, the real tutor, the real `ssh` client.

Each learner must see the tutor's first screen; strangers, borrowed keys and
commands are refused; after everyone leaves no process remains under the server.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
from pathlib import Path

import pytest
from tutor.serve.report import class_report
from serve_testkit import PtyClient, needs_ssh, ssh_argv, start_server, stop_server

pytestmark = [needs_ssh, pytest.mark.e2e]

FIRST_SCREEN = r"gd-tutor(?!:)[\s\S]*Lesson 1 of \d+"
CLASS = [f"l{i:02d}" for i in range(10)]


@pytest.fixture(scope="module")
def class_keys(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Keys for alice, the ten learners of the load test, and a stranger."""
    folder = tmp_path_factory.mktemp("class-keys")
    keys = {}
    for name in ["alice", "stranger", *CLASS]:
        keys[name] = folder / name
        subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", name, "-f",
                        str(keys[name])], check=True)
    return keys


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, class_keys: dict[str, Path]):
    """One class server for the module; alice and l00..l09 may enter."""
    data_dir = tmp_path_factory.mktemp("class-data")
    auth = data_dir / "keys"
    auth.write_text("".join(class_keys[n].with_suffix(".pub").read_text()
                            for n in ["alice", *CLASS]))
    running = start_server(data_dir, "--authorized-keys", str(auth))
    yield running
    assert stop_server(running) == 0
    assert "Traceback" not in running.log and "zygote" not in running.log


async def _no_descendants(server, timeout: float = 20.0) -> None:
    """Only the zygote may remain under the server: no tutor, orphan or zombie."""
    for _ in range(int(timeout / 0.1)):
        if not server.tutors() and len(server.descendants()) <= 1:
            return
        await asyncio.sleep(0.1)
    raise AssertionError(f"processes left under the server: {server.descendants()}")


async def test_learner_gets_first_screen_and_keeps_progress(server, class_keys) -> None:
    client = await PtyClient.start(ssh_argv(server.port, "alice", class_keys["alice"]))
    await client.expect(FIRST_SCREEN, timeout=60)
    assert len(server.zygotes()) == 1, "the warm zygote runs under the server"
    [tutor] = server.tutors()
    assert Path(f"/proc/{tutor}/comm").read_text().strip() == "gd-tutor alice"
    await client.close()
    await _no_descendants(server)
    assert (server.data_dir / "learners" / "alice" / "progress.db").is_file()


@pytest.mark.parametrize("user,key,extra", [("alice", "stranger", ()), ("l01", "alice", ()),
                                            ("alice", "alice", ("ls",))])
async def test_strangers_borrowed_keys_and_commands_are_refused(server, class_keys, user, key,
                                                                extra) -> None:
    client = await PtyClient.start(ssh_argv(server.port, user, class_keys[key]) + list(extra))
    status = await client.wait(30)
    assert status == 255 if not extra else status != 0
    assert "Lesson 1 of" not in client.text
    await client.close()
    await _no_descendants(server, 5)


async def test_ten_learners_at_once_then_nothing_left(server, class_keys) -> None:
    clients = await asyncio.gather(*[PtyClient.start(ssh_argv(server.port, n, class_keys[n]))
                                     for n in CLASS])
    try:
        await asyncio.gather(*[c.expect(FIRST_SCREEN, timeout=150) for c in clients])
        assert len(server.tutors()) == len(CLASS)
    finally:
        await asyncio.gather(*[c.close() for c in clients])
    await _no_descendants(server, 30)
    assert sorted(p.name for p in (server.data_dir / "learners").iterdir()
                  if p.name in CLASS) == CLASS


@pytest.mark.parametrize("stop", ["SIGTERM to the server", "Ctrl-C to its process group"])
async def test_stopping_the_server_ends_every_session_and_exits_zero(tmp_path, class_keys,
                                                                     stop) -> None:
    auth = tmp_path / "keys"
    auth.write_text(class_keys["alice"].with_suffix(".pub").read_text())
    running = start_server(tmp_path / "data", "--authorized-keys", str(auth))
    client = await PtyClient.start(ssh_argv(running.port, "alice", class_keys["alice"]))
    await client.expect(FIRST_SCREEN, timeout=60)
    tutors = running.descendants()
    assert len(tutors) == 2  # the zygote and alice's tutor
    if stop.startswith("SIGTERM"):
        running.process.send_signal(signal.SIGTERM)
    else:
        os.killpg(running.process.pid, signal.SIGINT)
    assert await asyncio.to_thread(running.process.wait, 30) == 0
    await client.expect("The class server is shutting down; your progress is saved.")
    assert not [pid for pid in tutors if os.path.exists(f"/proc/{pid}")]
    await client.close()
    [row] = class_report(tmp_path / "data")
    assert row.learner == "alice" and row.current_lesson and row.last_seen, row
