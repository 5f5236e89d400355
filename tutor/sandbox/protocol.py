"""Read the child's JSON lines into CaseResults, trusting nothing in them.

Learner code runs in the child's process and can write anything to its
channel, so each line is parsed with bounds (no huge ints, no deep nesting)
and checked against the shape the harness promises: numbers are ints or floats
(NaN and infinities allowed) or lists of them at most 3 deep and 10,000 in all;
sentences are printable, one line, at most 240 characters.
"""

from __future__ import annotations

import json
import signal
from typing import Any

from tutor.sandbox.model import MESSAGES, CaseResult, Numbers
from tutor.sandbox.process import ChildOutcome

MAX_NUMBERS = 10_000
MAX_DEPTH = 3
MAX_SENTENCE = 240
MAX_PRINTED = 2000
LEARNER_KINDS = {"error", "value", "memory"}


class BadLine(ValueError):
    """A line that is not what the harness writes."""


def parse_line(raw: bytes) -> dict[str, Any]:
    """One line as a JSON object, refusing oversized numbers and deep nesting."""
    try:
        data = json.loads(raw.decode("utf-8"), parse_int=_small_int)
    except (ValueError, RecursionError, UnicodeDecodeError) as error:
        raise BadLine(str(error)[:80]) from None
    if not isinstance(data, dict):
        raise BadLine("not an object")
    return data


def _small_int(text: str) -> int:
    if len(text.lstrip("-")) > 20:
        raise ValueError("number too long")
    return int(text)


def numbers(value: Any) -> Numbers:
    """`value` if it is numbers within the bounds, else BadLine."""
    budget = [MAX_NUMBERS]
    _check_numbers(value, 0, budget)
    return value


def _check_numbers(value: Any, depth: int, budget: list[int]) -> None:
    if type(value) is list:
        if depth >= MAX_DEPTH:
            raise BadLine("lists nested too deep")
        for item in value:
            _check_numbers(item, depth + 1, budget)
        return
    budget[0] -= 1
    if budget[0] < 0 or type(value) not in (int, float):
        raise BadLine("not numbers")


def sentence(value: Any, limit: int = MAX_SENTENCE) -> str:
    """A printable one-line string of at most `limit` characters."""
    if not isinstance(value, str) or not value.strip():
        raise BadLine("not a sentence")
    first = value.splitlines()[0][: limit * 2]
    flat = "".join(ch if ch.isprintable() else " " for ch in first).strip()
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def printed(value: Any) -> str:
    """What the learner printed: text with tabs and newlines kept, other controls dropped."""
    if not isinstance(value, str):
        return ""
    return "".join(ch for ch in value[:MAX_PRINTED] if ch.isprintable() or ch in "\n\t")


def case_result(line: bytes) -> CaseResult:
    """One case line (or the module line when it is an error) as a CaseResult."""
    try:
        data = parse_line(line)
        shown = printed(data.get("printed"))
        if "value" in data:
            return CaseResult("ok", value=numbers(data["value"]), printed=shown)
        kind = data.get("kind")
        if kind not in LEARNER_KINDS:
            raise BadLine("unknown kind")
        return CaseResult(kind, error=sentence(data.get("error")), line=_line(data.get("line")),
                          printed=shown)
    except BadLine:
        return CaseResult("invalid", error=MESSAGES["invalid"])


def _line(value: Any) -> int | None:
    if value is None:
        return None
    if type(value) is not int or not 0 < value < 1_000_000:
        raise BadLine("bad line number")
    return value


def stopped_result(outcome: ChildOutcome, *, wall_s: float, cpu_s: int) -> CaseResult:
    """Why the child gave no line for a case: our deadline, the cap, a signal, an exit."""
    if outcome.stopped == "timeout":
        return CaseResult("timeout", error=MESSAGES["timeout"].format(wall=f"{wall_s:g}"))
    if outcome.stopped == "output":
        return CaseResult("output", error=MESSAGES["output"])
    number = _signal_number(outcome.returncode)
    if number == signal.SIGXCPU:
        return CaseResult("cpu", error=MESSAGES["cpu"].format(cpu=cpu_s))
    if number is not None:
        return CaseResult("crash", error=MESSAGES["crash"].format(signal=_signal_name(number)))
    return CaseResult("exited", error=MESSAGES["exited"])


def _signal_number(returncode: int | None) -> int | None:
    """The signal that ended the child: negative for Popen, 128+n through bwrap."""
    if returncode is None:
        return None
    if returncode < 0:
        return -returncode
    if 128 < returncode < 128 + 65:
        return returncode - 128
    return None


def _signal_name(number: int) -> str:
    try:
        return signal.Signals(number).name
    except ValueError:
        return f"signal {number}"
