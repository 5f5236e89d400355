"""The engine is pure maths: it imports and runs with Textual (and numpy, plotext) blocked."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

BLOCKED_RUN = textwrap.dedent("""
    import sys

    class Refuse:
        def find_spec(self, name, path=None, target=None):
            if name.split(".")[0] in {"textual", "numpy", "plotext", "textual_plotext"}:
                raise ImportError(f"blocked for this test: {name}")
            return None

    sys.meta_path.insert(0, Refuse())
    from tutor.engine import minimize, fit, train
    result = minimize("(1-x)^2 + 100(y-x^2)^2", (-1.2, 1), learning_rate=0.001,
                      max_iterations=100)
    line = fit([1, 2, 3], [2, 4, 6])
    model = train([[1, 2, 3], [0, 1, 0]], [2, 4, 6], epochs=5000, precision=1e-12)
    net = train([[0, 0, 1, 1], [0, 1, 0, 1]], [0, 1, 1, 0], model="logistic", hidden=3,
                epochs=3)
    bad = [m for m in sys.modules if m.split(".")[0] in {"textual", "numpy", "plotext"}]
    print(result.nit, round(line.slope, 6), round(model.coefficients[0], 6), net.epochs, bad)
""")


def test_engine_imports_and_runs_with_textual_numpy_and_plotext_blocked() -> None:
    done = subprocess.run([sys.executable, "-c", BLOCKED_RUN], capture_output=True, text=True,
                          cwd=ROOT, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["100", "2.0", "2.0", "3", "[]"]


def test_the_blocker_really_blocks() -> None:
    """Guard against a blocker that can never fail."""
    script = BLOCKED_RUN.replace("from tutor.engine import minimize, fit, train", "import textual")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          cwd=ROOT, timeout=120)
    assert done.returncode != 0 and "blocked for this test: textual" in done.stderr
