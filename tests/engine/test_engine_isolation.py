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
    from tutor.engine import minimize, fit
    result = minimize("(1-x)^2 + 100(y-x^2)^2", (-1.2, 1), learning_rate=0.001,
                      max_iterations=100)
    line = fit([1, 2, 3], [2, 4, 6])
    bad = [m for m in sys.modules if m.split(".")[0] in {"textual", "numpy", "plotext"}]
    print(result.nit, round(line.slope, 6), bad)
""")


def test_engine_imports_and_runs_with_textual_numpy_and_plotext_blocked() -> None:
    done = subprocess.run([sys.executable, "-c", BLOCKED_RUN], capture_output=True, text=True,
                          cwd=ROOT, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["100", "2.0", "[]"]


def test_the_blocker_really_blocks() -> None:
    """Guard against a blocker that can never fail."""
    script = BLOCKED_RUN.replace("from tutor.engine import minimize, fit", "import textual")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          cwd=ROOT, timeout=120)
    assert done.returncode != 0 and "blocked for this test: textual" in done.stderr
