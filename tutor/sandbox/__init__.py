"""The sandbox: run a learner's Python in a locked-down child process, get numbers back.

Imports nothing from the rest of gd-tutor (no UI, no engine, no lessons): the
callers build cases from lessons and compare the numbers themselves.

    from tutor.sandbox import Sandbox, run_code
    info = Sandbox.detect()          # SandboxInfo(usable, reason, bwrap)
    run = run_code(source, "gradient_descent",
                   [{"args": [{"sympy": "x^2"}, 3, 0.1]}])
    run.cases[0].value               # [3, 2.4, 1.92, ...] or None
    run.cases[0].error               # "line 7: NameError: name 'gradiant' is not defined"
"""

from __future__ import annotations

from tutor.sandbox.model import (
    KINDS, MESSAGES, CaseResult, Isolation, RunCancelled, RunResult, SandboxError, SandboxInfo,
    SandboxUnavailable,
)
from tutor.sandbox.detect import Sandbox
from tutor.sandbox.runner import MAX_SOURCE, prewarm, run_code

__all__ = ["KINDS", "MAX_SOURCE", "MESSAGES", "CaseResult", "Isolation", "RunCancelled",
           "RunResult", "Sandbox", "SandboxError", "SandboxInfo", "SandboxUnavailable",
           "prewarm", "run_code"]
