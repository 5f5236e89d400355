"""ProgressStore: round trips, states that never weaken, persistence across restarts."""

from __future__ import annotations

import ast
import sqlite3
import threading
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

import tutor
from store_backends import Opener
from tutor.progress import ExerciseRecord, ProgressStore, default_data_dir


def test_fresh_store_is_empty(open_store: Opener) -> None:
    with open_store() as store:
        assert store.warning is None and store.saving
        assert (store.current_lesson(), store.completed(), store.skipped()) == (None, [], [])
        assert store.exercise("a/b") == ExerciseRecord("new", 0, None, 0, None)
        assert store.last_seen() is None and store.attempts() == {}


def test_attempts_inputs_and_states(open_store: Opener) -> None:
    with open_store() as store:
        store.record_attempt("l1/e1", {"learning_rate": 0.1}, False)
        record = store.exercise("l1/e1")
        assert (record.state, record.attempts, record.last_inputs) == (
            "attempted", 1, {"learning_rate": 0.1})
        store.record_attempt("l1/e1", {"learning_rate": 0.4, "start": [3.0]}, True)
        record = store.exercise("l1/e1")
        assert (record.state, record.attempts) == ("done", 2)
        assert record.last_inputs == {"learning_rate": 0.4, "start": [3.0]}
        # A later failing attempt or a skip never undoes a pass.
        store.record_attempt("l1/e1", {"learning_rate": 9}, False)
        store.mark_skipped("l1/e1")
        assert store.exercise("l1/e1").state == "done" and store.exercise("l1/e1").attempts == 3
        assert store.completed() == ["l1/e1"]


def test_skipped_is_not_done_until_a_pass(open_store: Opener) -> None:
    with open_store() as store:
        store.mark_skipped("l1/e2")
        assert store.skipped() == ["l1/e2"] and store.completed() == []
        store.record_attempt("l1/e2", {"answer": "3"}, False)
        assert store.exercise("l1/e2").state == "skipped"
        store.record_attempt("l1/e2", {"answer": "4"}, True)
        assert store.skipped() == [] and store.completed() == ["l1/e2"]


def test_save_inputs_and_hints_do_not_count_attempts(open_store: Opener) -> None:
    with open_store() as store:
        store.save_inputs("l/e", {"function": "x^2 + 1"})
        store.set_hints_shown("l/e", 2)
        record = store.exercise("l/e")
        assert (record.state, record.attempts, record.hints_shown) == ("new", 0, 2)
        assert record.last_inputs == {"function": "x^2 + 1"}
        assert store.attempts() == {}


def test_everything_survives_a_restart(open_store: Opener) -> None:
    with open_store() as store:
        store.set_current_lesson("gradient-descent")
        store.set_learner("ada")
        store.record_attempt("a/one", {"learning_rate": 0.4}, True)
        store.mark_skipped("a/two")
        store.set_hints_shown("a/two", 3)
    with open_store() as store:
        assert store.warning is None
        assert store.current_lesson() == "gradient-descent" and store.learner() == "ada"
        assert store.completed() == ["a/one"] and store.skipped() == ["a/two"]
        assert store.exercise("a/one").last_inputs == {"learning_rate": 0.4}
        assert store.exercise("a/two").hints_shown == 3
        assert set(store.exercises()) == {"a/one", "a/two"}


def test_last_seen_is_stamped_by_writes_only(open_store: Opener) -> None:
    with open_store() as store:
        before = datetime.now(timezone.utc)
        store.touch()
        seen = store.last_seen()
        assert seen is not None and abs(seen - before) < timedelta(seconds=5)
    with open_store() as store:
        store.completed()
        assert store.last_seen() == seen


def test_reset_forgets_progress_but_keeps_the_name(open_store: Opener) -> None:
    with open_store() as store:
        store.set_learner("ada")
        store.set_current_lesson("x")
        store.record_attempt("a/b", {}, True)
        store.mark_skipped("a/c")
        assert store.reset() == 2
        assert (store.current_lesson(), store.completed(), store.skipped()) == (None, [], [])
        assert store.learner() == "ada"


def test_data_dir_from_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GD_TUTOR_DATA_DIR", str(tmp_path / "nested" / "dir"))
    assert default_data_dir() == tmp_path / "nested" / "dir"
    with ProgressStore.open() as store:
        store.set_current_lesson("here")
    assert (tmp_path / "nested" / "dir" / "progress.db").is_file()


def test_schema_is_versioned(tmp_path: Path) -> None:
    with ProgressStore.open(tmp_path) as store:
        assert store.path == tmp_path / "progress.db"
    conn = sqlite3.connect(tmp_path / "progress.db")
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 2
    conn.close()


def test_threads_can_share_a_store(open_store: Opener) -> None:
    with open_store() as store:
        def work(n: int) -> None:
            for i in range(25):
                store.record_attempt(f"t/{n}", {"i": i}, False)
        threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert store.attempts() == {f"t/{n}": 25 for n in range(4)}


def test_inputs_that_are_not_json_are_kept_as_text(open_store: Opener) -> None:
    with open_store() as store:
        store.save_inputs("a/b", {"data": Path("/tmp/x.csv")})
        assert store.exercise("a/b").last_inputs == {"data": "/tmp/x.csv"}


def test_progress_imports_neither_ui_nor_engine() -> None:
    banned = ("tutor.ui", "tutor.engine", "tutor.lessons", "tutor.serve", "textual", "sympy")
    folder = Path(tutor.__file__).parent / "progress"
    for path in folder.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            assert not [n for n in names if n.startswith(banned)], path


def test_a_failed_write_warns_instead_of_crashing(tmp_path: Path) -> None:
    store = ProgressStore.open(tmp_path)
    store.record_attempt("a/kept", {}, True)
    store.close()  # any later write now fails inside SQLite
    store.record_attempt("a/lost", {}, True)
    assert store.failed_writes == 1
    assert store.warning is not None
    assert store.warning.startswith("Your progress could not be saved (")
    with ProgressStore.open(tmp_path) as again:
        assert again.completed() == ["a/kept"]
