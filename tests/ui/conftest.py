"""Shared fixtures for the app-shell tests: fixture lessons and an isolated data dir."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
LESSONS = FIXTURES / "lessons"
BROKEN = FIXTURES / "broken"


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
def make_app(data_dir: Path, lessons_dir: Path) -> Callable[..., object]:
    """Build a TutorApp on the fixture lessons and the temporary data dir."""
    from tutor.ui.app import TutorApp

    def build(**options: object) -> TutorApp:
        options.setdefault("lessons_dir", lessons_dir)
        options.setdefault("data_dir", data_dir)
        return TutorApp(**options)  # type: ignore[arg-type]

    return build
