"""Fixtures for the lesson tests: paths to the fixture lesson folders."""

from __future__ import annotations

from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture
def fixtures() -> Path:
    """The folder holding good/, broken/ and unsound/ lesson folders."""
    return FIXTURES


def marked_lines(path: Path, marker: str = "PROBLEM") -> set[int]:
    """1-based numbers of the lines carrying `marker` in a fixture file."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return {i for i, text in enumerate(lines, start=1) if marker in text}
