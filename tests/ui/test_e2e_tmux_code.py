"""A code exercise in a real terminal (tmux): F5 runs from the editor, Esc leaves it."""

from __future__ import annotations

import os
import shlex
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from tutor.lessons import load_lessons
from tutor.progress import ProgressStore

pytestmark = pytest.mark.e2e

LESSONS = Path(__file__).resolve().parents[1] / "practice" / "fixtures" / "code"
SCRIPT = Path(sys.executable).parent / "gd-tutor"


def _command(data_dir: Path) -> str:
    env = {"GD_TUTOR_DATA_DIR": str(data_dir), "GD_TUTOR_LESSONS_DIR": str(LESSONS),
           "TERM": "xterm-256color", "PATH": os.environ.get("PATH", "")}
    assigns = " ".join(f"{k}={shlex.quote(v)}" for k, v in env.items())
    return f"env -i HOME={shlex.quote(str(data_dir))} {assigns} {shlex.quote(str(SCRIPT))}"


def test_f5_runs_saved_code_and_esc_leaves_the_editor(terminal: Any, tmp_path: Path) -> None:
    whole = next(e for e in load_lessons(LESSONS).lessons[0].exercises if e.id == "whole")
    with ProgressStore.open(tmp_path) as store:  # code typed in an earlier session
        store.save_inputs("code/whole", {"code": whole.code.reference})
    terminal.start(_command(tmp_path))
    terminal.wait_for("x_list = [new_x]")  # the saved code is back in the editor
    terminal.keys("Tab")
    terminal.wait_for("esc Leave")  # the footer shows the editor's keys (short: they do not fit)
    terminal.keys("F5")
    terminal.wait_for("PASS")
    terminal.keys("Escape")
    end = time.monotonic() + 10
    while "esc Leave" in terminal.screen() and time.monotonic() < end:
        time.sleep(0.1)
    assert "esc Leave" not in terminal.screen()  # focus left the editor
