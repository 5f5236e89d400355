"""PtyChild on its own: a process group in a PTY, input limits, and the stop sequence."""

from __future__ import annotations

import asyncio
import os
import signal
import sys

from tutor.serve.child import MAX_PENDING_INPUT, PtyChild

SLEEPER = "import signal, time; signal.signal(signal.SIGHUP, signal.SIG_IGN); time.sleep(60)"
HUP_EXIT = "import signal, sys, time; signal.signal(signal.SIGHUP, lambda *a: sys.exit(7)); time.sleep(60)"


async def _spawn(code: str) -> PtyChild:
    child = await PtyChild.spawn([sys.executable, "-c", code], dict(os.environ), columns=90,
                                 rows=30)
    child.start_reading()
    await asyncio.sleep(0.3)
    return child


async def test_child_leads_its_own_session_and_group() -> None:
    child = await _spawn(SLEEPER)
    assert os.getsid(child.pid) == child.pid and os.getpgid(child.pid) == child.pid
    assert os.getsid(child.pid) != os.getsid(0)
    await child.stop(grace=0.2)


async def test_stop_uses_sighup_first_and_reaps() -> None:
    child = await _spawn(HUP_EXIT)
    assert await child.stop(grace=5) == 7  # ended by SIGHUP, status from its handler


async def test_stop_escalates_to_sigkill_for_a_stubborn_child() -> None:
    code = SLEEPER.replace("signal.SIGHUP, signal.SIG_IGN)", "signal.SIGHUP, signal.SIG_IGN); "
                           "signal.signal(signal.SIGTERM, signal.SIG_IGN)")
    child = await _spawn(code)
    assert await child.stop(grace=0.2) == -signal.SIGKILL
    assert not os.path.exists(f"/proc/{child.pid}")


async def test_input_flood_is_cut_not_stored() -> None:
    child = await _spawn(SLEEPER)  # never reads its terminal
    for _ in range(20):
        child.write(b"x" * 65536)
    assert len(child._pending) <= MAX_PENDING_INPUT
    await child.stop(grace=0.2)
