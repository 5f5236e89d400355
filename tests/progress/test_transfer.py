"""`gd-tutor progress export/import`: a class moves SQLite -> PostgreSQL -> SQLite unchanged,
and a bad file is one sentence naming its line (nothing written)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tutor.cli import main
from tutor.progress import ProgressStore


def gd(*args: str, data_dir: Path | None = None, stdin: str | None = None
       ) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GD_TUTOR_")}
    if data_dir is not None:
        env["GD_TUTOR_DATA_DIR"] = str(data_dir)
    return subprocess.run([sys.executable, "-m", "tutor.cli", "progress", *args], input=stdin,
                          capture_output=True, text=True, timeout=60, env=env)


def gd_here(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
            *args: str) -> tuple[int, str]:
    """`gd-tutor progress ARGS` in this process (quick): (exit status, stderr)."""
    for name in ("GD_TUTOR_DATABASE", "GD_TUTOR_DATA_DIR", "GD_TUTOR_LEARNER"):
        monkeypatch.delenv(name, raising=False)
    status = main(["progress", *args])
    return status, capsys.readouterr().err


def _class(root: Path) -> None:
    for n, name in enumerate(("ada", "bo", "cy")):
        with ProgressStore.open(root / "learners" / name) as store:
            store.set_learner(name)
            store.set_current_lesson(f"lesson-{n}")
            store.set_place(f"lesson-{n}/e#field-rate")
            store.set_hints_shown("l/e", n)
            store.record_attempt("l/e", {"rate": "1.5", "note": "ünïcode ✓ \"quoted\""}, False,
                                 "diverged", "It grew.\nTwo lines.")
            store.record_attempt("l/e", {"rate": f"0.{n + 1}"}, n != 1)
            store.mark_skipped("l/skipped")
            store.save_inputs("l/typed", {"function": "x^2 + 1"})


def _export(*args: str) -> str:
    out = gd("export", "--all", *args)
    assert out.returncode == 0, out.stderr
    return out.stdout


def test_a_class_round_trips_sqlite_postgresql_sqlite_unchanged(
        tmp_path: Path, postgres_url: str) -> None:
    _class(tmp_path / "a")
    first = _export("--data-dir", str(tmp_path / "a"))
    (tmp_path / "a.jsonl").write_text(first)
    assert gd("import", str(tmp_path / "a.jsonl"), "--database", postgres_url).returncode == 0
    second = _export("--database", postgres_url)
    (tmp_path / "b.jsonl").write_text(second)
    done = gd("import", str(tmp_path / "b.jsonl"), "--data-dir", str(tmp_path / "b"))
    assert done.returncode == 0 and done.stderr == "gd-tutor: imported 3 learners.\n"
    third = _export("--data-dir", str(tmp_path / "b"))
    assert first == second == third
    records = [json.loads(line) for line in first.splitlines()]
    assert records[0] == {"format": "gd-tutor-progress", "version": 1}
    assert {r["learner"] for r in records[1:]} == {"ada", "bo", "cy"}
    assert sum(r["kind"] == "attempt" for r in records[1:]) == 6
    with ProgressStore.open(tmp_path / "b" / "learners" / "bo") as bo:
        assert bo.place() == "lesson-1/e#field-rate" and bo.exercise("l/e").hints_shown == 1
        assert [a.message for a in bo.attempt_history("l/e")] == ["It grew.\nTwo lines.", ""]


def test_one_learner_moves_from_their_own_store_into_the_database_and_back(
        tmp_path: Path, postgres_url: str) -> None:
    with ProgressStore.open(tmp_path / "mine") as store:
        store.set_learner("dee")
        store.record_attempt("l/e", {"x": 1}, True)
    exported = gd("export", data_dir=tmp_path / "mine")
    assert exported.returncode == 0, exported.stderr
    (tmp_path / "dee.jsonl").write_text(exported.stdout)
    assert gd("import", str(tmp_path / "dee.jsonl"), "--database", postgres_url).returncode == 0
    with ProgressStore.open(database=postgres_url, learner="dee") as store:
        assert store.completed() == ["l/e"] and store.learner() == "dee"
    back = gd("export", "--learner", "dee", "--database", postgres_url)
    assert back.stdout == exported.stdout
    again = gd("import", str(tmp_path / "dee.jsonl"), data_dir=tmp_path / "mine")
    assert again.returncode == 2 and "dee already has progress there" in again.stderr
    assert gd("import", str(tmp_path / "dee.jsonl"), "--replace",
              data_dir=tmp_path / "mine").returncode == 0


def test_a_learner_who_only_opened_the_tutor_has_no_progress_to_protect(
        tmp_path: Path, postgres_url: str) -> None:
    """Only the visit stamp (last_seen) is no progress, on the database as in files."""
    with ProgressStore.open(tmp_path / "mine") as store:
        store.set_learner("eve")
        store.record_attempt("l/e", {"x": 1}, True)
    exported = gd("export", data_dir=tmp_path / "mine")
    (tmp_path / "eve.jsonl").write_text(exported.stdout)
    with ProgressStore.open(database=postgres_url, learner="eve") as store:
        store.touch()  # opened the tutor once, did nothing
    with ProgressStore.open(tmp_path / "fresh") as store:
        store.touch()
    for where in (("--database", postgres_url), ("--data-dir", str(tmp_path / "fresh"))):
        done = gd("import", str(tmp_path / "eve.jsonl"), *where)
        assert done.returncode == 0, (where, done.stderr)


GOOD = '{"learner": "ada", "kind": "fact", "name": "place", "value": "l/e"}'


@pytest.mark.parametrize(("text", "expected"), [
    ("", "Line 1: the file is empty"),
    ("hello\n", "Line 1 is not a gd-tutor progress export's first line"),
    ('{"format": "gd-tutor-progress", "version": 7}\n', "format version 7"),
    ('{"format": "gd-tutor-progress", "version": 1}\n' + GOOD + "\n{oops\n",
     "Line 3 is not valid JSON"),
    ('{"format": "gd-tutor-progress", "version": 1}\n[1, 2]\n', "Line 2 is not a JSON object"),
    ('{"format": "gd-tutor-progress", "version": 1}\n' + GOOD + "\n" + GOOD + "\n",
     "Line 3 repeats a fact"),
    ('{"format": "gd-tutor-progress", "version": 1}\n{"learner": "ada", "kind": "exercise", '
     '"key": "l/e", "state": "won", "attempts": 1, "last_inputs": "{}", "hints_shown": 0, '
     '"updated": 1.0}\n', "Line 2: state 'won' is not one of"),
    ('{"format": "gd-tutor-progress", "version": 1}\n{"learner": "ada", "kind": "attempt", '
     '"key": "l/e", "at": 1.0, "inputs": "{}", "passed": 1, "diagnosis": null, "message": "", '
     '"hints": 0}\n', "Line 2: the attempt's 'passed' is missing or of the wrong type"),
    ('{"format": "gd-tutor-progress", "version": 1}\n{"learner": "", "kind": "fact"}\n',
     "Line 2 has no learner name"),
    ('{"format": "gd-tutor-progress", "version": 1}\n{"learner": "a", "kind": "exec"}\n',
     "Line 2 has kind 'exec'"),
])
def test_a_bad_file_is_one_sentence_with_its_line_and_nothing_is_written(
        tmp_path: Path, text: str, expected: str, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text(text)
    status, err = gd_here(capsys, monkeypatch, "import", str(bad), "--data-dir",
                          str(tmp_path / "class"))
    assert status == 2 and expected in err, err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert not (tmp_path / "class").exists()


def test_hostile_names_and_files_are_refused_in_one_sentence(
        tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    evil = tmp_path / "evil.jsonl"
    evil.write_text('{"format": "gd-tutor-progress", "version": 1}\n'
                    + GOOD.replace('"ada"', '"../../etc"') + "\n")
    status, err = gd_here(capsys, monkeypatch, "import", str(evil), "--data-dir",
                          str(tmp_path / "class"))
    assert status == 2 and "is not a learner name" in err
    assert not (tmp_path / "etc").exists() and not (tmp_path / "class").exists()
    binary = tmp_path / "bin.jsonl"
    binary.write_bytes(b"\xff\xfe\x00garbage")
    status, err = gd_here(capsys, monkeypatch, "import", str(binary))
    assert status == 2 and "not a text file in UTF-8" in err
    status, err = gd_here(capsys, monkeypatch, "import", str(tmp_path / "missing.jsonl"))
    assert status == 2 and "cannot be read (No such file or directory)" in err
    status, err = gd_here(capsys, monkeypatch, "export", "--learner", "nobody", "--data-dir",
                          str(tmp_path))
    assert status == 2 and err.startswith("gd-tutor: There is no progress at")
