"""Show the Python: the script runs with a plain Python and prints the engine's numbers."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tutor.engine import minimize
from tutor.practice import InputProblem, read
from tutor.practice.script import python_script


@pytest.mark.parametrize(("function", "start", "rate"), [
    ("x^2", "3", "0.1"),
    ("(x^2 + y - 11)^2 + (x + y^2 - 7)^2", "1,1", "0.01"),
    ("sin(x) + x^2/10", "2", "0.3"),
])
def test_the_script_prints_the_engines_path(function: str, start: str, rate: str,
                                            tmp_path) -> None:
    settings = read(None, {"function": function, "start": start, "learning_rate": rate,
                           "iterations": "200", "precision": "0.0001", "method": "gd"}, "run")
    script = tmp_path / "gd.py"
    script.write_text(python_script(settings), encoding="utf-8")
    done = subprocess.run([sys.executable, "-I", str(script)], capture_output=True, text=True,
                          timeout=120, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    rows = [[float(v) for v in line.split()] for line in done.stdout.splitlines()]
    result = minimize(function, settings.start, learning_rate=settings.learning_rate,
                      max_iterations=200, precision=0.0001)
    assert len(rows) == len(result.path) and result.status == "converged"
    for row, point in zip(rows, result.path):
        assert row[1:-1] == pytest.approx(list(point.x), rel=1e-9, abs=1e-12)
        assert row[-1] == pytest.approx(point.cost, rel=1e-9, abs=1e-12)


def test_other_methods_are_one_sentence() -> None:
    settings = read(None, {"function": "x^2", "start": "3", "learning_rate": "0.1",
                           "method": "adam"}, "run")
    with pytest.raises(InputProblem, match="plain gradient descent"):
        python_script(settings)
