"""One browser tab's tutor under a small keeper that ends it when the web server dies.

`gd-tutor serve --web` starts `python -m tutor.serve.web_tab ARGV...` for each
tab, with PR_SET_PDEATHSIG so the kernel sends this keeper SIGHUP when the server
dies in any way (kill -9 included). The keeper then hangs up on the tutor (SIGHUP:
save and leave) and kills it if it is still there `GRACE` seconds later. The
tutor itself gets SIGKILL from the kernel if the keeper is killed outright.
So no tutor outlives its server, whether or not its own SIGHUP handling works.

The tutor inherits the tab's stdin/stdout; the keeper lets go of its copies,
so the tutor sees end-of-file when the server goes, and the server sees it when
the tutor goes. Imports only the standard library (it runs once per tab).
"""

from __future__ import annotations

import ctypes
import os
import signal
import subprocess
import sys
from collections.abc import Callable
from types import FrameType

PR_SET_PDEATHSIG = 1
GRACE = 2


def die_with_parent(signum: int) -> Callable[[], None]:
    """A preexec function: the kernel sends `signum` to the child when this process dies.

    libc is loaded here, in the parent, so the forked child only makes one call.
    If the parent is already gone when the child starts, the child stops at once.
    """
    prctl = ctypes.CDLL(None, use_errno=True).prctl
    parent = os.getpid()

    def preexec() -> None:
        prctl(PR_SET_PDEATHSIG, signum, 0, 0, 0)
        if os.getppid() != parent:
            os._exit(1)

    return preexec


def _let_go_of_stdio() -> None:
    """Point this keeper's stdin/stdout at /dev/null: only the tutor holds the tab's pipes."""
    null = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1):
        os.dup2(null, fd)
    os.close(null)


def keep(argv: list[str]) -> int:
    """Run the tutor; on SIGHUP/SIGTERM hang up on it, then kill it after GRACE s. Its status."""
    tutor = subprocess.Popen(argv, preexec_fn=die_with_parent(signal.SIGKILL))
    _let_go_of_stdio()

    def hang_up(signum: int, frame: FrameType | None) -> None:
        signal.signal(signal.SIGHUP, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        if tutor.returncode is None:
            os.kill(tutor.pid, signal.SIGHUP)
            signal.alarm(GRACE)

    def kill(signum: int, frame: FrameType | None) -> None:
        if tutor.returncode is None:
            os.kill(tutor.pid, signal.SIGKILL)

    signal.signal(signal.SIGALRM, kill)
    signal.signal(signal.SIGHUP, hang_up)
    signal.signal(signal.SIGTERM, hang_up)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    status = tutor.wait()
    return 128 - status if status < 0 else status


if __name__ == "__main__":
    sys.exit(keep(sys.argv[1:]))
