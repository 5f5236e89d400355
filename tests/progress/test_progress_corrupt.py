"""A damaged store is moved aside with a warning and a fresh one starts; a store that is
not damaged but cannot be used (a folder, another program's or a newer schema) is left alone."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tutor.progress import ProgressStore
from tutor.progress import opening


def _aside(folder: Path) -> list[Path]:
    return sorted(p for p in folder.glob("progress.db.corrupt-*")
                  if not p.name.endswith(("-wal", "-shm", "-journal")))


def _assert_fresh_with_warning(folder: Path) -> ProgressStore:
    store = ProgressStore.open(folder)
    (moved,) = _aside(folder)
    assert store.warning == (f"Your progress file could not be read, so it was moved to {moved} "
                             "and a fresh one was started.")
    assert store.completed() == [] and store.current_lesson() is None
    store.record_attempt("a/b", {}, True)
    assert store.completed() == ["a/b"]
    return store


def test_garbage_bytes(tmp_path: Path) -> None:
    garbage = b"this is not sqlite \x00\xff" * 200
    (tmp_path / "progress.db").write_bytes(garbage)
    _assert_fresh_with_warning(tmp_path).close()
    (moved,) = _aside(tmp_path)
    assert moved.read_bytes() == garbage  # nothing is lost


def _assert_kept_and_not_saved(folder: Path, cause: str) -> ProgressStore:
    store = ProgressStore.open(folder)
    assert _aside(folder) == []
    assert store.saving is False and store.path is None
    assert (store.warning or "").startswith(
        f"Progress is not being saved: {folder / 'progress.db'} cannot be opened")
    assert cause in (store.warning or "") and "it is left as it is" in (store.warning or "")
    store.record_attempt("a/b", {}, True)  # the session goes on in memory
    assert store.completed() == ["a/b"]
    return store


def test_a_folder_in_the_way_is_left_alone(tmp_path: Path) -> None:
    (tmp_path / "progress.db").mkdir()
    (tmp_path / "progress.db" / "keep.txt").write_text("mine", encoding="utf-8")
    _assert_kept_and_not_saved(tmp_path, "is a folder or a special file").close()
    assert [p.name for p in (tmp_path / "progress.db").iterdir()] == ["keep.txt"]


@pytest.mark.parametrize(("sql", "cause"), [
    ("CREATE TABLE notes(text TEXT)", "schema version 0"),     # someone else's database
    ("PRAGMA user_version = 7", "schema version 7"),           # a newer gd-tutor's store
])
def test_another_schema_is_left_alone(tmp_path: Path, sql: str, cause: str) -> None:
    conn = sqlite3.connect(tmp_path / "progress.db")
    conn.executescript(sql)
    conn.close()
    before = (tmp_path / "progress.db").read_bytes()
    _assert_kept_and_not_saved(tmp_path, cause).close()
    assert (tmp_path / "progress.db").read_bytes() == before


def test_our_schema_with_tables_missing_is_damaged(tmp_path: Path) -> None:
    conn = sqlite3.connect(tmp_path / "progress.db")
    conn.executescript("CREATE TABLE facts(name TEXT); CREATE TABLE exercises(key TEXT); "
                       "PRAGMA user_version = 1")
    conn.close()
    _assert_fresh_with_warning(tmp_path).close()


def test_truncated_store(tmp_path: Path) -> None:
    with ProgressStore.open(tmp_path) as store:
        for i in range(200):
            store.record_attempt(f"l/e{i}", {"text": "x" * 200}, True)
    path = tmp_path / "progress.db"
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 3])
    _assert_fresh_with_warning(tmp_path).close()
    (moved,) = _aside(tmp_path)
    assert moved.read_bytes() == data[: len(data) // 3]


def test_two_corruptions_keep_both_copies(tmp_path: Path) -> None:
    for _ in range(2):
        (tmp_path / "progress.db").write_bytes(b"garbage" * 100)
        ProgressStore.open(tmp_path).close()
        for extra in tmp_path.glob("progress.db-*"):
            extra.unlink()
    assert len(_aside(tmp_path)) == 2


def test_a_store_that_cannot_be_moved_aside_still_works(tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "progress.db").write_bytes(b"garbage" * 100)
    monkeypatch.setattr(opening, "move_aside", lambda path: None)
    store = ProgressStore.open(tmp_path)
    assert store.path is None and store.saving is False
    assert store.warning == (f"Progress is not being saved: {tmp_path / 'progress.db'} is damaged "
                             "and cannot be moved aside; this session is not remembered.")
    store.record_attempt("a/b", {}, True)
    assert store.completed() == ["a/b"]
    store.close()
    assert (tmp_path / "progress.db").read_bytes() == b"garbage" * 100


def test_a_file_where_the_folder_should_be(tmp_path: Path) -> None:
    blocker = tmp_path / "data"
    blocker.write_text("a file, not a folder", encoding="utf-8")
    store = ProgressStore.open(blocker)
    assert store.path is None and "cannot be created" in (store.warning or "")
    store.set_current_lesson("x")
    assert store.current_lesson() == "x"
    store.close()
