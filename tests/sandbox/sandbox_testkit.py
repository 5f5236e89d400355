"""Helpers for the sandbox tests: find processes a run may have left behind."""

from __future__ import annotations

import os
from pathlib import Path

from tutor.sandbox import RunResult
from tutor.sandbox.spares import SPARES


def processes_with(token: str) -> list[int]:
    """Pids of every process on the machine whose command line contains `token`."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes()
        except OSError:  # it ended while we looked
            continue
        if token.encode() in cmdline:
            found.append(int(entry.name))
    return found


def my_children() -> list[int]:
    """Pids of this test process's own children (bwrap, plain children, spares)."""
    children = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            status = (entry / "status").read_text()
        except OSError:
            continue
        ppid = next((line.split()[1] for line in status.splitlines()
                     if line.startswith("PPid:")), None)
        if ppid == str(os.getpid()):
            children.append(int(entry.name))
    return children


def assert_nothing_left(run: RunResult) -> None:
    """No process of this run survives it; our only children are waiting spares."""
    assert run.token and processes_with(run.token) == []
    spares = SPARES.tokens()
    for pid in my_children():
        try:
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace")
        except OSError:
            continue
        assert any(token in cmdline for token in spares), f"left behind: {cmdline[:200]}"
