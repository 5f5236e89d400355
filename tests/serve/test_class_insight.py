"""`class-report --json/--csv`: who is stuck, the common mistakes, a gradebook; read-only."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

import tutor.progress.store
from tutor.progress import ProgressStore
from tutor.serve.insight import StuckRule, common_mistakes, gradebook_csv, stuck
from tutor.serve.report import class_snapshots

T0 = 1_800_000_000.0
KEY = "linear-regression/fit-anscombe"


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The store's clock, set by the test (attempts and last_seen are stamped with it)."""
    now = [T0]
    monkeypatch.setattr(tutor.progress.store, "time", SimpleNamespace(time=lambda: now[0]))
    return now


def play(data_dir: Path, clock: list[float], name: str,
         steps: list[tuple[float, str, bool | None, str | None]]) -> None:
    """A learner's session: (seconds after T0, exercise key, passed or None to type, diagnosis)."""
    with ProgressStore.open(data_dir / "learners" / name) as store:
        for seconds, key, passed, diagnosis in steps:
            clock[0] = T0 + seconds
            if passed is None:
                store.save_inputs(key, {"typing": "..."})
            else:
                store.record_attempt(key, {"learning_rate": f"{seconds:g}"}, passed, diagnosis)


@pytest.fixture
def room(tmp_path: Path, clock: list[float]) -> Path:
    bad = "diverged_oscillating"
    play(tmp_path, clock, "ann", [(0, KEY, False, bad), (10, KEY, False, bad),
                                  (20, KEY, False, "too_slow")])          # 3 in a row
    play(tmp_path, clock, "bob", [(0, KEY, False, bad), (5, KEY, False, bad),
                                  (9, KEY, True, None)])                   # passed
    play(tmp_path, clock, "cat", [(0, KEY, False, bad), (30, KEY, False, None)])  # 2, briefly
    play(tmp_path, clock, "dan", [(0, KEY, False, bad), (360, KEY, None, None)])  # 6 minutes
    play(tmp_path, clock, "eve", [(0, "a/x", False, "wrong"), (1, "a/x", False, "wrong"),
                                  (2, "a/x", False, "wrong"), (3, KEY, False, bad)])  # moved on
    return tmp_path


def test_stuck_by_failures_in_a_row_or_by_minutes(room: Path) -> None:
    found = stuck(class_snapshots(room))
    assert [(e["learner"], e["lesson"], e["exercise"], e["failed_attempts"], e["minutes"])
            for e in found] == [("dan", "linear-regression", "fit-anscombe", 1, 6.0),
                                ("ann", "linear-regression", "fit-anscombe", 3, 0.3)]
    assert found[1]["diagnosis"] == "too_slow"
    looser = stuck(class_snapshots(room), StuckRule(after=2, minutes=10))
    assert [e["learner"] for e in looser] == ["cat", "ann"]


def test_common_mistakes_count_learners_most_first(room: Path) -> None:
    mistakes = common_mistakes(class_snapshots(room))
    assert [(m["exercise"], m["diagnosis"], m["learners"], m["attempts"]) for m in mistakes] == [
        ("fit-anscombe", "diverged_oscillating", 5, 7), ("x", "wrong", 1, 3),
        ("fit-anscombe", "too_slow", 1, 1)]
    assert mistakes[0]["lesson"] == "linear-regression"
    assert mistakes[0]["example"] == {"learning_rate": "10"}  # ann's second, the latest


def _report(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "tutor.cli", "class-report", *args],
                          capture_output=True, text=True, timeout=60, check=False)


def _tree(folder: Path) -> dict[str, tuple[int, int]]:
    return {str(p.relative_to(folder)): (p.stat().st_size, p.stat().st_mtime_ns)
            for p in sorted(folder.rglob("*"))}


def test_json_and_csv_from_the_command_change_nothing(room: Path) -> None:
    before = _tree(room)
    done = _report("--data-dir", str(room), "--json")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert [e["learner"] for e in report["stuck"]] == ["dan", "ann"]
    assert set(report["stuck"][0]) >= {"learner", "lesson", "exercise", "failed_attempts",
                                       "minutes"}
    assert report["common_mistakes"][0]["learners"] == 5
    assert {r["learner"]: r["attempts"] for r in report["learners"]}["ann"] == 3
    sheet = _report("--data-dir", str(room), "--csv", "--stuck-after", "2")
    assert sheet.returncode == 0, sheet.stderr
    rows = list(csv.DictReader(io.StringIO(sheet.stdout)))
    assert [r["learner"] for r in rows] == ["ann", "bob", "cat", "dan", "eve"]
    assert (rows[1][KEY], rows[1]["done"], rows[4]["a/x"], rows[0]["a/x"]) == (
        "done", "1", "attempted", "")
    assert _tree(room) == before  # nothing created, written or moved


def test_gradebook_cells_never_become_formulas(tmp_path: Path) -> None:
    with ProgressStore.open(tmp_path / "learners" / "ann") as store:
        store.set_current_lesson("=HYPERLINK(\"http://x\")")
    rows = list(csv.reader(io.StringIO(gradebook_csv(class_snapshots(tmp_path)))))
    assert rows[1][1] == "'=HYPERLINK(\"http://x\")"


@pytest.mark.parametrize(("args", "sentence"), [
    (["--stuck-after", "0"], "--stuck-after must be a whole number of attempts, 1 or more."),
    (["--stuck-minutes", "nan"], "--stuck-minutes must be a number of minutes above 0, like 5."),
])
def test_bad_thresholds_are_one_sentence(tmp_path: Path, args: list[str], sentence: str) -> None:
    done = _report("--data-dir", str(tmp_path), "--json", *args)
    assert done.returncode == 2 and done.stderr.strip() == f"gd-tutor: {sentence}"


def test_stuck_minutes_leave_out_breaks_and_other_sittings(tmp_path: Path,
                                                           clock: list[float]) -> None:
    """Minutes count time between checks (and the last saved typing); a gap over the rule's
    `pause` (10 minutes by default) is a break or another sitting and counts nothing."""
    day = 24 * 3600
    play(tmp_path, clock, "ann", [(0, KEY, False, "too_slow"), (day + 60, KEY, False, "too_slow")])
    play(tmp_path, clock, "bob", [(0, KEY, False, "x"), (240, KEY, None, None),
                                  (480, KEY, False, "x"), (2 * 3600, KEY, False, "x"),
                                  (2 * 3600 + 180, KEY, None, None)])
    play(tmp_path, clock, "cat", [(0, KEY, False, "x"), (9 * 60, KEY, False, "x"),
                                  (3600, KEY, None, None)])
    found = {e["learner"]: e for e in stuck(class_snapshots(tmp_path), StuckRule(after=9))}
    assert "ann" not in found  # one minute today, not the 1441 since yesterday's first check
    assert found["bob"]["minutes"] == 11.0  # 8 thinking, a 112-minute break, then 3
    assert found["cat"]["minutes"] == 9.0  # the hour after the last check is not counted
    strict = stuck(class_snapshots(tmp_path), StuckRule(after=9, minutes=3, pause=5))
    assert [(e["learner"], e["minutes"]) for e in strict] == [("bob", 3.0)]


def test_undiagnosed_wrong_answers_group_by_their_normalised_text(tmp_path: Path,
                                                                   clock: list[float]) -> None:
    """Checks without a diagnosis group by the answer as typed, normalised (spaces, 0.50 =
    .5), when at least two learners share it; diagnosed ones still group by diagnosis."""
    def wrong(name: str, *answers: str) -> None:
        with ProgressStore.open(tmp_path / "learners" / name) as store:
            for answer in answers:
                store.record_attempt("a/x", {"answer": answer}, False, None)

    wrong("ann", "0.5", " 0.50 ")
    wrong("bob", ".5")
    wrong("cat", "5e-1", "x  +  1")
    wrong("dan", "x + 1")
    wrong("eve", "42")  # nobody shares it: not a common mistake
    play(tmp_path, clock, "fay", [(0, "a/x", False, "answer_sign")])
    mistakes = common_mistakes(class_snapshots(tmp_path))
    assert [(m["diagnosis"], m["answer"], m["learners"], m["attempts"]) for m in mistakes] == [
        (None, "answer=0.5", 3, 4), (None, "answer=x + 1", 2, 2), ("answer_sign", None, 1, 1)]
    assert mistakes[0]["example"] == {"answer": "5e-1"}
