"""`gd-tutor class-report`: real progress stores under <data-dir>/learners/<name>."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import datetime
from pathlib import Path

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
