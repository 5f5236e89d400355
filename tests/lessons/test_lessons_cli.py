"""`gd-tutor lessons`, `progress` and `check-lessons` as a scripter runs them."""

from __future__ import annotations

import json
import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest

from tutor.progress import ProgressStore

FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    """Environment with the good fixture lessons and an empty data dir."""
    values = dict(os.environ)
    values.update(GD_TUTOR_DATA_DIR=str(tmp_path / "data"),
                  GD_TUTOR_LESSONS_DIR=str(FIXTURES / "good"))
    values.pop("GD_TUTOR_DEBUG", None)
    return values


def gd_tutor(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "tutor.cli", *args], env=env,
                          capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL)


def seed(env: dict[str, str]) -> None:
    """Progress: lesson 1 current, one exercise done, one skipped, one merely attempted."""
    with ProgressStore.open(env["GD_TUTOR_DATA_DIR"]) as store:
        store.set_current_lesson("first-steps")
        store.record_attempt("first-steps/faster", {"learning_rate": 0.1}, False)
        store.record_attempt("first-steps/faster", {"learning_rate": 0.4}, True)
        store.mark_skipped("too-far/blow-up")
        store.record_attempt("too-far/which", {"choice": 1}, False)


def test_lessons_json(env: dict[str, str]) -> None:
    seed(env)
    out = gd_tutor(env, "lessons", "--json")
    assert out.returncode == 0, out.stderr
    rows = json.loads(out.stdout)
    assert [(r["number"], r["slug"], r["exercises"], r["completed"]) for r in rows] == [
        (1, "first-steps", 2, 1), (2, "too-far", 2, 0), (3, "fitting", 1, 0)]
    assert rows[0]["title"] == "First steps downhill" and rows[0]["current"] is True


def test_lessons_table_marks_the_current_lesson(env: dict[str, str]) -> None:
    seed(env)
    out = gd_tutor(env, "lessons")
    assert out.returncode == 0 and out.stderr == ""
    lines = out.stdout.splitlines()
    (current,) = [line for line in lines if line.startswith("  > ")]
    assert "First steps downhill" in current and current.endswith("1/2")
    assert any("Too far" in line and line.endswith("0/2") for line in lines)
    assert max(len(line) for line in lines) <= 80


def test_progress_json_and_reset(env: dict[str, str]) -> None:
    seed(env)
    report = json.loads(gd_tutor(env, "progress", "--json").stdout)
    assert report["current_lesson"] == "first-steps"
    assert report["completed"] == ["first-steps/faster"]
    assert report["skipped"] == ["too-far/blow-up"]
    assert report["attempts"] == {"first-steps/faster": 2, "too-far/which": 1}
    refused = gd_tutor(env, "progress", "--reset")  # no terminal to ask: refuses, keeps all
    assert refused.returncode == 2 and "--yes" in refused.stderr
    assert len(refused.stderr.strip().splitlines()) == 1
    assert json.loads(gd_tutor(env, "progress", "--json").stdout)["completed"] != []
    reset = gd_tutor(env, "progress", "--reset", "--yes")
    assert reset.returncode == 0
    assert reset.stdout.strip() == ("Progress reset: forgot 3 exercise records and the "
                                    "current lesson.")
    after = json.loads(gd_tutor(env, "progress", "--json").stdout)
    assert (after["current_lesson"], after["completed"], after["skipped"], after["attempts"]) == (
        None, [], [], {})


@pytest.mark.parametrize(("reply", "kept"), [("no\n", True), ("yes\n", False)])
def test_progress_reset_asks_on_a_terminal(env: dict[str, str], reply: str, kept: bool) -> None:
    seed(env)
    main, child = pty.openpty()
    try:
        done = subprocess.Popen([sys.executable, "-m", "tutor.cli", "progress", "--reset"],
                                env=env, stdin=child, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)
        os.write(main, reply.encode())
        out, _ = done.communicate(timeout=120)
    finally:
        os.close(main)
        os.close(child)
    assert "Type yes to confirm" in out
    assert done.returncode == (1 if kept else 0)
    with ProgressStore.open(env["GD_TUTOR_DATA_DIR"]) as store:
        assert bool(store.completed()) is kept


def test_progress_on_a_fresh_store(env: dict[str, str]) -> None:
    out = gd_tutor(env, "progress")
    assert out.returncode == 0
    assert "Current lesson: none yet" in out.stdout and "Exercises done: 0" in out.stdout


def test_progress_warns_about_a_corrupt_store(env: dict[str, str]) -> None:
    data = Path(env["GD_TUTOR_DATA_DIR"])
    data.mkdir()
    (data / "progress.db").write_bytes(b"\x00garbage" * 300)
    out = gd_tutor(env, "progress", "--json")
    assert out.returncode == 0 and json.loads(out.stdout)["completed"] == []
    assert "could not be read, so it was moved to" in out.stderr
    assert len(list(data.glob("progress.db.corrupt-*"))) == 1


def test_check_lessons_passes_on_good_lessons(env: dict[str, str]) -> None:
    out = gd_tutor(env, "check-lessons", str(FIXTURES / "good"))
    assert (out.returncode, out.stdout, out.stderr) == (
        0, "3 lessons, 5 exercises, 7 claims: all checks pass.\n", "")


def test_check_lessons_reports_file_line_message(env: dict[str, str]) -> None:
    folder = FIXTURES / "unsound"
    out = gd_tutor(env, "check-lessons", str(folder))
    assert out.returncode == 1
    lines = out.stdout.splitlines()
    assert lines[-1] == "1 lesson, 8 exercises, 4 claims: 10 problems."
    path = folder / "01-unsound.md"
    assert lines[0].startswith(f"{path}:10: claim says 41")
    assert all(line.startswith(f"{path}:") for line in lines[:-1])


def test_check_lessons_uses_the_lessons_dir_by_default(env: dict[str, str]) -> None:
    env["GD_TUTOR_LESSONS_DIR"] = str(FIXTURES / "unsound")
    assert gd_tutor(env, "check-lessons").returncode == 1
    assert gd_tutor(env, "--lessons-dir", str(FIXTURES / "good"), "check-lessons").returncode == 0


def test_check_lessons_missing_folder_is_one_sentence(env: dict[str, str], tmp_path: Path) -> None:
    out = gd_tutor(env, "check-lessons", str(tmp_path / "nope"))
    assert out.returncode == 2 and out.stdout == ""
    assert out.stderr == f"gd-tutor: The lesson folder {tmp_path / 'nope'} does not exist.\n"


@pytest.mark.parametrize("argv", [["lessons", "--json"], ["progress", "--json"],
                                  ["check-lessons"]])
def test_commands_never_import_textual(env: dict[str, str], argv: list[str]) -> None:
    code = ("import contextlib, io, sys\n"
            "from tutor.cli import main\n"
            "with contextlib.redirect_stdout(io.StringIO()):\n"
            f"    status = main({argv!r})\n"
            "heavy = sorted({m.split('.')[0] for m in sys.modules} & {'textual', 'sympy'})\n"
            "print(status, heavy)\n")
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                         timeout=120)
    status, heavy = out.stdout.strip().split(" ", 1)
    assert status == "0", out.stderr
    # Listing lessons and progress needs no maths either; only check-lessons runs the engine.
    assert heavy == ("['sympy']" if argv[0] == "check-lessons" else "[]")


def test_lessons_with_a_missing_folder_is_one_sentence(env: dict[str, str], tmp_path: Path) -> None:
    env["GD_TUTOR_LESSONS_DIR"] = str(tmp_path / "gone")
    out = gd_tutor(env, "lessons")
    assert out.returncode == 2 and out.stdout == ""
    assert out.stderr == f"gd-tutor: The lesson folder {tmp_path / 'gone'} does not exist.\n"


def test_lessons_lists_what_loaded_and_names_broken_files(env: dict[str, str]) -> None:
    env["GD_TUTOR_LESSONS_DIR"] = str(FIXTURES / "broken")
    out = gd_tutor(env, "lessons", "--json")
    assert out.returncode == 0
    assert [row["slug"] for row in json.loads(out.stdout)] == ["broken-exercises", "fine"]
    assert f"gd-tutor: {FIXTURES / 'broken' / '01-no-front.md'}:1: no front matter" in out.stderr
    assert "Traceback" not in out.stderr


def test_run_help_marks_lr_as_required(env: dict[str, str]) -> None:
    shown = gd_tutor(env, "run", "--help").stdout
    usage = shown.splitlines()[0]
    assert "--lr LR" in usage and "[--lr" not in usage
    required = shown.split("required:")[1]
    assert "--lr LR" in required and "--start START" in required
