"""Fixtures for the progress tests: the throwaway PostgreSQL cluster from tests/support."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from support.postgres import postgres_server, postgres_url  # noqa: E402,F401

from collections.abc import Callable  # noqa: E402

import pytest  # noqa: E402

from store_backends import BACKENDS, Opener  # noqa: E402
from tutor.progress import ProgressStore  # noqa: E402


@pytest.fixture(autouse=True)
def _own_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test writes to the real user data folder (a database session journals there)."""
    monkeypatch.setenv("GD_TUTOR_DATA_DIR", str(tmp_path / "default-data"))


@pytest.fixture(params=BACKENDS)
def open_store(request: pytest.FixtureRequest, tmp_path: Path) -> Opener:
    """Opens one learner's store on each backend in turn (a fresh database for PostgreSQL)."""
    if request.param == "sqlite":
        return lambda: ProgressStore.open(tmp_path)
    url = request.getfixturevalue("postgres_url")
    return lambda: ProgressStore.open(database=url, learner="ada")


@pytest.fixture
def pg_opener(postgres_url: str) -> Callable[..., ProgressStore]:
    """Opens a learner's store (default "ada") in a fresh PostgreSQL database."""
    return lambda learner="ada": ProgressStore.open(database=postgres_url, learner=learner)
