"""A writer killed with SIGKILL mid-write leaves a store that opens and is consistent."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tutor.progress import ProgressStore

KEYS = 7

# Attempt i goes to key "l/e{i % KEYS}" with inputs {"i": i}; each attempt is one transaction.
WRITER = f"""
import sys
from tutor.progress import ProgressStore
store = ProgressStore.open(sys.argv[1])
start = sum(store.attempts().values())
i = start
while True:
    store.record_attempt(f"l/e{{i % {KEYS}}}", {{"i": i, "pad": "x" * 500}}, i % 3 == 0)
    store.set_current_lesson(f"lesson-{{i}}")
    i += 1
    if i - start == 50:
        print("writing", flush=True)
"""


def _kill_while_writing(folder: Path, delay: float) -> None:
    proc = subprocess.Popen([sys.executable, "-c", WRITER, str(folder)],
                            stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "writing"
        time.sleep(delay)
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL


def _assert_consistent(folder: Path) -> int:
    with ProgressStore.open(folder) as store:
        assert store.warning is None
        records = store.exercises()
        total = sum(r.attempts for r in records.values())
        assert total > 0
        # Every committed attempt is complete: counts and last inputs agree exactly.
        for k in range(KEYS):
            record = records[f"l/e{k}"]
            expected = len(range(k, total, KEYS))
            assert record.attempts == expected
            assert record.last_inputs is not None
            assert record.last_inputs["i"] == k + KEYS * (expected - 1)
            done = any(j % 3 == 0 for j in range(k, total, KEYS))
            assert (record.state == "done") is done
        # The current lesson was written by the last or the one-but-last attempt.
        assert store.current_lesson() in (f"lesson-{total - 1}", f"lesson-{total - 2}")
        return total


@pytest.mark.timeout(120)
def test_store_survives_kill_9_mid_write(tmp_path: Path) -> None:
    totals = []
    for delay in (0.0, 0.05, 0.13):
        _kill_while_writing(tmp_path, delay)
        totals.append(_assert_consistent(tmp_path))
    assert totals == sorted(totals) and totals[0] >= 50
    assert not list(tmp_path.glob("progress.db.corrupt-*"))
