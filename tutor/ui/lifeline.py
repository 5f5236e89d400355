"""The tutor's end when its terminal goes away: save what can be saved, gone within a second.

The terminal can go at any moment, start-up included, and shows it as SIGHUP (even
where SIGHUP was inherited as ignored), as EOF or EIO on stdin (both raise POLLHUP
there), or the tutor is asked to stop with SIGTERM. `install()` runs first thing in
`gd-tutor` (tutor.commands.app), before Textual is even imported. From then on:

- before the app has attached, SIGHUP and SIGTERM raise SystemExit: nothing to save;
- once the app has attached its save-and-exit (`attach`, when Textual loads it), that
  is scheduled on the app's event loop;
- either way a deadline thread ends the process DEADLINE seconds later with os._exit,
  so nothing can hold it: a dead output thread, a full queue, a slow teardown.

A daemon thread waits in poll() (no CPU) for POLLHUP/POLLERR on stdin and for signal
numbers on a wakeup pipe, so the end comes even while the main thread is stuck.
Imports no Textual: it must be in place before Textual's import starts.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import select
import signal
import threading
import time
from collections.abc import Callable

DEADLINE = 0.75
"""Seconds from the terminal going (or SIGTERM) to the forced end of the process."""

SIGNALS = (signal.SIGHUP, signal.SIGTERM)


class _Life:
    """Process-wide state: one tutor per process."""

    installed = False
    status: int | None = None  # set once the end has begun: 128 + the signal number
    loop: asyncio.AbstractEventLoop | None = None
    leave: Callable[[], object] | None = None
    lock = threading.Lock()


def install(terminal_fd: int = 0) -> None:
    """Catch SIGHUP and SIGTERM and watch `terminal_fd` for a hang-up (main thread only)."""
    for signum in SIGNALS:
        signal.signal(signum, _on_signal)
    wake_read, wake_write = os.pipe()
    os.set_blocking(wake_write, False)
    signal.set_wakeup_fd(wake_write, warn_on_full_buffer=False)
    watched = terminal_fd if _can_hang_up(terminal_fd) else None
    threading.Thread(target=_watch, args=(wake_read, watched), daemon=True,
                     name="gd-tutor-lifeline").start()
    _Life.installed = True


def attach(leave: Callable[[], object]) -> None:
    """From the app's event loop: call `leave` (save, then exit) when the terminal goes.

    Without `install()` (an app embedded elsewhere, tests) only SIGHUP and SIGTERM are
    caught, on the loop, as before.
    """
    loop = asyncio.get_running_loop()
    _Life.loop, _Life.leave = loop, leave
    if not _Life.installed:
        for signum in SIGNALS:
            with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                loop.add_signal_handler(signum, leave)
        return
    if _Life.status is not None:  # the terminal went while the app was starting
        loop.call_soon(leave)


def ending() -> int | None:
    """The exit status once the end has begun (128 + signal number), else None."""
    return _Life.status


def finish(code: int) -> int:
    """After the app returns: `code`, or, if the terminal went, end now with no teardown.

    Everything was committed as it went and the store is closed; skipping the
    interpreter's teardown (a second or more with SymPy loaded) keeps the deadline.
    """
    if _Life.status is not None:
        os._exit(_Life.status)
    return code


def _on_signal(signum: int, frame: object) -> None:
    """Python-level handler (main thread): begin the end; leave at once if no app runs."""
    _begin(128 + signum)
    if not _app_running():
        raise SystemExit(_Life.status)


def _app_running() -> bool:
    loop = _Life.loop
    return loop is not None and not loop.is_closed() and _Life.leave is not None


def _begin(status: int) -> None:
    """Start the end once: schedule the app's save-and-exit, and the deadline."""
    with _Life.lock:
        if _Life.status is not None:
            return
        _Life.status = status
    threading.Thread(target=_deadline, args=(status,), daemon=True,
                     name="gd-tutor-deadline").start()
    if _app_running():
        with contextlib.suppress(RuntimeError):  # the loop closed meanwhile
            _Life.loop.call_soon_threadsafe(_Life.leave)  # type: ignore[union-attr, arg-type]


def _deadline(status: int) -> None:
    time.sleep(DEADLINE)
    os._exit(status)


def _watch(wake: int, terminal: int | None) -> None:
    """Wait for a caught signal's number on `wake` or a hang-up on `terminal`."""
    poller = select.poll()
    poller.register(wake, select.POLLIN)
    if terminal is not None:
        poller.register(terminal, 0)  # 0: only POLLHUP, POLLERR and POLLNVAL wake us
    while True:
        for fd, _events in poller.poll():
            if fd == wake:
                for number in os.read(wake, 256):
                    if number in SIGNALS:
                        _begin(128 + number)
            else:
                poller.unregister(terminal)
                _terminal_gone()


def _terminal_gone() -> None:
    """EOF or EIO on the terminal: end as for SIGHUP, through the main thread if no app runs."""
    _begin(128 + signal.SIGHUP)
    if not _app_running():
        signal.pthread_kill(threading.main_thread().ident or 0, signal.SIGHUP)


def _can_hang_up(fd: int) -> bool:
    """True if `fd` is open. Any open file may be watched: with no events asked for, poll()
    wakes only on a hang-up or error, and a file or /dev/null never has one. (A terminal
    that has already hung up is no longer a tty to isatty(), so that is not asked.)"""
    try:
        os.fstat(fd)
    except OSError:
        return False
    return True
