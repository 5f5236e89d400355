"""`check --record` keeps attempts as the tutor does; `progress --attempts` shows them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tutor.progress import ProgressStore


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return {**os.environ, "GD_TUTOR_DATA_DIR": str(tmp_path / "data"), "NO_COLOR": "1"}


def gd_tutor(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "tutor.cli", *args], capture_output=True,
                          text=True, env=env, timeout=120, check=False)


def check(env: dict[str, str], rate: str, *more: str) -> dict:
    done = gd_tutor(env, "check", "learning-rate/fastest-rate", "--set",
                    f"learning_rate={rate}", "--json", *more)
    assert done.returncode == 0 and done.stderr == "", done.stderr
    return json.loads(done.stdout)


def test_record_keeps_the_attempt_with_its_verdict_and_diagnosis(env: dict[str, str]) -> None:
    wrong = check(env, "1.5", "--record")
    right = check(env, "0.5", "--record")
    unrunnable = check(env, "abc", "--record")
    assert (wrong["recorded"], right["recorded"], unrunnable["recorded"]) == (True, True, False)
    with ProgressStore.open_read_only(env["GD_TUTOR_DATA_DIR"]) as store:
        seen = [(a.key, a.inputs, a.passed, a.diagnosis, a.message)
                for a in store.attempt_history()]
        assert store.exercise("learning-rate/fastest-rate").state == "done"
        assert store.current_lesson() == "learning-rate"
    assert seen == [
        ("learning-rate/fastest-rate", {"learning_rate": "1.5"}, False, "diverged_oscillating",
         wrong["message"]),
        ("learning-rate/fastest-rate", {"learning_rate": "0.5"}, True, None, right["message"])]


def test_check_without_record_writes_nothing(env: dict[str, str]) -> None:
    assert "recorded" not in check(env, "1.5")
    assert not Path(env["GD_TUTOR_DATA_DIR"]).exists()


def test_progress_attempts_text_and_json(env: dict[str, str]) -> None:
    with ProgressStore.open(env["GD_TUTOR_DATA_DIR"]) as store:
        store.set_hints_shown("l/e", 1)
        store.record_attempt("l/e", {"answer": "-2\x1b[2J"}, False, "answer_sign", "Sign.")
        store.record_attempt("l/e", {"answer": "2"}, True, None, "Right.")
    listed = json.loads(gd_tutor(env, "progress", "--attempts", "--json").stdout)["attempts"]
    assert [(a["key"], a["inputs"], a["passed"], a["diagnosis"], a["hints"]) for a in listed] == [
        ("l/e", {"answer": "-2\x1b[2J"}, False, "answer_sign", 1),
        ("l/e", {"answer": "2"}, True, None, 1)]
    text = gd_tutor(env, "progress", "--attempts").stdout.splitlines()
    assert "NOT YET  l/e  (answer_sign)  hints 1" in text[0] and text[1] == "    answer=-2?[2J"
    assert "PASS" in text[2] and text[3] == "    answer=2"
    assert "\x1b" not in "".join(text) and max(len(line) for line in text) <= 80


def test_progress_attempts_when_there_are_none(env: dict[str, str]) -> None:
    assert gd_tutor(env, "progress", "--attempts").stdout.strip() == "No checked attempts yet."
