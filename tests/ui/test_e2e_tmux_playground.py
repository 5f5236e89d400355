"""End to end: the real `gd-tutor playground` in tmux at 80x24, typed into as a learner would."""

from __future__ import annotations

import shlex
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed"),
]

GD_TUTOR = Path(sys.executable).parent / "gd-tutor"


class Tmux:
    """One private tmux session running a command."""

    def __init__(self, command: str, size: tuple[int, int] = (80, 24)) -> None:
        self.name = f"gd-e2e-{uuid.uuid4().hex[:8]}"
        subprocess.run(["tmux", "new-session", "-d", "-s", self.name, "-x", str(size[0]),
                        "-y", str(size[1]), command], check=True)

    def screen(self) -> str:
        """The visible text of the pane."""
        done = subprocess.run(["tmux", "capture-pane", "-p", "-t", self.name],
                              capture_output=True, text=True, check=False)
        return done.stdout

    def keys(self, *keys: str, literal: bool = False) -> None:
        """Send keys (`-l` for literal text)."""
        flag = ["-l"] if literal else []
        subprocess.run(["tmux", "send-keys", "-t", self.name, *flag, *keys], check=True)

    def wait_for(self, text: str, timeout: float = 30.0) -> str:
        """Return the screen once `text` is on it, or fail showing the screen."""
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            shown = self.screen()
            if text in shown:
                return shown
            time.sleep(0.1)
        pytest.fail(f"{text!r} did not appear within {timeout:.0f} s; the screen was:\n{self.screen()}")

    def close(self) -> None:
        """End the session (and the program in it)."""
        subprocess.run(["tmux", "kill-session", "-t", self.name], check=False,
                       capture_output=True)


@pytest.fixture
def playground(tmp_path: Path) -> Iterator[Tmux]:
    env = {"GD_TUTOR_DATA_DIR": str(tmp_path / "data"), "TERM": "xterm-256color"}
    exports = " ".join(f"{k}={shlex.quote(v)}" for k, v in env.items())
    assert GD_TUTOR.exists(), f"the gd-tutor console script is not next to {sys.executable}"
    session = Tmux(f"env -u NO_COLOR {exports} {shlex.quote(str(GD_TUTOR))} playground")
    try:
        yield session
    finally:
        session.close()


def test_playground_runs_x_squared_and_shows_converged_with_the_count(playground: Tmux) -> None:
    playground.wait_for("Playground")
    for key in ("x^2", "Tab", "3", "Tab", "0.1", "Enter"):
        playground.keys(key, literal=key not in ("Tab", "Enter"))
        time.sleep(0.05)
    shown = playground.wait_for("converged")
    assert "converged in 40 iterations" in shown
    assert "cost per iteration" in shown  # the plot is on the 80x24 screen too
    lines = shown.splitlines()
    assert len(lines) <= 24


def test_playground_step_key_shows_the_three_steps(playground: Tmux) -> None:
    playground.wait_for("Playground")
    for key in ("x^2", "Tab", "3", "Tab", "0.1", "C-t"):
        playground.keys(key, literal=key not in ("Tab", "C-t"))
        time.sleep(0.05)
    shown = playground.wait_for("3 learn")
    assert "1 predict: x = 3, f(x) = 9" in shown
    assert "2 calculate the error: slope = 6" in shown
    assert "= 2.4" in shown
