"""Warm spare children: one started ahead, SymPy already imported, per kind of run.

Starting Python and importing SymPy is most of a run's time (about 0.5 s). A
spare is a child that has done that and waits for its run on stdin. It is not
a worker that serves many runs: each child still serves exactly one run, in its
own sandbox, and is killed after it, so every isolation guarantee holds; the
spare only moves the start-up out of the learner's wait.
"""

from __future__ import annotations

import atexit
import os
import threading
from typing import Callable, Hashable

from tutor.sandbox.process import Child


class Spares:
    """At most one spare child per key (isolated or not, memory limit)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._spares: dict[Hashable, Child] = {}

    def take(self, key: Hashable, start: Callable[[], Child]) -> Child:
        """The spare for `key` if it is alive, else a newly started child."""
        with self._lock:
            child = self._spares.pop(key, None)
        if child is not None and child.alive():
            return child
        if child is not None:
            child.discard()
        return start()

    def refill(self, key: Hashable, start: Callable[[], Child]) -> None:
        """Start a spare for `key` unless a live one is waiting."""
        with self._lock:
            waiting = self._spares.get(key)
            if waiting is not None and waiting.alive():
                return
            self._spares[key] = start()
        if waiting is not None:
            waiting.discard()

    def wait_warm(self, key: Hashable, timeout: float) -> bool:
        """Wait until the spare for `key` has SymPy loaded; False if there is none."""
        with self._lock:
            child = self._spares.get(key)
        return child is not None and child.wait_warm(timeout)

    def clear(self) -> None:
        """Kill every spare (at exit, and in tests)."""
        with self._lock:
            children, self._spares = list(self._spares.values()), {}
        for child in children:
            child.discard()

    def tokens(self) -> set[str]:
        """The command-line tokens of the waiting spares."""
        with self._lock:
            return {child.token for child in self._spares.values()}


    def forget(self) -> None:
        """Drop (without killing) spares inherited through fork(): they are the parent's."""
        self._lock = threading.Lock()
        self._spares = {}


SPARES = Spares()
atexit.register(SPARES.clear)
os.register_at_fork(after_in_child=SPARES.forget)
