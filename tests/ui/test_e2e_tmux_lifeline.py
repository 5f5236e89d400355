"""End to end: when its terminal goes away, at any moment, the real `gd-tutor` saves what it
can and is gone within a second; SIGTERM always ends it.

The tmux session is killed right away, after the first paint and after the lesson has
loaded, with SIGHUP as usual and with SIGHUP inherited as ignored (then only the hang-up
on stdin tells). Deadlines are polled, never slept.
"""

from __future__ import annotations

import os
import shlex
import signal
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from tutor.progress import ProgressStore

pytestmark = pytest.mark.e2e

LESSONS = Path(__file__).parent / "fixtures" / "lessons"
SCRIPT = Path(sys.executable).parent / "gd-tutor"
GONE_WITHIN_S = 1.5  # the tutor's own deadline is 0.75 s; the rest is slack for a busy machine


def _command(data_dir: Path, *, ignore_hup: bool = False) -> str:
    env = {"GD_TUTOR_DATA_DIR": str(data_dir), "GD_TUTOR_LESSONS_DIR": str(LESSONS),
           "TERM": "xterm-256color", "PATH": os.environ.get("PATH", "")}
    assigns = " ".join(f"{k}={shlex.quote(v)}" for k, v in env.items())
    run = f"exec env -i HOME={shlex.quote(str(data_dir))} {assigns} {shlex.quote(str(SCRIPT))}"
    trap = "trap '' HUP; " if ignore_hup else ""
    return f"sh -c {shlex.quote(trap + run)}"


def _pid(terminal: Any) -> int:
    return int(terminal.tmux("display-message", "-p", "-t", "tutor", "#{pane_pid}").strip())


def _running(pid: int) -> bool:
    """True while `pid` runs (a zombie waiting for its parent has ended)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="utf-8") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def _gone_within(pid: int, seconds: float) -> float | None:
    """Seconds until `pid` ended, or None if it still runs after `seconds`."""
    start = time.monotonic()
    while time.monotonic() - start < seconds:
        if not _running(pid):
            return time.monotonic() - start
        time.sleep(0.01)
    return None


def _end_and_check(terminal: Any, pid: int, how: str) -> None:
    if how == "kill-session":
        terminal.tmux("kill-session", "-t", "tutor")
    else:
        os.kill(pid, signal.SIGTERM)
    took = _gone_within(pid, GONE_WITHIN_S)
    if took is None:
        os.kill(pid, signal.SIGKILL)
    assert took is not None, f"gd-tutor still ran {GONE_WITHIN_S} s after {how}"


@pytest.mark.parametrize(("moment", "ignore_hup"), [
    ("right away", True),
    ("after the first paint", False),
    ("after the first paint", True),
    ("after the lesson loads", True),
])
def test_the_tutor_goes_when_its_terminal_goes(terminal: Any, tmp_path: Path, moment: str,
                                               ignore_hup: bool) -> None:
    terminal.start(_command(tmp_path, ignore_hup=ignore_hup))
    pid = _pid(terminal)
    if moment != "right away":
        terminal.wait_for("Lesson 1 of 3")
    if moment == "after the lesson loads":
        terminal.wait_for("Press Enter to run")
    _end_and_check(terminal, pid, "kill-session")


def test_typing_not_yet_saved_is_saved_when_the_terminal_goes(terminal: Any,
                                                              tmp_path: Path) -> None:
    terminal.start(_command(tmp_path))
    pid = _pid(terminal)
    terminal.wait_for("Press Enter to run")
    terminal.keys("Tab", "End", "BSpace", "BSpace", "BSpace")
    terminal.keys("0.25", literal=True)
    terminal.wait_for("rate  0.25")  # on screen, and not yet saved: that waits 0.6 s
    _end_and_check(terminal, pid, "kill-session")  # well inside the pane's 0.6 s save delay
    with ProgressStore.open(tmp_path) as store:
        assert store.current_lesson() == "first-steps"
        inputs = store.exercise("first-steps/first-run").last_inputs or {}
        assert inputs.get("learning_rate") == "0.25"


@pytest.mark.parametrize("moment", ["during start-up", "after the lesson loads"])
def test_sigterm_always_ends_the_tutor(terminal: Any, tmp_path: Path, moment: str) -> None:
    terminal.start(_command(tmp_path))
    pid = _pid(terminal)
    if moment == "during start-up":  # Python runs gd-tutor; nothing is painted yet
        end = time.monotonic() + 10
        while "python" not in os.readlink(f"/proc/{pid}/exe") and time.monotonic() < end:
            time.sleep(0.005)
        assert "Lesson" not in terminal.screen()
    else:
        terminal.wait_for("Press Enter to run")
    _end_and_check(terminal, pid, "SIGTERM")
