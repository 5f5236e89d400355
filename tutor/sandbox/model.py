"""What the sandbox reports: results per case, the run, and whether it is isolated.

Every sentence a learner can see comes from the MESSAGES table, so the wording
lives in one place.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, Union

Isolation = Literal["auto", "require", "off"]
Numbers = Union[int, float, list]  # an int/float, or a list (nested up to 3 deep) of them

KINDS = ("ok", "error", "value", "memory", "timeout", "cpu", "output", "crash",
         "exited", "invalid", "skipped", "too_long")

MESSAGES = {
    "timeout": "your code did not finish in {wall} s: does every loop in it end?",
    "cpu": "your code used more than {cpu} s of processor time: does the loop ever stop?",
    "output": "your code printed or returned more than 1 MB, so the run was stopped",
    "crash": "the Python running your code crashed ({signal}); low-level calls such as "
             "ctypes are not allowed here",
    "exited": "your code ended Python before it returned a result (os._exit?); return "
              "the result instead",
    "invalid": "your function returned something that cannot be read as numbers",
    "skipped": "not run, because an earlier case did not finish",
    "too_long": "your code is longer than {limit} characters; shorten it",
    "not_isolated": "your code is not isolated on this machine: {reason}",
    "refused": "code exercises are off on this server: {reason}",
    "no_bwrap": "bubblewrap is not installed",
    "no_namespaces": "bubblewrap cannot create namespaces here",
    "bwrap_failed": "bubblewrap could not start Python here ({detail})",
    "no_filter": "the sandbox cannot stop new processes on this machine ({detail})",
    "not_linux": "bubblewrap only exists on Linux",
}


class SandboxError(Exception):
    """The sandbox itself failed (not the learner's code): one sentence."""


class RunCancelled(SandboxError):
    """The caller cancelled the run; its child was killed."""


class SandboxUnavailable(SandboxError):
    """isolate="require" was asked for and bubblewrap cannot be used here."""


@dataclass(frozen=True)
class SandboxInfo:
    """Whether bubblewrap can isolate learner code here, and why not if it cannot."""

    usable: bool
    reason: str | None = None
    bwrap: str | None = None

    @property
    def note(self) -> str | None:
        """The one line a learner sees when their code runs without isolation."""
        return None if self.usable else MESSAGES["not_isolated"].format(reason=self.reason)


@dataclass(frozen=True)
class CaseResult:
    """One call of the learner's function: numbers, or one sentence for the learner.

    `kind` is "ok" with `value` set, else one of KINDS with `error` set; `line`
    is the learner's own line when known; `printed` is the start of what the
    learner's code printed (plain text: display it escaped, never as markup).
    """

    kind: str
    value: Numbers | None = None
    error: str | None = None
    line: int | None = None
    printed: str = ""

    @property
    def ok(self) -> bool:
        """True when the function returned numbers."""
        return self.kind == "ok"


@dataclass(frozen=True)
class RunResult:
    """All cases of one run, and how the run was contained."""

    cases: tuple[CaseResult, ...]
    isolated: bool
    note: str | None = None
    seconds: float = 0.0
    token: str = field(default="", repr=False)

    @property
    def ok(self) -> bool:
        """True when every case returned numbers."""
        return all(case.ok for case in self.cases)
