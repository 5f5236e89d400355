"""Attempt history: appended with the progress it changes, bounded, migrated into old stores."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from store_backends import Opener
from tutor.progress import KEEP_PER_EXERCISE, ProgressStore
from tutor.progress.database import copy_to_memory

V1_SCHEMA = """
CREATE TABLE facts (name TEXT PRIMARY KEY, value TEXT);
CREATE TABLE exercises (key TEXT PRIMARY KEY, state TEXT NOT NULL DEFAULT 'new',
    attempts INTEGER NOT NULL DEFAULT 0, last_inputs TEXT NOT NULL DEFAULT '{}',
    hints_shown INTEGER NOT NULL DEFAULT 0, updated REAL NOT NULL);
INSERT INTO exercises VALUES ('l/e', 'attempted', 4, '{"answer": "3"}', 1, 1.0);
INSERT INTO facts VALUES ('current_lesson', 'l');
PRAGMA user_version = 1;
"""


def _old_store(folder: Path) -> Path:
    """A store as gd-tutor wrote it before the history (schema version 1)."""
    folder.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(folder / "progress.db")
    conn.executescript(V1_SCHEMA)
    conn.close()
    return folder / "progress.db"


def test_each_attempt_keeps_inputs_verdict_diagnosis_hints_and_time(open_store: Opener) -> None:
    with open_store() as store:
        store.set_hints_shown("l/e", 1)
        store.record_attempt("l/e", {"learning_rate": "1.1"}, False, "diverged_oscillating",
                             "It diverged.")
        store.set_hints_shown("l/e", 2)
        store.record_attempt("l/e", {"learning_rate": "0.4"}, True, None, "Done.")
        store.record_attempt("m/f", {"answer": "-2"}, False, "answer_sign")
        seen = store.attempt_history("l/e")
        assert [(a.inputs, a.passed, a.diagnosis, a.message, a.hints) for a in seen] == [
            ({"learning_rate": "1.1"}, False, "diverged_oscillating", "It diverged.", 1),
            ({"learning_rate": "0.4"}, True, None, "Done.", 2)]
        assert seen[0].at <= seen[1].at and seen[1].at == store.exercise("l/e").updated
        assert [a.key for a in store.attempt_history()] == ["l/e", "l/e", "m/f"]
        assert store.attempt_history()[2].as_json()["diagnosis"] == "answer_sign"
    with open_store() as again:
        assert len(again.attempt_history()) == 3


def test_history_is_bounded_per_exercise(open_store: Opener) -> None:
    with open_store() as store:
        for n in range(KEEP_PER_EXERCISE + 5):
            store.record_attempt("l/e", {"n": n}, False, "wrong")
        store.record_attempt("l/other", {"n": -1}, False)
        kept = store.attempt_history("l/e")
        assert len(kept) == KEEP_PER_EXERCISE
        assert kept[0].inputs == {"n": 5} and kept[-1].inputs == {"n": KEEP_PER_EXERCISE + 4}
        assert store.exercise("l/e").attempts == KEEP_PER_EXERCISE + 5
        assert len(store.attempt_history("l/other")) == 1


def test_history_and_progress_commit_together(tmp_path: Path) -> None:
    """If the history row cannot be written, the attempt is not counted either."""
    with ProgressStore.open(tmp_path) as store:
        store._conn.execute("CREATE TRIGGER refuse BEFORE INSERT ON attempts "
                            "BEGIN SELECT RAISE(ABORT, 'refused'); END")
        store.record_attempt("l/e", {"answer": "1"}, True)
        # The write failed on disk; the store went on in memory, where it was applied again.
        assert not store.saving
    with ProgressStore.open_read_only(tmp_path) as on_disk:
        assert on_disk.exercise("l/e").attempts == 0 and on_disk.attempt_history() == []


def test_an_old_store_opens_and_gains_the_history(tmp_path: Path) -> None:
    path = _old_store(tmp_path)
    with ProgressStore.open_read_only(tmp_path) as reader:
        assert reader.exercise("l/e").attempts == 4 and reader.attempt_history() == []
    with ProgressStore.open(tmp_path) as store:
        assert store.warning is None and store.saving
        assert store.current_lesson() == "l" and store.exercise("l/e").attempts == 4
        store.record_attempt("l/e", {"answer": "4"}, True, None, "Right.")
        assert store.exercise("l/e").state == "done"
        assert [a.hints for a in store.attempt_history()] == [1]
    assert sqlite3.connect(path).execute("PRAGMA user_version").fetchone()[0] == 2


def test_an_unwritable_old_store_keeps_the_history_in_memory(tmp_path: Path) -> None:
    """The in-memory copy a session runs on when the old file cannot be written gains the
    table too, so attempts (and the progress they change) are not lost for the session."""
    path = _old_store(tmp_path)
    source = sqlite3.connect(path)
    store = ProgressStore(copy_to_memory(source), None, "not saved")
    source.close()
    with store:
        store.record_attempt("l/e", {"answer": "4"}, True, "x")
        assert store.exercise("l/e").attempts == 5
        assert [a.diagnosis for a in store.attempt_history()] == ["x"]
    assert sqlite3.connect(path).execute("PRAGMA user_version").fetchone()[0] == 1


def test_reset_forgets_the_history(open_store: Opener) -> None:
    with open_store() as store:
        store.record_attempt("l/e", {}, False, "wrong")
        store.reset()
        assert store.attempt_history() == []
