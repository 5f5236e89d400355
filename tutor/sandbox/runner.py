"""run_code: run a learner's function on lesson cases in a sandbox child."""

from __future__ import annotations

import dataclasses
import json
import math
import re
import time
from collections.abc import Callable
from typing import Any

from tutor.sandbox.command import bwrap_command, new_token, plain_command, sandbox_paths
from tutor.sandbox.detect import START_S, Sandbox, safe_sentence
from tutor.sandbox.model import (
    MESSAGES, CaseResult, Isolation, RunCancelled, RunResult, SandboxError, SandboxUnavailable,
)
from tutor.sandbox.process import Child, ChildOutcome, Deadlines
from tutor.sandbox.protocol import BadLine, case_result, parse_line, printed, stopped_result
from tutor.sandbox.spares import SPARES

MAX_SOURCE = 64_000
MAX_OUTPUT = 1_000_000
SYMPY_TEXT = re.compile(r"[A-Za-z0-9_+\-*/^().,\s]{1,500}")


@dataclasses.dataclass(frozen=True)
class _Plan:
    """How a run is contained: the key of its kind of child and how to start one."""

    isolated: bool
    note: str | None
    memory_mb: int
    bwrap: str | None

    def start(self) -> Child:
        token = new_token()
        argv = bwrap_command(self.bwrap, token) if self.bwrap else plain_command(token)
        setup = {"memory_mb": self.memory_mb, "paths": sandbox_paths(self.isolated)}
        return Child(argv, json.dumps(setup).encode(), token)

    @property
    def key(self) -> tuple[bool, int]:
        return (self.isolated, self.memory_mb)


def run_code(source: str, entry: str, cases: list[dict[str, Any]], *, wall_s: float = 2.0,
             cpu_s: int | None = None, memory_mb: int = 512, isolate: Isolation = "auto",
             spare: bool = False, cancelled: Callable[[], bool] | None = None) -> RunResult:
    """Run `entry` from the learner's `source` on each case, in a child process.

    Each case is {"args": [...], "kwargs": {...}} of JSON values, where
    {"sympy": "x^2"} stands for a SymPy expression (trusted lesson text, never the
    learner's). Returns one CaseResult per case. isolate="auto" uses bubblewrap
    when it works and otherwise runs with rlimits only (`isolated=False` and a
    note); "require" raises SandboxUnavailable instead; "off" never uses it.
    spare=True starts a warm child for the next run once this one is done.
    `cancelled()` is asked while it runs: once true, the child is killed at once and
    RunCancelled is raised.
    Raises SandboxError only when the sandbox itself cannot start.
    """
    _check_request(entry, cases)
    plan = _plan(isolate, memory_mb)
    started = time.monotonic()
    if len(source) > MAX_SOURCE:
        result = CaseResult("too_long", error=MESSAGES["too_long"].format(limit=f"{MAX_SOURCE:,}"))
        return RunResult(tuple(result for _ in cases), plan.isolated, plan.note, 0.0)
    try:
        child = SPARES.take(plan.key, plan.start)
    except OSError as error:
        raise SandboxError(f"the sandbox could not start ({error.strerror})") from None
    cpu = cpu_s if cpu_s is not None else math.ceil(wall_s * (len(cases) + 1)) + 1
    request = {"source": source, "entry": entry, "cases": cases, "cpu_s": cpu}
    limits = Deadlines(START_S, wall_s, start_lines=2, stages=len(cases) + 2,
                       max_output=MAX_OUTPUT)
    outcome = child.drive(json.dumps(request).encode(), limits, cancelled)
    if spare:
        SPARES.refill(plan.key, plan.start)
    if outcome.stopped == "cancelled":
        raise RunCancelled("you cancelled the run: your code was stopped")
    results = _results(outcome, len(cases), wall_s=wall_s, cpu_s=cpu)
    return RunResult(tuple(results), plan.isolated, plan.note, time.monotonic() - started,
                     child.token)


def prewarm(*, memory_mb: int = 512, isolate: Isolation = "auto",
            wait_s: float = 0.0) -> bool:
    """Start a spare child now, so the next run_code(..., same settings) starts warm.

    With `wait_s`, wait up to that long for it to be warm; True once it is.
    """
    plan = _plan(isolate, memory_mb)
    SPARES.refill(plan.key, plan.start)
    return SPARES.wait_warm(plan.key, wait_s) if wait_s > 0 else False


def _plan(isolate: Isolation, memory_mb: int) -> _Plan:
    """Bubblewrap when usable; otherwise rlimits only with a note, or a refusal."""
    if isolate == "off":
        return _Plan(False, MESSAGES["not_isolated"].format(reason="isolation is turned off"),
                     memory_mb, None)
    info = Sandbox.detect()
    if info.usable and info.bwrap is not None:
        return _Plan(True, None, memory_mb, info.bwrap)
    if isolate == "require":
        raise SandboxUnavailable(MESSAGES["refused"].format(reason=info.reason))
    return _Plan(False, info.note, memory_mb, None)


def _check_request(entry: str, cases: list[dict[str, Any]]) -> None:
    """The caller's (lesson's) part must be well formed: a ValueError is a bug upstream."""
    if not entry.isidentifier():
        raise ValueError(f"entry must be a Python name, not {entry!r}")
    for case in cases:
        if not isinstance(case, dict) or not set(case) <= {"args", "kwargs"}:
            raise ValueError("each case is a dict with 'args' and/or 'kwargs'")
        _check_values(case.get("args", []))
        _check_values(list(case.get("kwargs", {}).values()))


def _check_values(values: list[Any]) -> None:
    for value in values:
        if isinstance(value, dict):
            text = value.get("sympy")
            if set(value) != {"sympy"} or not isinstance(text, str) \
                    or not SYMPY_TEXT.fullmatch(text):
                raise ValueError(f"a case argument {value!r} is not {{'sympy': formula}}")
        elif isinstance(value, list):
            _check_values(value)


def _results(outcome: ChildOutcome, count: int, *, wall_s: float, cpu_s: int) -> list[CaseResult]:
    """One CaseResult per case from the child's lines (warm, ready, module, cases...)."""
    lines = outcome.lines
    if len(lines) < 2 or "ready" not in _parsed(lines[1]):
        if outcome.stopped == "start":
            raise SandboxError(f"the sandbox did not start within {START_S:g} s; "
                               "the machine may be overloaded")
        detail = safe_sentence(outcome.stderr.decode("utf-8", "replace"), "no output")
        raise SandboxError(f"the sandbox could not start ({detail})")
    if len(lines) < 3:
        return [_stopped(outcome, wall_s, cpu_s)] * count
    module = _parsed(lines[2])
    if module.get("module") != "ok":
        return [case_result(lines[2])] * count
    results = [case_result(line) for line in lines[3:3 + count]]
    if len(results) < count:
        results.append(_stopped(outcome, wall_s, cpu_s))
        results += [CaseResult("skipped", error=MESSAGES["skipped"])] * (count - len(results))
    return _with_module_output(results, module)


def _stopped(outcome: ChildOutcome, wall_s: float, cpu_s: int) -> CaseResult:
    """The stopped case, with what it printed before it was stopped (the harness copies
    prints to its stderr, a NUL after each case: the last part is the stopped case's)."""
    result = stopped_result(outcome, wall_s=wall_s, cpu_s=cpu_s)
    if outcome.returncode == 70 or b"\0" not in outcome.stderr:
        return result  # a harness fault, or no prints copied: stderr holds no prints
    last = outcome.stderr.rsplit(b"\0", 1)[1].decode("utf-8", "replace")
    return dataclasses.replace(result, printed=printed(last))


def _parsed(line: bytes) -> dict[str, Any]:
    try:
        return parse_line(line)
    except BadLine:
        return {}


def _with_module_output(results: list[CaseResult], module: dict[str, Any]) -> list[CaseResult]:
    """What the module printed at load time is shown with the first case."""
    shown = printed(module.get("printed"))
    if not results or not shown:
        return results
    first = results[0]
    return [dataclasses.replace(first, printed=shown + first.printed), *results[1:]]
