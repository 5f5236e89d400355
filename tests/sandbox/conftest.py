"""Fixtures for the sandbox tests: the real bubblewrap sandbox, and leftover checks."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any, Callable, Iterator

import pytest

from tutor.sandbox import RunResult, Sandbox, run_code
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


@pytest.fixture(scope="session")
def sandbox() -> Iterator[None]:
    """The real sandbox: skipped only when bubblewrap is absent, failing if it is unusable."""
    if shutil.which("bwrap") is None:
        pytest.skip("bubblewrap (bwrap) is not installed; the sandbox cannot be tested here")
    info = Sandbox.detect(refresh=True)
    assert info.usable, f"bubblewrap is installed but the sandbox is unusable: {info.reason}"
    yield
    SPARES.clear()


@pytest.fixture
def run(sandbox: None) -> Callable[..., RunResult]:
    """Run learner code in the required sandbox, then check nothing was left behind."""

    def _run(source: str, cases: list[Any] | None = None, entry: str = "f",
             **options: Any) -> RunResult:
        options.setdefault("spare", True)
        cases = [{"args": []}] if cases is None else cases
        result = run_code(source, entry, cases, isolate="require", **options)
        assert result.isolated and result.note is None
        assert_nothing_left(result)
        return result

    return _run
