"""Start one sandbox child, feed it the request, read its lines under deadlines.

The child runs in its own session (process group); whatever happens, the whole
group is killed with SIGKILL before this returns, and the child is reaped. With
bubblewrap the group holds bwrap itself, and bwrap's --die-with-parent and the
sandbox's own pid namespace take every process inside down with it.

Deadlines: `start_s` until the child says it is ready (Python and SymPy
loaded, limits on), then `wall_s` for each of the next `stages` lines (the
learner's module, then each case); lines beyond those do not buy more time.
Output is capped at `max_output` bytes.
"""

from __future__ import annotations

import os
import selectors
import signal
import subprocess
import time
from dataclasses import dataclass, field

from tutor.sandbox.command import CHILD_ENV

MAX_STDERR = 8192


@dataclass
class ChildOutcome:
    """What came back: complete lines, how the child ended, and why we stopped it."""

    lines: list[bytes] = field(default_factory=list)
    returncode: int | None = None
    stopped: str | None = None  # "start" | "timeout" | "output" when we killed it
    stderr: bytes = b""


@dataclass
class _Reader:
    outcome: ChildOutcome
    max_output: int
    partial: bytes = b""
    total: int = 0


def run_child(argv: list[str], request: bytes, *, start_s: float, wall_s: float,
              stages: int, max_output: int) -> ChildOutcome:
    """Run `argv` with `request` on stdin; always leaves no process behind."""
    proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, start_new_session=True,
                            env=CHILD_ENV, close_fds=True)
    outcome = ChildOutcome()
    try:
        _pump(proc, request, outcome, start_s=start_s, wall_s=wall_s, stages=stages,
              max_output=max_output)
    finally:
        _kill_group(proc.pid)
        outcome.returncode = proc.wait()
        for stream in (proc.stdin, proc.stdout, proc.stderr):
            if stream is not None and not stream.closed:
                stream.close()
    return outcome


def _pump(proc: subprocess.Popen, request: bytes, outcome: ChildOutcome, *,
          start_s: float, wall_s: float, stages: int, max_output: int) -> None:
    """Write the request and read stdout/stderr until EOF, a deadline or the cap."""
    reader = _Reader(outcome, max_output)
    selector = selectors.DefaultSelector()
    os.set_blocking(proc.stdin.fileno(), False)
    selector.register(proc.stdin, selectors.EVENT_WRITE)
    selector.register(proc.stdout, selectors.EVENT_READ)
    selector.register(proc.stderr, selectors.EVENT_READ)
    pending = memoryview(request)
    deadline = time.monotonic() + start_s
    try:
        while proc.stdout.fileno() in _fds(selector):
            left = deadline - time.monotonic()
            if left <= 0:
                outcome.stopped = "start" if not outcome.lines else "timeout"
                return
            for key, _ in selector.select(left):
                if key.fileobj is proc.stdin:
                    pending = _write(selector, proc, pending)
                elif key.fileobj is proc.stdout:
                    before = len(outcome.lines)
                    if not _read_stdout(selector, proc, reader):
                        return
                    if before < stages and len(outcome.lines) > before:
                        deadline = time.monotonic() + wall_s
                else:
                    _read_stderr(selector, proc, outcome)
    finally:
        selector.close()


def _fds(selector: selectors.BaseSelector) -> set[int]:
    return {key.fd for key in selector.get_map().values()}


def _write(selector: selectors.BaseSelector, proc: subprocess.Popen,
           pending: memoryview) -> memoryview:
    """Write what the pipe takes; close stdin once the request is through."""
    try:
        written = os.write(proc.stdin.fileno(), pending[:65536])
    except BlockingIOError:
        return pending
    except BrokenPipeError:  # the child is gone; how it ended says why
        written = len(pending)
    pending = pending[written:]
    if not pending:
        selector.unregister(proc.stdin)
        proc.stdin.close()
    return pending


def _read_stdout(selector: selectors.BaseSelector, proc: subprocess.Popen,
                 reader: _Reader) -> bool:
    """Collect complete lines; False once the output cap is passed."""
    chunk = os.read(proc.stdout.fileno(), 65536)
    if not chunk:
        selector.unregister(proc.stdout)
        return True
    reader.total += len(chunk)
    if reader.total > reader.max_output:
        reader.outcome.stopped = "output"
        return False
    *complete, reader.partial = (reader.partial + chunk).split(b"\n")
    reader.outcome.lines.extend(complete)
    return True


def _read_stderr(selector: selectors.BaseSelector, proc: subprocess.Popen,
                 outcome: ChildOutcome) -> None:
    chunk = os.read(proc.stderr.fileno(), 65536)
    if not chunk:
        selector.unregister(proc.stderr)
    elif len(outcome.stderr) < MAX_STDERR:
        outcome.stderr += chunk[: MAX_STDERR - len(outcome.stderr)]


def _kill_group(pgid: int) -> None:
    """SIGKILL the child's whole process group (a no-op once it is gone)."""
    try:
        os.killpg(pgid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
