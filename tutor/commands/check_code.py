"""`gd-tutor check-code FILE.py --exercise LESSON/ID [--json]`: a file through the sandbox.

The same read, sandbox run and judging as the exercise pane's code editor, for
learners who write in their own editor and for graders. Exit 0 whether or not the
code passed (the verdict says), 2 for unusable arguments. Never imports Textual.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path
from typing import Any

from tutor.commands.check import find_exercise
from tutor.errors import UserError

MAX_FILE = 64_000


def check_code_command(args: argparse.Namespace) -> int:
    """Read the file, run it on the exercise's cases, print the verdict."""
    from tutor.practice import DataPolicy, InputProblem, Verdict, attempt, one_sentence

    lesson, exercise = find_exercise(args.exercise)
    if exercise.kind != "code":
        raise UserError(f"exercise '{exercise.id}' of lesson {lesson.number} is not a code "
                        "exercise; use 'gd-tutor check' for it")
    source = read_source(Path(args.file))
    outcome = None
    try:
        done = attempt(exercise, {"code": source}, policy=DataPolicy.from_environment())
        verdict, outcome = done.verdict or Verdict(True, "Done."), done.outcome
    except InputProblem as exc:
        verdict = Verdict(False, one_sentence(exc))
    note = getattr(outcome, "note", None)
    if note and not args.json:
        sys.stderr.write(f"gd-tutor: {note}\n")
    report = code_report(f"{lesson.slug}/{exercise.id}", verdict, outcome)
    print(json.dumps(report, allow_nan=False) if args.json else code_text(report))
    return 0


def read_source(path: Path) -> str:
    """The file's text, or a UserError naming what is wrong with it."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise UserError(f"there is no file '{path}'") from None
    except IsADirectoryError:
        raise UserError(f"'{path}' is a folder; give the Python file") from None
    except OSError as exc:
        raise UserError(f"cannot read '{path}' ({exc.strerror})") from None
    if len(data) > MAX_FILE:
        raise UserError(f"'{path}' is longer than {MAX_FILE:,} bytes; a code exercise's "
                        "function is much shorter")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise UserError(f"'{path}' is not UTF-8 text") from None


def code_report(key: str, verdict: Any, outcome: Any) -> dict[str, Any]:
    """The JSON object: passed, message, mistake (a catalogue key or null), cases."""
    from tutor.practice.mistakes import CATALOGUE

    diagnosis = verdict.diagnosis
    return {
        "exercise": key, "passed": verdict.passed, "message": verdict.message,
        "mistake": diagnosis if diagnosis in CATALOGUE else None, "diagnosis": diagnosis,
        "isolated": getattr(outcome, "isolated", None), "note": getattr(outcome, "note", None),
        "cases": [_case(run) for run in getattr(outcome, "cases", ())],
    }


def _case(run: Any) -> dict[str, Any]:
    return {"case": dict(run.case), "kind": run.kind, "value": _finite(run.value),
            "expected": _finite(list(run.expected)), "error": run.error, "line": run.line}


def _finite(value: Any) -> Any:
    """NaN and infinities as null (JSON has neither)."""
    if isinstance(value, list):
        return [_finite(v) for v in value]
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def code_text(report: dict[str, Any]) -> str:
    """PASS or NOT YET and the message."""
    return f"{report['exercise']}: {'PASS' if report['passed'] else 'NOT YET'}\n" \
        f"{report['message']}"
