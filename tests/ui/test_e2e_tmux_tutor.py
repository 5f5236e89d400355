"""End to end: the real `gd-tutor` console script in tmux at 80x24, typed at like a learner."""

from __future__ import annotations

import os
import shlex
import sys
import time
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.e2e

LESSONS = Path(__file__).parent / "fixtures" / "lessons"
SCRIPT = Path(sys.executable).parent / "gd-tutor"


def _command(data_dir: Path) -> str:
    env = {"GD_TUTOR_DATA_DIR": str(data_dir), "GD_TUTOR_LESSONS_DIR": str(LESSONS),
           "TERM": "xterm-256color", "PATH": os.environ.get("PATH", "")}
    assigns = " ".join(f"{k}={shlex.quote(v)}" for k, v in env.items())
    return f"env -i HOME={shlex.quote(str(data_dir))} {assigns} {shlex.quote(str(SCRIPT))}"


def test_learner_runs_an_exercise_quits_and_comes_back(terminal: Any, tmp_path: Path) -> None:
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
