"""`class-report` and the dashboard's reader with --database: the whole class, read-only."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tutor.commands.teacher import class_reader
from tutor.progress import ProgressStore
from tutor.serve.insight import StuckRule
from tutor.serve.report import class_report

psycopg = pytest.importorskip("psycopg", reason="psycopg is not installed: pip install -e .[test]")


def _class(url: str) -> None:
    """Two learners written through two sessions each (as two nodes would)."""
    for node in range(2):
        for name in ("zoe", "adam"):
            with ProgressStore.open(database=url, learner=name) as store:
                store.set_current_lesson(f"lesson-{node}")
                store.record_attempt(f"l/e{node}", {"lr": "1.5"}, False, "diverged")
    with ProgressStore.open(database=url, learner="zoe") as store:
        store.record_attempt("l/e0", {"lr": "0.1"}, True)


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GD_TUTOR_")}
    return subprocess.run([sys.executable, "-m", "tutor.cli", *args], capture_output=True,
                          text=True, timeout=60, env=env)


def test_class_report_reads_every_learner_from_the_database(postgres_url: str) -> None:
    _class(postgres_url)
    rows = class_report(Path("."), postgres_url)
    assert [(r.learner, r.current_lesson, r.done, r.attempts) for r in rows] == [
        ("adam", "lesson-1", 0, 2), ("zoe", "lesson-1", 1, 3)]
    out = _cli("class-report", "--database", postgres_url, "--json")
    assert out.returncode == 0, out.stderr
    report = json.loads(out.stdout)
    assert [row["learner"] for row in report["learners"]] == ["adam", "zoe"]
    assert report["common_mistakes"][0]["diagnosis"] == "diverged"


def test_the_report_neither_writes_nor_waits_on_a_learner_mid_write(
        postgres_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    _class(postgres_url)
    with psycopg.connect(postgres_url) as writer:  # a learner's transaction left open
        writer.execute("UPDATE gd_exercises SET attempts = 99 WHERE learner = 'zoe'")
        started = time.monotonic()
        rows = class_report(Path("."), postgres_url)
        assert time.monotonic() - started < 5
        assert [r.attempts for r in rows] == [2, 3]  # what was committed, nothing more
        writer.rollback()
    with psycopg.connect(postgres_url, autocommit=True) as conn:
        before = conn.execute("SELECT count(*) FROM gd_sessions").fetchone()[0]
        read = class_reader(Path("."), [("l", ["l/e0", "l/e1"])], StuckRule())
        monkeypatch.setenv("GD_TUTOR_DATABASE", postgres_url)
        assert read() is not None
        assert conn.execute("SELECT count(*) FROM gd_sessions").fetchone()[0] == before


def test_a_database_that_does_not_answer_is_one_sentence() -> None:
    out = _cli("class-report", "--database", "postgresql://nobody@127.0.0.1:9/none")
    assert out.returncode != 0 and "Traceback" not in out.stderr
    assert out.stderr.startswith("gd-tutor: The class's progress could not be read (")
    assert len(out.stderr.strip().splitlines()) == 1


def test_without_data_dir_or_database_class_report_says_what_to_give() -> None:
    out = _cli("class-report")
    assert out.returncode != 0 and "--data-dir DIR" in out.stderr and "--database" in out.stderr


def test_serve_hands_the_database_to_each_learners_tutor(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`gd-tutor serve --database URL` exports it; each learner's tutor inherits it, and a
    learner's own client cannot send one."""
    from tutor.cli import _use_database, build_parser
    from tutor.serve.child import learner_env

    url = "postgresql://tutor@127.0.0.1:5432/class"
    monkeypatch.setenv("GD_TUTOR_DATABASE", "")  # so the test's end undoes what serve sets
    _use_database(build_parser().parse_args(["serve", "--open", "--database", url]))
    env = learner_env(os.environ, {"GD_TUTOR_DATABASE": "postgresql://evil/x"},
                      term="xterm", learner="ada", data_dir=tmp_path)
    assert (env["GD_TUTOR_DATABASE"], env["GD_TUTOR_LEARNER"]) == (url, "ada")
