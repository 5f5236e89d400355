"""A learner's capstone progress survives the capstone moving from lesson 12 to lesson 17.

Progress is keyed by lesson slug (`capstone/own-data`), never by file name or number,
so a store written while the capstone was lesson 12 must still count in lesson 17. The
store here is the real one in a temporary data dir; the listing is the real
`gd-tutor lessons --json` process, as a learner would run it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tutor.progress import ProgressStore

LESSONS_DIR = Path(__file__).resolve().parents[2] / "lessons"


def _gd_tutor() -> list[str]:
    script = Path(sys.executable).with_name("gd-tutor")
    return [str(script)] if script.is_file() else [sys.executable, "-m", "tutor.cli"]


def test_capstone_progress_written_as_lesson_12_counts_in_lesson_17(tmp_path: Path) -> None:
    with ProgressStore.open(tmp_path) as store:  # what a learner had before the move
        store.record_attempt("capstone/own-function", {"learning_rate": "0.05"}, True)
        store.record_attempt("capstone/own-data", {"scale": "true"}, True)
        store.set_current_lesson("capstone")
    env = {**os.environ, "GD_TUTOR_DATA_DIR": str(tmp_path),
           "GD_TUTOR_LESSONS_DIR": str(LESSONS_DIR)}
    done = subprocess.run([*_gd_tutor(), "lessons", "--json"], capture_output=True, text=True,
                          env=env, timeout=60, check=True)
    rows = json.loads(done.stdout)
    capstone = next(row for row in rows if row["slug"] == "capstone")
    assert rows[-1] is capstone and capstone["number"] == 17
    assert capstone["completed"] == 2 and capstone["current"]
    assert sum(row["completed"] for row in rows) == 2
