"""Shared fixtures for the UI tests: fixture lessons, an isolated data dir, a tmux terminal.

The shared helpers (host apps, `ready`, `settle`, `wait_until`) live in ui_testkit.py
beside this file; this conftest puts the folder on `sys.path` so tests import them.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

FIXTURES = Path(__file__).parent / "fixtures"
LESSONS = FIXTURES / "lessons"
BROKEN_LESSON = FIXTURES / "04-broken.md"
"""A lesson that cannot load; `broken_lessons_dir` puts it beside the three good ones."""


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh progress folder, also exported as GD_TUTOR_DATA_DIR."""
    folder = tmp_path / "data"
    folder.mkdir()
    monkeypatch.setenv("GD_TUTOR_DATA_DIR", str(folder))
    monkeypatch.delenv("GD_TUTOR_LEARNER", raising=False)
    return folder


@pytest.fixture
def lessons_dir(monkeypatch: pytest.MonkeyPatch) -> Path:
    """The three fixture lessons, also exported as GD_TUTOR_LESSONS_DIR."""
    monkeypatch.setenv("GD_TUTOR_LESSONS_DIR", str(LESSONS))
    return LESSONS


@pytest.fixture
def broken_lessons_dir(tmp_path: Path) -> Path:
    """The three fixture lessons and 04-broken.md in one folder (built here, not kept twice)."""
    folder = shutil.copytree(LESSONS, tmp_path / "broken")
    shutil.copy(BROKEN_LESSON, folder)
    return folder


@pytest.fixture
def make_app(data_dir: Path, lessons_dir: Path) -> Callable[..., object]:
    """Build a TutorApp on the fixture lessons and the temporary data dir."""
    from tutor.ui.app import TutorApp

    def build(**options: object) -> TutorApp:
        options.setdefault("lessons_dir", lessons_dir)
        options.setdefault("data_dir", data_dir)
        return TutorApp(**options)  # type: ignore[arg-type]

    return build


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
    """A private tmux server for end-to-end tests, killed afterwards."""
    if shutil.which("tmux") is None:
        pytest.skip("tmux is not installed")
    if not (Path(sys.executable).parent / "gd-tutor").exists():
        pytest.skip(f"the gd-tutor console script is not next to {sys.executable}")
    term = Terminal(f"gd-tutor-e2e-{uuid.uuid4().hex[:8]}")
    yield term
    term.tmux("kill-server")
