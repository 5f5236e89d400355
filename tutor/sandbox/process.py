"""One sandbox child process: start it, hand it a run, read its lines under deadlines.

A child is started with its setup line (memory limit, paths) and warms up
(SymPy imported) before it is given a run, so a spare child can wait ready.
Each child serves exactly one run. It lives in its own session (process
group); whatever happens, the whole group is killed with SIGKILL before
`drive` returns, and the child is reaped. With bubblewrap the group holds bwrap
itself, and bwrap's --die-with-parent and the sandbox's own pid namespace take
every process inside down with it.

Deadlines: `start_s` until the child has written `start_lines` lines (warm,
ready: limits on, request read), then `wall_s` for each of the next `stages`
lines (the learner's module, then each case); lines beyond those buy no more
time. Output is capped at `max_output` bytes.
"""

from __future__ import annotations

import os
import select
import selectors
import signal
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from tutor.sandbox.command import CHILD_ENV

MAX_STDERR = 8192
CANCEL_POLL_S = 0.05  # how often a run asks whether it was cancelled
GONE_S = 5.0  # at most this long for a killed sandbox's last processes to end


@dataclass
class ChildOutcome:
    """What came back: complete lines, how the child ended, and why we stopped it."""

    lines: list[bytes] = field(default_factory=list)
    returncode: int | None = None
    stopped: str | None = None  # "start" | "timeout" | "output" | "cancelled": we killed it
    stderr: bytes = b""


@dataclass(frozen=True)
class Deadlines:
    """How long the child may take: to start, and per line once started."""

    start_s: float
    wall_s: float
    start_lines: int
    stages: int
    max_output: int


class Child:
    """A started sandbox child waiting for its one run."""

    def __init__(self, argv: list[str], setup: bytes, token: str) -> None:
        self.token = token
        self.proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, start_new_session=True,
                                     env=CHILD_ENV, close_fds=True)
        try:
            os.write(self.proc.stdin.fileno(), setup + b"\n")  # small: fits the pipe
        except BrokenPipeError:
            pass  # the child is already gone; drive() reports how it ended

    def alive(self) -> bool:
        """True while the child has not exited (it waits on stdin once warm)."""
        return self.proc.poll() is None

    def wait_warm(self, timeout: float) -> bool:
        """Wait until the child has written its first line (warm) or ended."""
        readable, _, _ = select.select([self.proc.stdout], [], [], timeout)
        return bool(readable)

    def drive(self, request: bytes, limits: Deadlines,
              cancelled: Callable[[], bool] | None = None) -> ChildOutcome:
        """Send the run and collect its lines; the child is gone when this returns (at
        once when `cancelled()` turns true: it is asked every CANCEL_POLL_S)."""
        outcome = ChildOutcome()
        try:
            _Pump(self.proc, outcome, limits, cancelled).run(request + b"\n")
        finally:
            self.discard()
            outcome.returncode = self.proc.returncode
        return outcome

    def discard(self) -> None:
        """Kill the child's process group, reap it, and wait until the sandbox is gone.

        With bubblewrap, the processes inside die just after bwrap itself (its
        --die-with-parent, then the pid namespace); they hold our pipes until
        they are gone, so end of file on both means nothing of the run is left.
        """
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)  # before wait(): the pgid is still ours
        except (ProcessLookupError, PermissionError):
            pass
        self.proc.wait()
        _drain([s for s in (self.proc.stdout, self.proc.stderr) if s and not s.closed],
               GONE_S)
        for stream in (self.proc.stdin, self.proc.stdout, self.proc.stderr):
            if stream is not None and not stream.closed:
                stream.close()


def _drain(streams: list, timeout: float) -> None:
    """Read and drop what is left in `streams` until each reaches end of file."""
    deadline = time.monotonic() + timeout
    while streams and (left := deadline - time.monotonic()) > 0:
        readable, _, _ = select.select(streams, [], [], left)
        for stream in readable:
            if not os.read(stream.fileno(), 65536):
                streams.remove(stream)


class _Pump:
    """The select loop: write the request, read stdout and stderr, watch the clock."""

    def __init__(self, proc: subprocess.Popen, outcome: ChildOutcome, limits: Deadlines,
                 cancelled: Callable[[], bool] | None = None):
        self.proc, self.outcome, self.limits = proc, outcome, limits
        self.cancelled = cancelled
        self.selector = selectors.DefaultSelector()
        self.partial = b""
        self.total = 0

    def run(self, request: bytes) -> None:
        proc, limits = self.proc, self.limits
        os.set_blocking(proc.stdin.fileno(), False)
        self.selector.register(proc.stdin, selectors.EVENT_WRITE, request)
        self.selector.register(proc.stdout, selectors.EVENT_READ)
        self.selector.register(proc.stderr, selectors.EVENT_READ)
        deadline = time.monotonic() + limits.start_s
        try:
            while self._open(proc.stdout):
                left = deadline - time.monotonic()
                if left <= 0:
                    started = len(self.outcome.lines) >= limits.start_lines
                    self.outcome.stopped = "timeout" if started else "start"
                    return
                if self.cancelled is not None and self.cancelled():
                    self.outcome.stopped = "cancelled"
                    return
                wait = left if self.cancelled is None else min(left, CANCEL_POLL_S)
                for key, _ in self.selector.select(wait):
                    before = len(self.outcome.lines)
                    if not self._handle(key):
                        return
                    if self._starts_clock(before):
                        deadline = time.monotonic() + limits.wall_s
        finally:
            self.selector.close()

    def _open(self, stream: object) -> bool:
        return any(key.fileobj is stream for key in self.selector.get_map().values())

    def _starts_clock(self, before: int) -> bool:
        """True when a new line arrived that gives the next stage a fresh wall_s."""
        now = len(self.outcome.lines)
        first = self.limits.start_lines - 1
        return now > before and first <= now - 1 and before < first + self.limits.stages

    def _handle(self, key: selectors.SelectorKey) -> bool:
        if key.fileobj is self.proc.stdin:
            self._write(key)
            return True
        if key.fileobj is self.proc.stdout:
            return self._read_stdout()
        self._read_stderr()
        return True

    def _write(self, key: selectors.SelectorKey) -> None:
        pending: bytes = key.data
        try:
            written = os.write(self.proc.stdin.fileno(), pending[:65536])
        except BlockingIOError:
            return
        except BrokenPipeError:  # the child is gone; how it ended says why
            written = len(pending)
        if written < len(pending):
            self.selector.modify(self.proc.stdin, selectors.EVENT_WRITE, pending[written:])
            return
        self.selector.unregister(self.proc.stdin)
        self.proc.stdin.close()

    def _read_stdout(self) -> bool:
        """Collect complete lines; False once the output cap is passed."""
        chunk = os.read(self.proc.stdout.fileno(), 65536)
        if not chunk:
            self.selector.unregister(self.proc.stdout)
            return True
        self.total += len(chunk)
        if self.total > self.limits.max_output:
            self.outcome.stopped = "output"
            return False
        *complete, self.partial = (self.partial + chunk).split(b"\n")
        self.outcome.lines.extend(complete)
        return True

    def _read_stderr(self) -> None:
        chunk = os.read(self.proc.stderr.fileno(), 65536)
        if not chunk:
            self.selector.unregister(self.proc.stderr)
        elif len(self.outcome.stderr) < MAX_STDERR:
            self.outcome.stderr += chunk[: MAX_STDERR - len(self.outcome.stderr)]
