"""A time limit on SymPy's work for one function, in whichever thread does the work.

The parser's bounds (length, nesting, sizes of numbers, size of the
derivative) keep the work small, but not always fast: SymPy rewrites every
new piece it builds and asks its assumption system questions (is this sum
zero? positive?) whose cost grows steeply with nesting, so twelve short
`exp(k - exp(k - exp(k - x^2)))` take seconds. No structural bound predicts
that without refusing ordinary functions, so the work also runs under a
clock: past the limit, the working thread gets an exception (the way Ctrl+C
reaches Python code) and the caller a one-sentence ParseError. It works
in the main thread (`gd-tutor run`) and in the playground's worker thread.

The clock is the working thread's own CPU time where the system offers it
(Linux does), so whether a function is refused depends on the function, not
on how busy the machine is; elsewhere it is the wall clock.
"""

from __future__ import annotations

import ctypes
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from sympy.core.parameters import global_parameters

from tutor.engine.errors import ParseError

_POLL_S = 0.02
_SWITCHES = ("evaluate", "distribute", "exp_is_pow")  # SymPy's per-thread global settings


class _Overtime(BaseException):
    """Raised inside the working thread when its time is up (not an Exception, so SymPy's
    `except Exception` blocks cannot swallow it)."""


@contextmanager
def time_limit(seconds: float, message: str) -> Iterator[None]:
    """Run the block with a time limit; past it, raise ParseError(message).

    Once `stop` has returned the watch can no longer interrupt, and an
    interruption that lands while stopping is caught by the loop.
    """
    switches = {name: getattr(global_parameters, name) for name in _SWITCHES}
    watch = _Watch(threading.get_ident(), seconds)
    overtime = False
    try:
        yield
    except _Overtime:
        overtime = True
    finally:
        while True:
            try:
                watch.stop()
                break
            except _Overtime:
                overtime = True
    if overtime:
        # The interruption may have landed in a `finally` that was about to put back
        # SymPy's `with evaluate(False)`; put the switches back as they were.
        for name, value in switches.items():
            setattr(global_parameters, name, value)
        raise ParseError(message)


class _Watch:
    """A daemon thread that interrupts `target` once it has used `seconds`, until stopped."""

    def __init__(self, target: int, seconds: float) -> None:
        self.target = target
        self.lock = threading.Lock()
        self.done = threading.Event()
        self.fired = False
        threading.Thread(target=self._run, args=(seconds,), daemon=True,
                         name="engine-time-limit").start()

    def _run(self, seconds: float) -> None:
        """Poll the target's clock; past `seconds`, interrupt it at every poll until stopped."""
        clock = _clock_of(self.target)
        start = clock()
        while not self.done.wait(_POLL_S):
            if clock() - start < seconds:
                continue
            with self.lock:
                if self.done.is_set():
                    return
                self.fired = True
                _raise_in(self.target, _Overtime)

    def stop(self) -> None:
        """The work is over: stop the watch and drop an interruption not yet delivered."""
        with self.lock:
            self.done.set()
            if self.fired:
                _raise_in(self.target, None)


def _clock_of(thread_id: int) -> Callable[[], float]:
    """Seconds of CPU time used by thread `thread_id`, or the wall clock where unavailable."""
    try:
        clock_id = time.pthread_getcpuclockid(thread_id)
        time.clock_gettime(clock_id)
    except (AttributeError, OSError):
        return time.monotonic
    return lambda: time.clock_gettime(clock_id)


def _raise_in(thread_id: int, exception: type[BaseException] | None) -> None:
    """Make `exception` happen in thread `thread_id` at its next Python step (None: cancel)."""
    ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread_id),
                                               ctypes.py_object(exception) if exception
                                               else ctypes.c_void_p(0))
