"""Progress: the learner's SQLite store (imports neither UI nor engine)."""

from __future__ import annotations

from tutor.progress.history import KEEP_PER_EXERCISE, Attempt
from tutor.progress.store import (
    DB_NAME, STATES, ExerciseRecord, ProgressStore, default_data_dir,
)

__all__ = ["KEEP_PER_EXERCISE", "Attempt", "DB_NAME", "STATES", "ExerciseRecord", "ProgressStore", "default_data_dir"]
