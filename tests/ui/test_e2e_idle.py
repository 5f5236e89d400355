"""End to end: a tutor left alone on any lesson uses no CPU (real console script, tmux).

A learner reading a lesson, or a serve node with fifty learners reading, must cost
nothing: a widget that asks for a new layout while being laid out makes Textual lay
the screen out again and again, forever (a folded button row did, at ~50% of a core).
"""

from __future__ import annotations

import os
import shlex
import sys
import time
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.e2e

SCRIPT = Path(sys.executable).parent / "gd-tutor"
WINDOW_S = 0.5
IDLE_TICKS = 3
"""At most this many clock ticks (1/100 s each) of CPU in a WINDOW_S window is idle; a
layout loop used 20-40."""


def _cpu_ticks(pid: int) -> int:
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return int(fields[11]) + int(fields[12])


def _tutor_pid(pane_pid: int) -> int:
    """The gd-tutor process in the pane (the pane's command or one of its children)."""
    for _ in range(100):
        for entry in [pane_pid, *(int(p) for p in os.listdir("/proc") if p.isdigit())]:
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
                cmdline = Path(f"/proc/{entry}/cmdline").read_bytes()
            except OSError:
                continue
            ppid = int(stat.rpartition(")")[2].split()[1])
            if (entry == pane_pid or ppid == pane_pid) and b"gd-tutor" in cmdline \
                    and not cmdline.startswith(b"env"):
                return entry
        time.sleep(0.1)
    raise AssertionError("no gd-tutor process in the pane")


def _settles(pid: int, timeout: float = 20.0) -> bool:
    """True once a WINDOW_S window passes with at most IDLE_TICKS of CPU."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        before = _cpu_ticks(pid)
        time.sleep(WINDOW_S)
        if _cpu_ticks(pid) - before <= IDLE_TICKS:
            return True
    return False


@pytest.mark.parametrize("size", [(80, 24), (60, 20)], ids=["80x24", "60x20"])
def test_every_lesson_left_alone_goes_idle(terminal: Any, tmp_path: Path,
                                           size: tuple[int, int]) -> None:
    env = {"GD_TUTOR_DATA_DIR": str(tmp_path), "TERM": "xterm-256color",
           "PATH": os.environ.get("PATH", "")}
    assigns = " ".join(f"{k}={shlex.quote(v)}" for k, v in env.items())
    terminal.start(f"env -i HOME={shlex.quote(str(tmp_path))} {assigns} "
                   f"{shlex.quote(str(SCRIPT))}")
    terminal.tmux("resize-window", "-t", "tutor", "-x", str(size[0]), "-y", str(size[1]))
    shown = terminal.wait_for("Lesson 1 of")
    total = int(shown.split("Lesson 1 of", 1)[1].split()[0])
    pid = _tutor_pid(int(terminal.tmux("list-panes", "-t", "tutor", "-F",
                                       "#{pane_pid}").split()[0]))
    for number in range(1, total + 1):
        terminal.wait_for(f"Lesson {number} of {total}")
        assert _settles(pid), f"at {size[0]}x{size[1]} lesson {number} never went idle"
        terminal.keys("C-n")
