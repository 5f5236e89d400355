"""The practice layer has no Textual: it imports and judges an attempt with Textual blocked."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

BLOCKED_ATTEMPT = textwrap.dedent("""
    import sys

    class Refuse:
        def find_spec(self, name, path=None, target=None):
            if name.split(".")[0] in {"textual", "textual_plotext", "plotext"}:
                raise ImportError(f"blocked for this test: {name}")
            return None

    sys.meta_path.insert(0, Refuse())
    from tutor.lessons import Exercise
    from tutor.practice import attempt
    exercise = Exercise(id="e", lesson_slug="t", function="x^2", start=(3.0,),
                        learning_rate=0.1, editable=("learning_rate",),
                        goal={"converge_within": 50})
    done = attempt(exercise, {"learning_rate": "0.2"})
    bad = [m for m in sys.modules if m.split(".")[0] in {"textual", "plotext"}]
    print(done.verdict.passed, done.outcome.result.nit, bad)
""")


def test_practice_attempts_with_textual_blocked() -> None:
    done = subprocess.run([sys.executable, "-c", BLOCKED_ATTEMPT], capture_output=True,
                          text=True, cwd=ROOT, timeout=120)
    assert done.returncode == 0, done.stderr
    # x^2 at rate 0.2: x shrinks by 0.6 per update; steps fall under 1e-4 after 20 updates.
    assert done.stdout.split() == ["True", "20", "[]"]


def test_the_blocker_really_blocks() -> None:
    """Guard against a blocker that can never fail."""
    script = BLOCKED_ATTEMPT.replace("from tutor.practice import attempt", "import textual")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          cwd=ROOT, timeout=120)
    assert done.returncode != 0 and "blocked for this test: textual" in done.stderr
