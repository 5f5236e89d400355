"""End to end: the real `gd-tutor` console script in tmux at 80x24, typed at like a learner."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e

LESSONS = Path(__file__).parent / "fixtures" / "lessons"
SCRIPT = Path(sys.executable).parent / "gd-tutor"


class Terminal:
    """One tmux server on a private socket running one command at a fixed size."""

    def __init__(self, socket: str) -> None:
        self.socket = socket

    def tmux(self, *args: str) -> str:
        """Run a tmux command against the private server and return its output."""
        done = subprocess.run(["tmux", "-L", self.socket, "-f", "/dev/null", *args],
                              capture_output=True, text=True, timeout=20, check=False)
        return done.stdout

    def start(self, command: str) -> None:
        """Start `command` in a fresh 80x24 session."""
        self.tmux("new-session", "-d", "-s", "tutor", "-x", "80", "-y", "24", command)

    def screen(self) -> str:
        """The visible text of the pane."""
        return self.tmux("capture-pane", "-p", "-t", "tutor")

    def wait_for(self, text: str, timeout: float = 30.0) -> str:
        """Wait until `text` is on screen; fail showing the screen if it never is."""
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            shown = self.screen()
            if text in shown:
                return shown
            time.sleep(0.1)
        pytest.fail(f"{text!r} never appeared; the screen was:\n{self.screen()}")

    def keys(self, *keys: str, literal: bool = False) -> None:
        """Send keys (tmux names such as Enter, C-n) or, with literal, plain text."""
        for key in keys:
            self.tmux("send-keys", "-t", "tutor", *(["-l"] if literal else []), key)
            time.sleep(0.1)

    def session_alive(self) -> bool:
        """True while the session's command has not finished."""
        return "tutor" in self.tmux("list-sessions", "-F", "#{session_name}")


@pytest.fixture
def terminal() -> Iterator[Terminal]:
    """A private tmux server, killed afterwards."""
    if shutil.which("tmux") is None:
        pytest.skip("tmux is not installed")
    if not SCRIPT.exists():
        pytest.skip(f"the gd-tutor console script is not next to {sys.executable}")
    term = Terminal(f"gd-tutor-e2e-{uuid.uuid4().hex[:8]}")
    yield term
    term.tmux("kill-server")


def _command(data_dir: Path) -> str:
    env = {"GD_TUTOR_DATA_DIR": str(data_dir), "GD_TUTOR_LESSONS_DIR": str(LESSONS),
           "TERM": "xterm-256color", "PATH": os.environ.get("PATH", "")}
    assigns = " ".join(f"{k}={shlex.quote(v)}" for k, v in env.items())
    return f"env -i HOME={shlex.quote(str(data_dir))} {assigns} {shlex.quote(str(SCRIPT))}"


def test_learner_runs_an_exercise_quits_and_comes_back(terminal: Terminal, tmp_path: Path) -> None:
    terminal.start(_command(tmp_path))
    terminal.wait_for("Lesson 1 of 3 - 0%")
    terminal.wait_for("First steps")
    terminal.wait_for("Press Enter to run")  # the exercise pane is mounted after the prose
    # Tab into the exercise's learning-rate field, type 0.4, run it with Enter.
    terminal.keys("Tab", "End", "BSpace", "BSpace", "BSpace")
    terminal.keys("0.4", literal=True)
    terminal.keys("Enter")
    terminal.wait_for("PASS")
    terminal.wait_for("Lesson 1 of 3 - 33%")
    terminal.keys("C-n")
    terminal.wait_for("Counting updates")
    terminal.keys("C-q")
    end = time.monotonic() + 15
    while terminal.session_alive() and time.monotonic() < end:
        time.sleep(0.1)
    assert not terminal.session_alive(), "ctrl+q did not quit"

    terminal.start(_command(tmp_path))
    shown = terminal.wait_for("Lesson 2 of 3 - 33%")
    assert "Counting updates" in shown
    terminal.keys("C-b")  # back in lesson 1, the typed rate is still there
    shown = terminal.wait_for("First steps")
    terminal.wait_for("rate  0.4")
