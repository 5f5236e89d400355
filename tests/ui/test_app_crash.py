"""An unexpected error in the app ends it with one sentence and a crash log, never a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

LESSONS = Path(__file__).parent / "fixtures" / "lessons"

SCRIPT = """
import sys
from pathlib import Path
from tutor.ui.app import TutorApp

class Broken(TutorApp):
    CSS_PATH = TutorApp.CSS_PATH and str(Path(sys.modules["tutor.ui.app"].__file__).parent / TutorApp.CSS_PATH)

    def on_tutor_screen_lesson_shown(self):
        raise RuntimeError("a bug planted by the test")

Broken(lessons_dir=Path(sys.argv[1]), data_dir=Path(sys.argv[2])).run(headless=True)
"""


def _run(data_dir: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, **env}
    if "GD_TUTOR_DEBUG" not in env:
        environment.pop("GD_TUTOR_DEBUG", None)
    script = data_dir.parent / "broken_app.py"
    script.write_text(SCRIPT, encoding="utf-8")
    return subprocess.run([sys.executable, str(script), str(LESSONS), str(data_dir)],
                          capture_output=True, text=True, timeout=120, env=environment)


def test_a_crash_is_one_sentence_and_the_traceback_goes_to_a_log(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    done = _run(tmp_path / "data")
    shown = done.stdout + done.stderr
    assert "internal error; your progress is saved" in shown
    assert "Traceback" not in shown and "a bug planted" not in shown
    log = (tmp_path / "data" / "crash.log").read_text(encoding="utf-8")
    assert "RuntimeError: a bug planted by the test" in log
    assert str(tmp_path / "data" / "crash.log") in " ".join(shown.split())


def test_developers_still_get_the_traceback(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    done = _run(tmp_path / "data", GD_TUTOR_DEBUG="1")
    assert "a bug planted" in done.stdout + done.stderr
    assert not (tmp_path / "data" / "crash.log").exists()
