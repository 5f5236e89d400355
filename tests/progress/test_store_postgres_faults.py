"""PostgreSQL goes away mid-class: the learner keeps working, nothing is lost, and a
server that stays away is reported once in the header's "not saved" way.

These stop and start the session's real throwaway server (tests/support/postgres.py).
"""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from support.postgres import PostgresCluster
from tutor.progress import ProgressStore
from tutor.progress.postgres import PostgresReplica

QUICK = 0.5
"""A write while the server is away must still return at once (seconds)."""


def wait_until(condition: Callable[[], bool], timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


@pytest.fixture
def server(postgres_server: PostgresCluster) -> Iterator[PostgresCluster]:
    """The session's cluster, running again after the test whatever happened."""
    yield postgres_server
    if not postgres_server.running():
        postgres_server.start()


def _open(url: str) -> ProgressStore:
    store = ProgressStore.open(database=url, learner="ada")
    assert store.replica is not None
    return store


def test_a_restart_mid_run_loses_nothing_and_keeps_the_order(
        server: PostgresCluster, postgres_url: str) -> None:
    store = _open(postgres_url)
    for n in range(5):
        store.record_attempt("l/e", {"n": n}, False, "wrong")
    assert store.flush(10)
    server.stop()
    started = time.monotonic()
    for n in range(5, 10):
        store.record_attempt("l/e", {"n": n}, n == 9, "wrong")
        store.set_place(f"l/e#{n}")
    assert time.monotonic() - started < QUICK * 10
    assert store.exercise("l/e").attempts == 10 and store.pending >= 10
    server.start()
    assert store.flush(20)
    store.close()
    with _open(postgres_url) as again:
        assert [a.inputs["n"] for a in again.attempt_history("l/e")] == list(range(10))
        assert again.exercise("l/e").state == "done" and again.place() == "l/e#9"


def test_a_server_that_stays_away_is_reported_once_then_saving_resumes(
        server: PostgresCluster, postgres_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(PostgresReplica, "STALL_SECONDS", 0.3)
    told: list[str] = []
    store = _open(postgres_url)
    store.on_warning = told.append
    server.stop()
    store.set_current_lesson("lesson-two")
    store.record_attempt("l/e", {"n": 1}, True)
    wait_until(lambda: not store.saving)
    assert len(told) == 1 and told[0].startswith("Progress is not being saved")
    assert "saved when it is back" in told[0]
    server.start()
    wait_until(lambda: store.saving)
    assert told[1] == "Progress is being saved again: the database is back." and store.pending == 0
    store.close()
    with _open(postgres_url) as again:
        assert again.current_lesson() == "lesson-two" and again.completed() == ["l/e"]


def test_a_server_away_at_start_is_loaded_and_saved_to_when_it_is_back(
        server: PostgresCluster, postgres_url: str) -> None:
    with _open(postgres_url) as before:
        before.record_attempt("l/old", {}, True)
    server.stop()
    store = _open(postgres_url)
    assert not store.saving and (store.warning or "").startswith(
        "Progress could not be loaded from the database")
    store.record_attempt("l/new", {}, True)
    assert store.completed() == ["l/new"]
    server.start()
    wait_until(lambda: store.saving)
    assert store.completed() == ["l/new", "l/old"]  # the copy is reloaded once all landed
    store.close()
    with _open(postgres_url) as again:
        assert again.completed() == ["l/new", "l/old"]


KILLED_WHILE_AWAY = """
import os, sys
from tutor.progress import ProgressStore
store = ProgressStore.open(sys.argv[1], database=sys.argv[2], learner="ada")
store.record_attempt("l/e", {"n": 1}, False, "wrong")
store.record_attempt("l/e", {"n": 2}, True)
store.set_place("l/e#2")
print(store.pending, flush=True)
os._exit(0)  # killed: no close, no flush
"""


def test_writes_of_a_tutor_killed_while_the_server_is_away_land_at_its_next_start(
        server: PostgresCluster, postgres_url: str, tmp_path: Path) -> None:
    folder = tmp_path / "ada"
    server.stop()
    out = subprocess.run([sys.executable, "-c", KILLED_WHILE_AWAY, str(folder), postgres_url],
                         capture_output=True, text=True, timeout=60)
    assert out.stdout.strip() == "3", out.stderr
    assert [p.name.startswith("pending-") for p in folder.iterdir()] == [True]
    server.start()
    with ProgressStore.open(folder, database=postgres_url, learner="ada") as store:
        assert store.warning is None and store.completed() == ["l/e"]
        assert [a.inputs["n"] for a in store.attempt_history()] == [1, 2]
        assert store.place() == "l/e#2"
    assert list(folder.iterdir()) == []
    with ProgressStore.open(folder, database=postgres_url, learner="ada") as again:
        assert again.exercise("l/e").attempts == 2  # landed once, not again


def test_closing_while_the_server_is_away_keeps_the_writes_for_the_next_start(
        server: PostgresCluster, postgres_url: str, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(PostgresReplica, "CLOSE_SECONDS", 0.2)
    store = ProgressStore.open(tmp_path, database=postgres_url, learner="ada")
    server.stop()
    store.set_hints_shown("l/e", 2)
    store.close()
    assert "1 change(s) could not be saved yet" in (store.warning or "")
    assert "saved the next time you start" in (store.warning or "")
    server.start()
    with ProgressStore.open(tmp_path, database=postgres_url, learner="ada") as again:
        assert again.exercise("l/e").hints_shown == 2
