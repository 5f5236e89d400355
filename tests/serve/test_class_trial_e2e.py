"""The issue's "Done when", end to end: ten learners over loopback SSH make mistakes in lesson 5
and within 2 s the teacher's dashboard, itself over SSH at 80x24, shows who is stuck there and
the shared mistake; a learner's key cannot open it; the gradebook opens with Python's csv.

Real parts: the OpenSSH client for every learner and the teacher, the class server configured
from the real `gd-tutor serve ... --teachers tess` arguments (in this process, so the learners'
program can be set), the real `gd-tutor class` dashboard forked by the zygote, and for each
learner `gd-tutor check 5/fastest-rate --set ... --record` run inside their own SSH session
(tests/serve/check_shell.py), the lightest real path into the store the server gave them. The
teacher's screen is read from tmux, a real terminal emulator.
"""

from __future__ import annotations

import asyncio
import csv
import dataclasses
import io
import re
import shlex
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from serve_testkit import PtyClient, needs_ssh, ssh_argv

from tutor.cli import build_parser
from tutor.commands.serve import _ssh_config
from tutor.serve.insight import GRADEBOOK_COLUMNS
from tutor.serve.ssh import start_ssh_server, stop_ssh_server

pytestmark = [needs_ssh, pytest.mark.e2e,
              pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")]

LEARNERS = [f"l{i:02d}" for i in range(10)]
CHECK_SHELL = Path(__file__).with_name("check_shell.py")
MISTAKES = ("0.45", "0.3", "0.4")  # all converge too slowly: diagnosis too_slow


class TmuxScreen:
    """One command in a private tmux server at 80x24; its screen read as text."""

    def __init__(self, socket: str) -> None:
        self.socket = socket

    async def tmux(self, *args: str) -> str:
        """Run a tmux command on the private server; its output."""
        process = await asyncio.create_subprocess_exec(
            "tmux", "-L", self.socket, "-f", "/dev/null", *args,
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        out, _ = await process.communicate()
        return out.decode(errors="replace")

    async def start(self, argv: list[str]) -> None:
        """Start `argv` in a detached 80x24 session."""
        await self.tmux("new-session", "-d", "-s", "t", "-x", "80", "-y", "24", shlex.join(argv))

    async def wait_for(self, *texts: str, timeout: float = 60.0, gone: str = "\0") -> str:
        """The screen once it shows every one of `texts` (and not `gone`); AssertionError on
        timeout."""
        deadline = time.monotonic() + timeout
        while True:
            screen = await self.tmux("capture-pane", "-p", "-t", "t")
            if all(text in screen for text in texts) and gone not in screen:
                return screen
            if time.monotonic() > deadline:
                raise AssertionError(f"{texts} not on the screen:\n{screen}")
            await asyncio.sleep(0.05)

    async def alive(self) -> bool:
        """True while the session's command runs."""
        return "t" in (await self.tmux("list-sessions", "-F", "#{session_name}")).split()


@pytest.fixture(scope="module")
def trial_keys(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("trial-keys")
    for name in ["tess", *LEARNERS]:
        subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", name, "-f",
                        str(folder / name)], check=True)
    return {name: folder / name for name in ["tess", *LEARNERS]}


async def _learner(port: int, name: str, key: Path) -> PtyClient:
    """One learner: log in, check three wrong rates in lesson 5, stay connected."""
    client = await PtyClient.start(ssh_argv(port, name, key))
    await client.expect("check> ", timeout=120)
    for number, rate in enumerate(MISTAKES, start=1):
        client.child.write(f"5/fastest-rate learning_rate={rate}\r".encode())
        await client.expect(r"(checked 5/fastest-rate \(0\)[\s\S]*){%d}" % number, timeout=120)
    return client


def _grid_marks(screen: str) -> dict[str, list[str]]:
    """{learner: the marks of their grid row} from the dashboard's screen."""
    rows = {}
    for line in screen.splitlines():
        words = line.split()
        if words and words[0] in LEARNERS and "/" not in line:
            rows[words[0]] = words[1:]
    return rows


async def test_ten_learners_a_teacher_and_the_gradebook(tmp_path: Path, trial_keys) -> None:
    data_dir, keys = tmp_path / "class", tmp_path / "authorized_keys"
    keys.write_text("".join(trial_keys[n].with_suffix(".pub").read_text()
                            for n in ["tess", *LEARNERS]))
    args = build_parser().parse_args(["serve", "--port", "0", "--data-dir", str(data_dir),
                                      "--authorized-keys", str(keys), "--teachers", "tess"])
    config = dataclasses.replace(_ssh_config(args), child_argv=(sys.executable, str(CHECK_SHELL)))
    acceptor, classroom = await start_ssh_server(config)
    port, screen = acceptor.get_port(), TmuxScreen(f"gd-trial-{tmp_path.name}")
    learners: list[PtyClient] = []
    try:
        await screen.start(ssh_argv(port, "tess", trial_keys["tess"]))
        await screen.wait_for("Stuck: nobody.", "Common mistakes: none yet.", timeout=120)
        learners = list(await asyncio.gather(*[_learner(port, n, trial_keys[n])
                                               for n in LEARNERS]))
        made = time.monotonic()
        shown = await screen.wait_for("Stuck (10)", "10 5/fastest-rate: too_slow", timeout=10)
        took = time.monotonic() - made
        print(f"dashboard showed the ten stuck learners {took:.2f} s after the last check")
        assert took < 2.0
        marks = _grid_marks(shown)
        assert sorted(marks) == LEARNERS and all(row[4] == "!" for row in marks.values()), shown
        assert len(re.findall(r"^ +l0\d +5/fastest-rate +3x", shown, re.M)) == 6
        assert "... and 4 more" in shown
        await _learner_keys_cannot_open_it(port, trial_keys)
        await screen.tmux("send-keys", "-t", "t", "Enter")
        await screen.wait_for("l00: 3 attempts, 0 hints, 0 skips", "learning_rate=0.4")
        await screen.tmux("send-keys", "-t", "t", "Escape")
        await screen.wait_for("Stuck (10)", gone="l00: 3 attempts")  # the drill-down closed
        await screen.tmux("send-keys", "-t", "t", "q")
        deadline = time.monotonic() + 30
        while await screen.alive() and time.monotonic() < deadline:
            await asyncio.sleep(0.1)
        assert not await screen.alive(), "q did not end the teacher's session"
    finally:
        await screen.tmux("kill-server")
        for client in learners:
            await client.close()
        await stop_ssh_server(acceptor, classroom)
    _gradebook_opens_with_csv(data_dir)


async def _learner_keys_cannot_open_it(port: int, keys: dict[str, Path]) -> None:
    """l00's key as tess, or asking for the dashboard as a command, gets nothing."""
    for user, extra in [("tess", ()), ("l00", ("gd-tutor", "class"))]:
        client = await PtyClient.start(ssh_argv(port, user, keys["l00"]) + list(extra))
        assert await client.wait() != 0 and "Stuck" not in client.text
        await client.close()


def _gradebook_opens_with_csv(data_dir: Path) -> None:
    """class-report --csv: UTF-8 without a BOM, a header row, one row per learner (not tess)."""
    done = subprocess.run([sys.executable, "-m", "tutor.cli", "class-report", "--data-dir",
                           str(data_dir), "--csv"], capture_output=True, timeout=60, check=True)
    text = done.stdout.decode("utf-8")
    assert not text.startswith("\ufeff") and text.splitlines()[0].startswith("learner,")
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert list(rows[0])[:len(GRADEBOOK_COLUMNS)] == list(GRADEBOOK_COLUMNS)
    assert [r["learner"] for r in rows] == LEARNERS
    assert all((r["attempts"], r["learning-rate/fastest-rate"], r["done"]) == ("3", "attempted",
                                                                              "0") for r in rows)
