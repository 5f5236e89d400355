"""Who is stuck and what the class gets wrong, from the learners' attempt histories.

Pure functions over `LearnerSnapshot`s (read read-only by `tutor.serve.report`),
shared by `class-report --json/--csv` and any live view:

- `stuck`: a learner is stuck on the exercise of their latest attempt when it is
  not passed and their last run of attempts on it (attempts on other exercises
  break the run) has `after` failures, or `minutes` of time spent on it: the gaps
  between the run's checks and their last activity (last write), leaving out every
  gap over `pause` minutes (a break, or another sitting).
- `common_mistakes`: failed attempts grouped per exercise by diagnosis, counting
  distinct learners, most learners first, with the latest inputs as an example;
  attempts without a diagnosis group by their normalised answer (`answer=0.5`)
  when at least two learners share it.
- `gradebook_csv`: one row per learner and one column per exercise seen.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from tutor.progress import Attempt
from tutor.serve.report import LearnerSnapshot

ANSWER_LIMIT = 120  # characters of a grouped answer shown in reports


@dataclass(frozen=True)
class StuckRule:
    """When a learner counts as stuck: `after` failures in a row, or `minutes` spent without a
    pass, where a gap of more than `pause` minutes between two moments of work is not spent."""

    after: int = 3
    minutes: float = 5.0
    pause: float = 10.0


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


def spent_minutes(moments: list[datetime], pause: float) -> float:
    """Minutes between consecutive `moments` (in order), leaving out each gap over `pause`:
    a learner back from lunch or from yesterday has not spent those hours on the exercise."""
    gaps = ((later - earlier).total_seconds() / 60 for earlier, later in zip(moments, moments[1:]))
    return sum(gap for gap in gaps if 0 <= gap <= pause)


def stuck_entry(snapshot: LearnerSnapshot, rule: StuckRule) -> dict[str, Any] | None:
    """{learner, lesson, exercise, failed_attempts, minutes} if this learner is stuck."""
    run = current_run(snapshot.history)
    if not run or snapshot.states.get(run[0].key) == "done":
        return None
    moments = [attempt.at for attempt in run]
    if snapshot.last_seen is not None and snapshot.last_seen > moments[-1]:
        moments.append(snapshot.last_seen)
    minutes = spent_minutes(moments, rule.pause)
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


def answer_text(inputs: Mapping[str, Any]) -> str:
    """A wrong answer as one canonical line, so the same answer typed differently groups:
    `answer=0.5` for "0.5", " .50 " and "5e-1" (numbers read with float(), never evaluated;
    other text with its runs of spaces made one)."""
    return ", ".join(f"{name}={_normal(value)}" for name, value in sorted(inputs.items()))


def _normal(value: object) -> str:
    text = " ".join(str(value).split())
    try:
        number = float(text)
    except ValueError:
        return text
    return f"{number:.12g}" if math.isfinite(number) else text


def _group_key(attempt: Attempt) -> tuple[str, str | None, str | None]:
    """(exercise, diagnosis, None) for a diagnosed attempt, else (exercise, None, answer)."""
    if attempt.diagnosis:
        return attempt.key, attempt.diagnosis, None
    return attempt.key, None, answer_text(attempt.inputs)


def common_mistakes(snapshots: Iterable[LearnerSnapshot]) -> list[dict[str, Any]]:
    """Wrong attempts grouped per exercise by diagnosis (or, without one, by the normalised
    answer when two or more learners gave it), most learners first."""
    groups: dict[tuple[str, str | None, str | None], dict[str, Any]] = {}
    for snapshot in snapshots:
        for attempt in snapshot.history:
            if attempt.passed:
                continue
            group = groups.setdefault(_group_key(attempt),
                                      {"learners": set(), "attempts": 0, "latest": attempt})
            group["learners"].add(snapshot.row.learner)
            group["attempts"] += 1
            if attempt.at >= group["latest"].at:
                group["latest"] = attempt
    rows = [{"lesson": _split(key)[0], "exercise": _split(key)[1], "diagnosis": diagnosis,
             "answer": _clipped(answer), "learners": len(g["learners"]),
             "attempts": g["attempts"], "example": dict(g["latest"].inputs)}
            for (key, diagnosis, answer), g in groups.items()
            if diagnosis is not None or len(g["learners"]) >= 2]
    return sorted(rows, key=lambda r: (-r["learners"], -r["attempts"], r["lesson"],
                                       r["exercise"], r["diagnosis"] or "", r["answer"] or ""))


def _clipped(answer: str | None, limit: int = ANSWER_LIMIT) -> str | None:
    """An answer short enough for a report line (a code answer can be long)."""
    if answer is None or len(answer) <= limit:
        return answer
    return answer[:limit - 3] + "..."


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
