"""Sandbox.detect: can bubblewrap isolate learner code on this machine?

Checked by starting the real sandbox once with a probe request: it must start
Python as uid 65534 and refuse fork(). Any failure becomes one short reason.
"""

from __future__ import annotations

import json
import sys
import threading
from typing import Any

from tutor.sandbox.command import bwrap_command, find_bwrap, new_token
from tutor.sandbox.model import MESSAGES, SandboxInfo
from tutor.sandbox.process import Child, ChildOutcome, Deadlines
from tutor.sandbox.protocol import BadLine, parse_line, sentence

START_S = 30.0
PROBE_MEMORY_MB = 512
NAMESPACE_ERRORS = ("namespace", "uid map", "Operation not permitted", "setting up")


class Sandbox:
    """Whether learner code can be isolated here; checked once per process."""

    _info: SandboxInfo | None = None
    _lock = threading.Lock()

    @classmethod
    def detect(cls, *, refresh: bool = False) -> SandboxInfo:
        """Probe bubblewrap once (a sandboxed Python without SymPy): usable, or why not."""
        with cls._lock:
            if cls._info is None or refresh:
                cls._info = probe()
            return cls._info


def probe() -> SandboxInfo:
    """Start the sandbox with a probe request and judge what came back."""
    if not sys.platform.startswith("linux"):
        return SandboxInfo(False, MESSAGES["not_linux"])
    bwrap = find_bwrap()
    if bwrap is None:
        return SandboxInfo(False, MESSAGES["no_bwrap"])
    setup = json.dumps({"probe": True, "memory_mb": PROBE_MEMORY_MB}).encode()
    token = new_token()
    try:
        child = Child(bwrap_command(bwrap, token), setup, token)
    except OSError as error:
        return SandboxInfo(False, MESSAGES["bwrap_failed"].format(detail=error.strerror))
    outcome = child.drive(b"{}", Deadlines(START_S, START_S, 1, 0, 4096))
    return _judge(outcome, bwrap)


def _judge(outcome: ChildOutcome, bwrap: str) -> SandboxInfo:
    """Usable only if the child started as nobody, loaded the filter and fork() was refused."""
    try:
        report = parse_line(outcome.lines[0])["probe"]
    except (IndexError, KeyError, BadLine):
        return SandboxInfo(False, start_failure(outcome.stderr))
    if not isinstance(report, dict) or report.get("seccomp") is not True \
            or report.get("fork_blocked") is not True:
        detail = report.get("seccomp_error") if isinstance(report, dict) else None
        return SandboxInfo(False, MESSAGES["no_filter"].format(
            detail=safe_sentence(detail, "fork() still works")))
    if report.get("uid") != 65534:
        return SandboxInfo(False, MESSAGES["bwrap_failed"].format(detail="not running as nobody"))
    return SandboxInfo(True, None, bwrap)


def start_failure(stderr: bytes) -> str:
    """The reason a child wrote nothing: namespaces refused, or bwrap's own first line."""
    first = stderr.decode("utf-8", "replace").strip().splitlines()
    detail = first[0] if first else "no output"
    if any(word in detail for word in NAMESPACE_ERRORS):
        return MESSAGES["no_namespaces"]
    return MESSAGES["bwrap_failed"].format(detail=safe_sentence(detail, "no output"))


def safe_sentence(text: Any, default: str) -> str:
    """`text` as a short printable line, or `default` when it is not text."""
    try:
        return sentence(text, 120)
    except BadLine:
        return default
