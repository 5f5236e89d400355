"""Who is stuck and what the class gets wrong, from the learners' attempt histories.

Pure functions over `LearnerSnapshot`s (read read-only by `tutor.serve.report`),
shared by `class-report --json/--csv` and any live view:

- `stuck`: a learner is stuck on the exercise of their latest attempt when it is
  not passed and their last run of attempts on it (attempts on other exercises
  break the run) has `after` failures, or spans `minutes` from its first attempt
  to their last activity (their last attempt or last write, whichever is later).
- `common_mistakes`: failed attempts with a diagnosis, grouped per exercise and
  diagnosis, counting distinct learners, most learners first, with the latest
  inputs as an example.
- `gradebook_csv`: one row per learner and one column per exercise seen.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from tutor.progress import Attempt
from tutor.serve.report import LearnerSnapshot


@dataclass(frozen=True)
class StuckRule:
    """When a learner counts as stuck: `after` failures in a row or `minutes` without a pass."""

    after: int = 3
    minutes: float = 5.0


def _split(key: str) -> tuple[str, str]:
    lesson, _, exercise = key.partition("/")
    return lesson, exercise


def current_run(history: Iterable[Attempt]) -> list[Attempt]:
    """The trailing attempts on the latest exercise tried, back to another exercise or a pass."""
    ordered = list(history)
    if not ordered or ordered[-1].passed:
        return []
    run: list[Attempt] = []
    for attempt in reversed(ordered):
        if attempt.key != ordered[-1].key or attempt.passed:
            break
        run.append(attempt)
    return run[::-1]


def stuck_entry(snapshot: LearnerSnapshot, rule: StuckRule) -> dict[str, Any] | None:
    """{learner, lesson, exercise, failed_attempts, minutes} if this learner is stuck."""
    run = current_run(snapshot.history)
    if not run or snapshot.states.get(run[0].key) == "done":
        return None
    last = max([run[-1].at] + ([snapshot.last_seen] if snapshot.last_seen else []))
    minutes = (last - run[0].at).total_seconds() / 60
    if len(run) < rule.after and minutes < rule.minutes:
        return None
    lesson, exercise = _split(run[0].key)
    return {"learner": snapshot.row.learner, "lesson": lesson, "exercise": exercise,
            "failed_attempts": len(run), "minutes": round(minutes, 1),
            "diagnosis": run[-1].diagnosis, "hints": snapshot.hints.get(run[0].key, 0)}


def stuck(snapshots: Iterable[LearnerSnapshot], rule: StuckRule = StuckRule()
          ) -> list[dict[str, Any]]:
    """Every stuck learner, longest stuck first."""
    found = [entry for s in snapshots if (entry := stuck_entry(s, rule)) is not None]
    return sorted(found, key=lambda e: (-e["minutes"], -e["failed_attempts"], e["learner"]))


def common_mistakes(snapshots: Iterable[LearnerSnapshot]) -> list[dict[str, Any]]:
    """Diagnosed wrong attempts grouped per exercise and diagnosis, most learners first."""
    groups: dict[tuple[str, str], dict[str, Any]] = {}
    for snapshot in snapshots:
        for attempt in snapshot.history:
            if attempt.passed or not attempt.diagnosis:
                continue
            group = groups.setdefault((attempt.key, attempt.diagnosis),
                                      {"learners": set(), "attempts": 0, "latest": attempt})
            group["learners"].add(snapshot.row.learner)
            group["attempts"] += 1
            if attempt.at >= group["latest"].at:
                group["latest"] = attempt
    rows = [{"lesson": _split(key)[0], "exercise": _split(key)[1], "diagnosis": diagnosis,
             "learners": len(g["learners"]), "attempts": g["attempts"],
             "example": dict(g["latest"].inputs)}
            for (key, diagnosis), g in groups.items()]
    return sorted(rows, key=lambda r: (-r["learners"], -r["attempts"], r["lesson"],
                                       r["exercise"], r["diagnosis"]))


GRADEBOOK_COLUMNS = ("learner", "current_lesson", "done", "skipped", "attempts", "hints",
                     "last_seen", "note")


def _cell(value: object) -> str:
    """A CSV cell a spreadsheet shows as text: no formula from a leading = + - @."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def gradebook_csv(snapshots: list[LearnerSnapshot]) -> str:
    """A gradebook: the report's columns, then each exercise's state (done, skipped,
    attempted) for every exercise any learner touched, in key order."""
    keys = sorted({key for s in snapshots for key in s.states})
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(GRADEBOOK_COLUMNS + tuple(keys))
    for snapshot in snapshots:
        row = snapshot.row.as_json()
        states = [snapshot.states.get(key, "") for key in keys]
        writer.writerow([_cell(row[c]) for c in GRADEBOOK_COLUMNS]
                        + [_cell("" if s == "new" else s) for s in states])
    return out.getvalue()


def lesson_marks(snapshot: LearnerSnapshot, lessons: list[tuple[str, list[str]]],
                 stuck_on: str | None) -> list[str]:
    """Per lesson, one readable mark: done, stuck, current, started, or not started."""
    marks = []
    for slug, keys in lessons:
        states = [snapshot.states.get(key, "new") for key in keys]
        if stuck_on == slug:
            marks.append("stuck")
        elif keys and all(state == "done" for state in states):
            marks.append("done")
        elif snapshot.row.current_lesson == slug:
            marks.append("current")
        elif any(state != "new" for state in states):
            marks.append("started")
        else:
            marks.append("not started")
    return marks


def class_view(snapshots: list[LearnerSnapshot], lessons: list[tuple[str, list[str]]],
               rule: StuckRule = StuckRule()) -> dict[str, Any]:
    """Everything a live view shows, as plain data: lessons, one row per learner with
    its lesson marks and attempts, who is stuck and the common mistakes."""
    found = stuck(snapshots, rule)
    stuck_lesson = {entry["learner"]: entry["lesson"] for entry in found}
    rows = []
    for snapshot in snapshots:
        row = snapshot.row.as_json()
        row["marks"] = lesson_marks(snapshot, lessons, stuck_lesson.get(snapshot.row.learner))
        row["skips"] = sum(1 for state in snapshot.states.values() if state == "skipped")
        row["history"] = [attempt.as_json() for attempt in snapshot.history]
        rows.append(row)
    return {"lessons": [slug for slug, _ in lessons], "learners": rows, "stuck": found,
            "common_mistakes": common_mistakes(snapshots)}
