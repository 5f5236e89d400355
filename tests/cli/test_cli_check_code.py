"""`gd-tutor check-code FILE.py --exercise LESSON/ID`: real subprocesses, the real sandbox."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def gd(*args: str) -> subprocess.CompletedProcess[str]:
    """Run `python -m tutor.cli ARGS` and capture its output."""
    environment = {**os.environ, "COLUMNS": "80"}
    environment.pop("GD_TUTOR_DEBUG", None)
    return subprocess.run([sys.executable, "-m", "tutor.cli", *args], capture_output=True,
                          text=True, cwd=ROOT, timeout=120, env=environment)


def one_line_error(done: subprocess.CompletedProcess[str]) -> str:
    """Assert a bad-input exit: status 2, nothing on stdout, one line on stderr."""
    assert done.returncode == 2, done.stderr
    assert done.stdout == "" and len(done.stderr.splitlines()) == 1
    return done.stderr.strip()

FIXTURES = str(ROOT / "tests" / "practice" / "fixtures" / "code")
GOOD = """\
from sympy import symbols, lambdify
x = symbols('x')

def gradient_descent(cost_fn, initial_guess, learning_rate, precision=0.0001, max_iterations=100):
    df = lambdify(x, cost_fn.diff(x))
    new_x = initial_guess
    x_list = [new_x]
    for n in range(max_iterations):
        previous_x = new_x
        new_x = previous_x - learning_rate * df(previous_x)
        x_list.append(new_x)
        if abs(new_x - previous_x) < precision:
            break
    return x_list
"""


def test_a_mistake_is_named_in_json_and_exits_0(tmp_path: Path) -> None:
    bad = tmp_path / "gd.py"
    bad.write_text(GOOD.replace("if abs(new_x - previous_x)", "if abs(new_x)"), encoding="utf-8")
    done = gd("--lessons-dir", FIXTURES, "check-code", str(bad), "--exercise", "1/whole",
              "--json")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["passed"] is False and report["mistake"] == "stop_tests_x"
    assert "Look at line 12" in report["message"]
    first = report["cases"][0]
    assert first["kind"] == "ok" and len(first["expected"]) == 41 and len(first["value"]) == 48


def test_a_right_file_passes_and_check_set_code_agrees(tmp_path: Path) -> None:
    good = tmp_path / "gd.py"
    good.write_text(GOOD, encoding="utf-8")
    done = gd("--lessons-dir", FIXTURES, "check-code", str(good), "--exercise", "1/whole")
    assert done.returncode == 0 and done.stdout.startswith("code/whole: PASS"), done.stderr
    done = gd("--lessons-dir", FIXTURES, "check", "1/whole", "--set", f"code={GOOD}", "--json")
    assert done.returncode == 0 and json.loads(done.stdout)["passed"] is True


def test_unusable_arguments_exit_2_with_one_line(tmp_path: Path) -> None:
    line = one_line_error(gd("--lessons-dir", FIXTURES, "check-code", str(tmp_path / "no.py"),
                             "--exercise", "1/whole"))
    assert line == f"gd-tutor: there is no file '{tmp_path / 'no.py'}'"
    (tmp_path / "bin.py").write_bytes(b"\xff\xfe")
    line = one_line_error(gd("--lessons-dir", FIXTURES, "check-code", str(tmp_path / "bin.py"),
                             "--exercise", "1/whole"))
    assert line.endswith("is not UTF-8 text")
    line = one_line_error(gd("check-code", str(tmp_path / "bin.py"), "--exercise", "4/next-step"))
    assert "is not a code exercise" in line


def test_serve_says_at_start_whether_code_exercises_are_on() -> None:
    from tutor.commands.serve import code_exercises_line
    from tutor.sandbox import Sandbox, SandboxInfo

    off = code_exercises_line(SandboxInfo(False, "bubblewrap is not installed"))
    assert off == "gd-tutor: code exercises are off on this server: bubblewrap is not installed"
    here = code_exercises_line()
    assert ("are on" in here) == Sandbox.detect().usable
