"""`gd-tutor run` and `gd-tutor fit` as a scripter uses them: real subprocesses."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "lessons" / "data"


def gd(*args: str, env: dict[str, str] | None = None,
       timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """Run `python -m tutor.cli ARGS` and capture its output."""
    environment = {**os.environ, "COLUMNS": "80", **(env or {})}
    environment.pop("GD_TUTOR_DEBUG", None)
    return subprocess.run([sys.executable, "-m", "tutor.cli", *args], capture_output=True,
                          text=True, cwd=ROOT, timeout=timeout, env=environment)


def one_line_error(done: subprocess.CompletedProcess[str]) -> str:
    """Assert a bad-input exit: status 2, nothing on stdout, one line on stderr."""
    assert done.returncode == 2, done.stderr
    assert done.stdout == ""
    lines = done.stderr.splitlines()
    assert len(lines) == 1 and "Traceback" not in done.stderr
    return lines[0]


def test_run_json_is_one_object_with_the_known_answer() -> None:
    done = gd("run", "x^2", "--start", "3", "--lr", "0.1", "--json")
    assert done.returncode == 0 and done.stderr == ""
    data = json.loads(done.stdout)
    assert {"status", "variables", "x", "fun", "jac", "iterations", "message",
            "path"} <= set(data)
    assert data["status"] == "converged" and data["iterations"] == 40
    x = 3.0
    for _ in range(40):
        x = x - 0.1 * (2 * x)
    assert data["x"] == [x] and data["variables"] == ["x"]
    assert len(data["path"]) == 41 and data["path"][0] == [3.0] and data["path"][-1] == [x]
    assert data["fun"] == x * x and data["jac"] == [2 * x]


def test_run_with_a_negative_start_and_two_variables() -> None:
    done = gd("run", "(1-x)^2 + 100(y-x^2)^2", "--start", "-1.2,1", "--lr", "0.001",
              "--iterations", "50000", "--precision", "1e-10", "--json")
    data = json.loads(done.stdout)
    assert data["variables"] == ["x", "y"] and data["iterations"] == 37842
    assert data["path"][0] == [-1.2, 1.0]
    assert data["x"] == pytest.approx([1, 1], abs=1e-6)


def test_diverged_is_a_result_exit_0_and_overflow_is_null_in_valid_json() -> None:
    done = gd("run", "x^2", "--start", "1e154", "--lr", "1.5", "--json")
    assert done.returncode == 0
    data = json.loads(done.stdout)  # strict JSON: no NaN or Infinity tokens
    assert "Infinity" not in done.stdout and "NaN" not in done.stdout
    assert data["status"] == "diverged" and data["fun"] is None
    done = gd("run", "x^2", "--start", "3", "--lr", "1.1", "--json")
    assert json.loads(done.stdout)["iterations"] == 10


def test_run_text_report_fits_80_columns() -> None:
    done = gd("run", "x^2", "--start", "3", "--lr", "0.1")
    assert done.returncode == 0
    out = done.stdout
    assert "Converged" in out and "f'(x) = 2*x" in out and "updates 40" in out
    assert "\x1b[" not in out  # not a terminal: no colour codes
    assert max(len(line) for line in out.splitlines()) <= 80
    lines = out.splitlines()
    first = next(i for i, line in enumerate(lines) if line.split()[:2] == ["n", "x"])
    table = [line.split() for line in lines[first + 1:lines.index("", first)]]
    assert table[0] == ["0", "3", "9", "6", "-0.6"]
    assert [row[0] for row in table] == ["0", "1", "2", "3", "4", "...", "36", "37", "38",
                                         "39", "40"]
    assert len(table[-1]) == 4  # no step after the last point
    assert "cost per update" in out


@pytest.mark.parametrize(("args", "message"), [
    (["run", "x^2", "--start", "3"], "--lr is required"),
    (["run", "x^2", "--start", "3", "--lr", "abc"], "--lr: the learning rate must be a number, like 0.1, not 'abc'"),
    (["run", "x^2", "--start", "3", "--lr", "-1"], "--lr: the learning rate must be greater than 0"),
    (["run", "x^2", "--start", "3", "--lr", "0.1", "--iterations", "1.5"],
     "--iterations: the iteration limit must be a whole number from 1 to 1,000,000"),
    (["run", "x^2", "--start", "3", "--lr", "0.1", "--precision", "-1"],
     "--precision: the precision must be 0 or more"),
    (["run", "x^2", "--start", "3", "--lr", "0.1", "--method", "newton"],
     "--method: the method must be one of gd, momentum, nesterov, adagrad, rmsprop, adam"),
    (["run", "x^2 + y", "--start", "3", "--lr", "0.1"],
     "--start: this function has 2 variables (x, y), so the start needs 2 numbers"),
    (["run", "x^2", "--start", "three", "--lr", "0.1"], "--start: the start must be a number, like 3, not 'three'"),
    (["run", "x + foo", "--start", "3", "--lr", "0.1"], "unknown name 'foo' at column 5"),
    (["run", "__import__('os')", "--start", "3", "--lr", "0.1"], "unexpected character"),
    (["run", "9**9**9", "--start", "3", "--lr", "0.1"], "too large"),
    (["run", "3", "--start", "3", "--lr", "0.1"], "has no variable"),
])
def test_bad_run_input_exits_2_with_one_line(args: list[str], message: str) -> None:
    assert message in one_line_error(gd(*args))


def test_math_fault_is_reported_in_json_not_as_a_traceback() -> None:
    done = gd("run", "log(x)", "--start", "1", "--lr", "5", "--json")
    assert done.returncode == 0
    data = json.loads(done.stdout)
    assert data["status"] == "diverged" and "math domain error" in data["message"]


def test_fit_json_matches_the_exact_line() -> None:
    done = gd("fit", str(DATA / "anscombe1.csv"), "--json")
    assert done.returncode == 0
    data = json.loads(done.stdout)
    assert {"status", "intercept", "slope", "cost", "iterations"} <= set(data)
    assert data["status"] == "converged" and data["iterations"] == 96
    exact = data["least_squares"]
    assert data["slope"] == pytest.approx(exact["slope"], rel=1e-8)
    assert data["intercept"] == pytest.approx(exact["intercept"], rel=1e-8)
    assert (data["x_column"], data["y_column"]) == ("x", "y")


def test_fit_columns_no_scale_and_text_report(tmp_path: Path) -> None:
    path = tmp_path / "h.csv"
    path.write_text("id,size,price\n1,1,3\n2,2,5\n3,3,7\n4,4,9\n", encoding="utf-8")
    done = gd("fit", str(path), "--x", "size", "--y", "3", "--no-scale", "--lr", "0.05",
              "--iterations", "20000", "--json")
    data = json.loads(done.stdout)
    assert data["scaled"] is False and data["status"] == "converged"
    assert data["slope"] == pytest.approx(2.0, rel=1e-7)
    assert data["intercept"] == pytest.approx(1.0, rel=1e-6)
    text = gd("fit", str(path), "--x", "2", "--y", "price")
    assert text.returncode == 0 and "slope = 2" in text.stdout and "intercept = 1" in text.stdout
    assert "price against size, with the fitted line" in text.stdout
    assert max(len(line) for line in text.stdout.splitlines()) <= 80
    assert "x = column 'size', y = column 'price'" in text.stdout
    plain = gd("fit", str(path), "--lr", "0.1")  # no columns named: says which it took
    assert ("x = column 'id', y = column 'size' (the first two columns; --x and --y choose "
            "others)") in plain.stdout


def test_fit_divergence_is_exit_0() -> None:
    done = gd("fit", str(DATA / "anscombe1.csv"), "--no-scale", "--json")
    assert done.returncode == 0 and json.loads(done.stdout)["status"] == "diverged"


@pytest.mark.parametrize(("content", "args", "message"), [
    (None, [], "There is no data file"),
    ("x,y\n1,2\n3,abc\n", [], "line 3, column 'y' holds 'abc'"),
    ("x,y\n1,2\n3,4\n", ["--x", "z"], "no column named 'z'"),
    ("x,y\n1,2\n", [], "at least 2"),
    ('x,y\n1,"2\n', [], "not valid CSV"),
    ("x,y\n1,2\n3,4\n", ["--lr", "big"], "--lr: the learning rate must be a number"),
    ("x,y\n1,2\n1,4\n", [], "x must vary"),
])
def test_bad_fit_input_exits_2_with_one_line(tmp_path: Path, content: str | None,
                                             args: list[str], message: str) -> None:
    path = tmp_path / "data.csv"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    assert message in one_line_error(gd("fit", str(path), *args))


@pytest.mark.parametrize(("kind", "message"), [
    ("/dev/zero", "/dev/zero is not a regular file"),
    ("fifo", "is not a regular file"),
    ("x,y\n1,1e300\n2,3\n3,1\n", "line 2, column 'y' holds '1e300', too large to fit"),
    ("x,y\n1e-320,1\n2e-320,3\n", "the x values differ by too little to fit"),
])
def test_special_files_and_numeric_extremes_exit_2(tmp_path: Path, kind: str,
                                                    message: str) -> None:
    path = tmp_path / "data.csv"
    if kind == "fifo":
        os.mkfifo(path)
    elif kind.startswith("/"):
        path = Path(kind)
    else:
        path.write_text(kind, encoding="utf-8")
    assert message in one_line_error(gd("fit", str(path), "--json", timeout=30))


IMPORTS = """
import sys
from tutor.cli import main
code = main(sys.argv[1:])
loaded = sorted({m.split('.')[0] for m in sys.modules} & {'textual', 'numpy', 'plotext'})
print('LOADED', ','.join(loaded) or '-', file=sys.stderr)
"""


@pytest.mark.parametrize(("args", "allowed"), [
    (["run", "x^2", "--start", "3", "--lr", "0.1", "--json"], "-"),
    (["run", "x^2", "--start", "3", "--lr", "0.1"], "plotext"),
    (["fit", str(DATA / "anscombe1.csv"), "--json"], "-"),
])
def test_headless_commands_never_import_textual(args: list[str], allowed: str) -> None:
    done = subprocess.run([sys.executable, "-c", IMPORTS, *args], capture_output=True,
                          text=True, cwd=ROOT, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stderr.strip().splitlines()[-1] == f"LOADED {allowed}"


def test_the_installed_console_script_gives_the_same_answer() -> None:
    script = Path(sys.executable).with_name("gd-tutor")
    if not script.exists():
        pytest.skip("gd-tutor is not installed next to this Python")
    done = subprocess.run([str(script), "run", "x^2", "--start", "-3", "--lr", "0.1", "--json"],
                          capture_output=True, text=True, cwd=ROOT, timeout=120)
    data = json.loads(done.stdout)
    assert done.returncode == 0 and data["iterations"] == 40 and data["path"][0] == [-3.0]


def test_an_overlong_function_is_quoted_short_in_its_one_line_error() -> None:
    done = gd("run", "x+" * 300 + "x", "--start", "1", "--lr", "0.1")
    line = one_line_error(done)
    assert "the limit is 500" in line
    assert len(line) < 200, line
