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
from collections.abc import Callable
from typing import TypeVar

from sympy.core.parameters import global_parameters

from tutor.engine.errors import ParseError

_POLL_S = 0.02
_MAX_FIRES = 50  # one second of retries, in case something swallows the first interruption
T = TypeVar("T")
_SWITCHES = ("evaluate", "distribute", "exp_is_pow")  # SymPy's per-thread global settings


class _Overtime(BaseException):
    """Raised inside the working thread when its time is up (not an Exception, so SymPy's
    `except Exception` blocks cannot swallow it)."""


def run_within(seconds: float, message: str, work: Callable[[], T]) -> T:
    """work(), or ParseError(message) once it has used `seconds` of its thread's CPU time twice.

    A first overrun is tried once more: one-time costs (a SymPy module imported
    lazily, a cold cache) land on whichever call comes first, and a learner was
    once told that `(b + w - 2)^2` was too complicated. A function that is really
    too slow overruns on the second try too, so a refusal costs twice the limit.
    """
    try:
        return _within(seconds, message, work)
    except ParseError:
        return _within(seconds, message, work)


def _within(seconds: float, message: str, work: Callable[[], T]) -> T:
    """One try of work() under the clock.

    The interruption can land at any Python step after the watch starts, so
    everything after that point is inside the outer `try`; the inner `finally`
    stops the watch for sure before the result or the refusal leaves.
    """
    switches = {name: getattr(global_parameters, name) for name in _SWITCHES}
    watch = _Watch(threading.get_ident(), seconds)
    try:
        try:
            return work()
        finally:
            watch.stop_surely()
    except _Overtime:
        watch.stop_surely()
        # It may have landed in a `finally` that was about to put back SymPy's
        # `with evaluate(False)`; put the switches back as they were.
        for name, value in switches.items():
            setattr(global_parameters, name, value)
        raise ParseError(message) from None


class _Watch:
    """A daemon thread that interrupts `target` once it has used `seconds`, until stopped.

    Stopping and firing both happen under `lock`, with no Python calls that
    could themselves be interrupted halfway (the watcher sleeps rather than
    waiting on an Event, whose own lock an interruption could leave held).
    """

    def __init__(self, target: int, seconds: float) -> None:
        self.target = target
        self.lock = threading.Lock()
        self.stopped = False
        self.fired = False
        threading.Thread(target=self._run, args=(seconds,), daemon=True,
                         name="engine-time-limit").start()

    def _run(self, seconds: float) -> None:
        """Poll the target's clock; past `seconds`, interrupt it at every poll until stopped."""
        clock = _clock_of(self.target)
        start, fires = clock(), 0
        while fires < _MAX_FIRES:
            time.sleep(_POLL_S)
            with self.lock:
                if self.stopped:
                    return
                if clock() - start >= seconds:
                    self.fired, fires = True, fires + 1
                    _raise_in(self.target, _Overtime)

    def stop_surely(self) -> None:
        """The work is over: stop the watch and drop an interruption not yet delivered.

        Called in the target thread; an interruption landing meanwhile is caught
        and the stop tried again, so once this returns no interruption can come.
        """
        while True:
            try:
                with self.lock:
                    self.stopped = True
                    if self.fired:
                        _raise_in(self.target, None)
                return
            except _Overtime:
                continue


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
