"""`gd-tutor class-report`: real progress stores under <data-dir>/learners/<name>."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

from support.as_nobody import AS_NOBODY, folder_for_nobody

from tutor.progress import ProgressStore
from tutor.serve.report import class_report, format_report


def _learner(data_dir: Path, name: str, lesson: str | None, done: int, skipped: int) -> None:
    with ProgressStore.open(data_dir / "learners" / name) as store:
        if lesson:
            store.set_current_lesson(lesson)
        for i in range(done):
            store.record_attempt(f"{lesson}/ex{i}", {"learning_rate": 0.1}, True)
        for i in range(skipped):
            store.mark_skipped(f"{lesson}/skip{i}")
        store.record_attempt(f"{lesson}/tried", {}, False)


def _report(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "tutor.cli", "class-report", *args],
                          capture_output=True, text=True, timeout=60)


def test_report_rows_count_done_and_skipped(tmp_path: Path) -> None:
    _learner(tmp_path, "zoe", "gradient-descent", 3, 1)
    _learner(tmp_path, "adam", "cost-functions", 0, 2)
    (tmp_path / "learners" / "not a learner").mkdir()
    (tmp_path / "learners" / "empty").mkdir()
    rows = class_report(tmp_path)
    assert [(r.learner, r.current_lesson, r.done, r.skipped) for r in rows] == [
        ("adam", "cost-functions", 0, 2), ("zoe", "gradient-descent", 3, 1)]
    assert all(datetime.fromisoformat(r.last_seen).tzinfo is not None for r in rows)
    table = format_report(rows).splitlines()
    assert table[0].split() == ["learner", "current", "lesson", "done", "skipped", "last", "seen"]
    assert table[2].split()[:4] == ["zoe", "gradient-descent", "3", "1"]
    assert max(len(line) for line in table) <= 80


def test_report_command_json_and_text(tmp_path: Path) -> None:
    _learner(tmp_path, "ann", "learning-rate", 2, 0)
    result = _report("--data-dir", str(tmp_path), "--json")
    assert result.returncode == 0, result.stderr
    [row] = json.loads(result.stdout)["learners"]
    assert (row["learner"], row["current_lesson"], row["done"], row["skipped"]) == (
        "ann", "learning-rate", 2, 0)
    text = _report("--data-dir", str(tmp_path))
    assert text.stdout.splitlines()[1].split()[:4] == ["ann", "learning-rate", "2", "0"]


def test_report_on_an_empty_class_and_a_missing_folder(tmp_path: Path) -> None:
    assert _report("--data-dir", str(tmp_path)).stdout.strip() == "No learners yet."
    missing = _report("--data-dir", str(tmp_path / "nope"))
    assert missing.returncode == 2
    assert missing.stderr.strip() == f"gd-tutor: There is no data folder at {tmp_path / 'nope'}."


def _tree(folder: Path) -> dict[str, tuple[int, int, int]]:
    """Every path under `folder` with its size, modification time and owner."""
    return {str(p.relative_to(folder)): (p.stat().st_size, p.stat().st_mtime_ns, p.stat().st_uid)
            for p in sorted(folder.rglob("*"))}


def test_the_report_only_reads_and_notes_stores_it_cannot_read(tmp_path: Path) -> None:
    _learner(tmp_path, "ann", "learning-rate", 2, 0)
    (tmp_path / "learners" / "cat" / "progress.db").mkdir(parents=True)
    (tmp_path / "learners" / "eve").mkdir()
    (tmp_path / "learners" / "eve" / "progress.db").write_bytes(b"not sqlite" * 100)
    before = _tree(tmp_path)
    rows = {row.learner: row for row in class_report(tmp_path)}
    assert _tree(tmp_path) == before  # nothing moved aside, created or written
    assert (rows["ann"].current_lesson, rows["ann"].done, rows["ann"].note) == (
        "learning-rate", 2, None)
    assert (rows["cat"].done, rows["cat"].skipped, rows["cat"].current_lesson) == (None, None, None)
    assert "is a folder or a special file" in (rows["cat"].note or "")
    assert "file is not a database" in (rows["eve"].note or "")
    text = format_report(list(rows.values()))
    assert text.splitlines()[2].split()[:4] == ["cat", "-", "?", "?"]
    assert "eve: progress could not be read (file is not a database); it was left as it is" in text


@pytest.fixture
def class_dir() -> Iterator[Path]:
    """A data folder another user can reach (pytest's tmp_path is root's alone)."""
    yield from folder_for_nobody("gd-class-", "to run the report as another user")


def test_the_report_as_another_user_changes_nothing(class_dir: Path) -> None:
    _learner(class_dir, "ann", "learning-rate", 2, 0)
    _learner(class_dir, "dan", "cost-functions", 1, 0)
    (class_dir / "learners" / "dan" / "progress.db").chmod(0o600)
    live = ProgressStore.open(class_dir / "learners" / "bob")  # a tutor running right now
    live.set_current_lesson("momentum")
    live.record_attempt("momentum/one", {}, True)
    try:
        for learner in (class_dir / "learners").iterdir():
            learner.chmod(0o777)  # the teacher could rename and create files there
        before = _tree(class_dir)
        done = subprocess.run([*AS_NOBODY, sys.executable, "-m", "tutor.cli",
                               "class-report", "--data-dir", str(class_dir), "--json"],
                              capture_output=True, text=True, timeout=60, cwd="/")
        assert done.returncode == 0, done.stderr
        assert _tree(class_dir) == before
    finally:
        live.close()
    rows = {row["learner"]: row for row in json.loads(done.stdout)["learners"]}
    assert (rows["ann"]["current_lesson"], rows["ann"]["done"]) == ("learning-rate", 2)
    assert (rows["bob"]["current_lesson"], rows["bob"]["done"]) == ("momentum", 1)
    assert rows["dan"]["done"] is None and "unable to open" in rows["dan"]["note"]
