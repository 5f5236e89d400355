"""The keeper each web tab's tutor runs under: it ends the tutor when the server goes."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tutor.serve.web_tab import GRACE, die_with_parent

SLEEPER = ("import signal, time\n"
           "if {ignore}: signal.signal(signal.SIGHUP, signal.SIG_IGN)\n"
           "signal.signal(signal.SIGTERM, signal.SIG_IGN)\n"
           "time.sleep(120)\n")


def _ignores(pid: int, signum: int) -> bool:
    status = Path(f"/proc/{pid}/status").read_text()
    return bool(int(status.split("SigIgn:")[1].split()[0], 16) & (1 << (signum - 1)))


def _wait_for(condition, timeout: float = 20.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.02)


def _keeper(ignore: bool) -> tuple[subprocess.Popen[bytes], int]:
    """A keeper running a sleeper; returns it and the sleeper's pid once both are set up."""
    keeper = subprocess.Popen([sys.executable, "-m", "tutor.serve.web_tab", sys.executable, "-c",
                               SLEEPER.format(ignore=ignore)])
    children = Path(f"/proc/{keeper.pid}/task/{keeper.pid}/children")
    _wait_for(lambda: _ignores(keeper.pid, signal.SIGINT) and children.read_text().split())
    tutor = int(children.read_text().split()[0])
    _wait_for(lambda: _ignores(tutor, signal.SIGTERM))
    return keeper, tutor


def _gone(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
    except OSError:
        return True


@pytest.mark.parametrize("signum", [signal.SIGHUP, signal.SIGTERM])
def test_the_keeper_hangs_up_on_the_tutor(signum: int) -> None:
    keeper, tutor = _keeper(ignore=False)
    keeper.send_signal(signum)
    assert keeper.wait(10) == 128 + signal.SIGHUP  # the tutor left on its SIGHUP


def test_a_tutor_deaf_to_sighup_is_killed_after_the_grace() -> None:
    keeper, tutor = _keeper(ignore=True)
    started = time.monotonic()
    keeper.send_signal(signal.SIGHUP)
    assert keeper.wait(GRACE + 10) == 128 + signal.SIGKILL
    assert GRACE - 0.5 < time.monotonic() - started < GRACE + 5


def test_the_tutor_dies_with_a_killed_keeper() -> None:
    keeper, tutor = _keeper(ignore=True)
    keeper.kill()
    keeper.wait(10)
    _wait_for(lambda: _gone(tutor), timeout=5)


def test_die_with_parent_sets_the_parent_death_signal() -> None:
    probe = ("import ctypes; v = ctypes.c_int(); ctypes.CDLL(None).prctl(2, ctypes.byref(v)); "
             "print(v.value)")
    shown = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                           preexec_fn=die_with_parent(signal.SIGTERM), check=True)
    assert int(shown.stdout) == signal.SIGTERM
