"""End to end: the real `gd-tutor playground` in tmux at 80x24, typed into as a learner would."""

from __future__ import annotations

import shlex
import shutil
import sys
import time
from pathlib import Path
from typing import Any

import pytest

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed"),
]

GD_TUTOR = Path(sys.executable).parent / "gd-tutor"


@pytest.fixture
def playground(terminal: Any, tmp_path: Path) -> Any:
    """The real `gd-tutor playground` in the shared 80x24 tmux terminal (conftest.py)."""
    env = {"GD_TUTOR_DATA_DIR": str(tmp_path / "data"), "TERM": "xterm-256color"}
    exports = " ".join(f"{k}={shlex.quote(v)}" for k, v in env.items())
    assert GD_TUTOR.exists(), f"the gd-tutor console script is not next to {sys.executable}"
    terminal.start(f"env -u NO_COLOR {exports} {shlex.quote(str(GD_TUTOR))} playground")
    return terminal


def test_playground_runs_x_squared_and_shows_converged_with_the_count(playground: Any) -> None:
    playground.wait_for("Playground")
    for key in ("x^2", "Tab", "3", "Tab", "0.1", "Enter"):
        playground.keys(key, literal=key not in ("Tab", "Enter"))
        time.sleep(0.05)
    shown = playground.wait_for("converged")
    assert "converged in 40 updates" in shown
    assert "cost per iteration" in shown  # the plot is on the 80x24 screen too
    lines = shown.splitlines()
    assert len(lines) <= 24


def test_playground_step_key_shows_the_three_steps(playground: Any) -> None:
    playground.wait_for("Playground")
    for key in ("x^2", "Tab", "3", "Tab", "0.1", "C-t"):
        playground.keys(key, literal=key not in ("Tab", "C-t"))
        time.sleep(0.05)
    shown = playground.wait_for("3 learn")
    assert "1 predict: x = 3, f(x) = 9" in shown
    assert "2 calculate the error: slope = 6" in shown
    assert "= 2.4" in shown
