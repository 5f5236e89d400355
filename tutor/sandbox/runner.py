"""run_code and Sandbox.detect: the two calls the rest of gd-tutor uses."""

from __future__ import annotations

import dataclasses
import json
import math
import re
import secrets
import sys
import threading
import time
from typing import Any

from tutor.sandbox.command import bwrap_command, find_bwrap, plain_command, sandbox_paths
from tutor.sandbox.model import (
    MESSAGES, CaseResult, Isolation, RunResult, SandboxError, SandboxInfo, SandboxUnavailable,
)
from tutor.sandbox.process import ChildOutcome, run_child
from tutor.sandbox.protocol import (
    BadLine, case_result, parse_line, printed, sentence, stopped_result,
)

MAX_SOURCE = 64_000
MAX_OUTPUT = 1_000_000
START_S = 30.0
PROBE_MEMORY_MB = 512
SYMPY_TEXT = re.compile(r"[A-Za-z0-9_+\-*/^().,\s]{1,500}")
NAMESPACE_ERRORS = ("namespace", "uid map", "Operation not permitted", "setting up")


class Sandbox:
    """Whether learner code can be isolated here; checked once per process."""

    _info: SandboxInfo | None = None
    _lock = threading.Lock()

    @classmethod
    def detect(cls, *, refresh: bool = False) -> SandboxInfo:
        """Probe bubblewrap once (about 50 ms): usable, or a one-line reason."""
        with cls._lock:
            if cls._info is None or refresh:
                cls._info = _probe()
            return cls._info


def _probe() -> SandboxInfo:
    if not sys.platform.startswith("linux"):
        return SandboxInfo(False, MESSAGES["not_linux"])
    bwrap = find_bwrap()
    if bwrap is None:
        return SandboxInfo(False, MESSAGES["no_bwrap"])
    request = json.dumps({"probe": True, "memory_mb": PROBE_MEMORY_MB, "cpu_s": 5}).encode()
    try:
        outcome = run_child(bwrap_command(bwrap, _token()), request, start_s=START_S,
                            wall_s=START_S, stages=1, max_output=4096)
    except OSError as error:
        return SandboxInfo(False, MESSAGES["bwrap_failed"].format(detail=error.strerror))
    return _judge_probe(outcome, bwrap)


def _judge_probe(outcome: ChildOutcome, bwrap: str) -> SandboxInfo:
    """Usable only if the child started as nobody and fork() was refused."""
    try:
        report = parse_line(outcome.lines[0])["probe"]
    except (IndexError, KeyError, BadLine):
        return SandboxInfo(False, _start_failure(outcome.stderr))
    if not isinstance(report, dict) or report.get("fork_blocked") is not True:
        detail = report.get("seccomp_error") if isinstance(report, dict) else None
        return SandboxInfo(False, MESSAGES["no_filter"].format(
            detail=_safe(detail, "fork() still works")))
    if report.get("uid") != 65534:
        return SandboxInfo(False, MESSAGES["bwrap_failed"].format(detail="not running as nobody"))
    return SandboxInfo(True, None, bwrap)


def _start_failure(stderr: bytes) -> str:
    first = stderr.decode("utf-8", "replace").strip().splitlines()
    detail = first[0] if first else "no output"
    if any(word in detail for word in NAMESPACE_ERRORS):
        return MESSAGES["no_namespaces"]
    return MESSAGES["bwrap_failed"].format(detail=_safe(detail, "no output"))


def _safe(text: Any, default: str) -> str:
    try:
        return sentence(text, 120)
    except BadLine:
        return default


def _token() -> str:
    """A unique word on the child's command line (tests find leftovers by it)."""
    return "gd-tutor-sandbox-" + secrets.token_hex(8)


def run_code(source: str, entry: str, cases: list[dict[str, Any]], *, wall_s: float = 2.0,
             cpu_s: int | None = None, memory_mb: int = 512,
             isolate: Isolation = "auto") -> RunResult:
    """Run `entry` from the learner's `source` on each case, in a child process.

    Each case is {"args": [...], "kwargs": {...}} of JSON values, where
    {"sympy": "x^2"} stands for a SymPy expression (trusted lesson text, never the
    learner's). Returns one CaseResult per case. isolate="auto" uses bubblewrap
    when it works and otherwise runs with rlimits only (`isolated=False` and a
    note); "require" raises SandboxUnavailable instead; "off" never uses it.
    Raises SandboxError only when the sandbox itself cannot start.
    """
    _check_request(entry, cases)
    token = _token()
    argv, isolated, note = _choose(isolate, token)
    started = time.monotonic()
    if len(source) > MAX_SOURCE:
        result = CaseResult("too_long", error=MESSAGES["too_long"].format(limit=f"{MAX_SOURCE:,}"))
        return RunResult(tuple(result for _ in cases), isolated, note, 0.0, token)
    cpu = cpu_s if cpu_s is not None else math.ceil(wall_s * (len(cases) + 1)) + 1
    request = {"source": source, "entry": entry, "cases": cases, "memory_mb": memory_mb,
               "cpu_s": cpu, "paths": sandbox_paths(isolated)}
    outcome = run_child(argv, json.dumps(request).encode(), start_s=START_S, wall_s=wall_s,
                        stages=len(cases) + 2, max_output=MAX_OUTPUT)
    results = _results(outcome, len(cases), wall_s=wall_s, cpu_s=cpu)
    return RunResult(tuple(results), isolated, note, time.monotonic() - started, token)


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


def _choose(isolate: Isolation, token: str) -> tuple[list[str], bool, str | None]:
    """The command to run, whether it is isolated, and the note when it is not."""
    if isolate == "off":
        return plain_command(token), False, MESSAGES["not_isolated"].format(
            reason="isolation is turned off")
    info = Sandbox.detect()
    if info.usable and info.bwrap is not None:
        return bwrap_command(info.bwrap, token), True, None
    if isolate == "require":
        raise SandboxUnavailable(MESSAGES["refused"].format(reason=info.reason))
    return plain_command(token), False, info.note


def _results(outcome: ChildOutcome, count: int, *, wall_s: float, cpu_s: int) -> list[CaseResult]:
    """One CaseResult per case from the child's lines and how it ended."""
    lines = outcome.lines
    if not lines or "ready" not in _parsed(lines[0]):
        if outcome.stopped == "start":
            raise SandboxError(f"the sandbox did not start within {START_S:g} s; "
                               "the machine may be overloaded")
        raise SandboxError("the sandbox could not start: "
                           + _safe(outcome.stderr.decode("utf-8", "replace"), "no output"))
    if len(lines) < 2:
        return [stopped_result(outcome, wall_s=wall_s, cpu_s=cpu_s)] * count
    module = _parsed(lines[1])
    if module.get("module") != "ok":
        return [case_result(lines[1])] * count
    results = [case_result(line) for line in lines[2:2 + count]]
    if len(results) < count:
        results.append(stopped_result(outcome, wall_s=wall_s, cpu_s=cpu_s))
        results += [CaseResult("skipped", error=MESSAGES["skipped"])] * (count - len(results))
    return _with_module_output(results, module)


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
