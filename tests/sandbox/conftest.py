"""Fixtures for the sandbox tests; the helpers live in sandbox_testkit.py beside this file."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path
from typing import Any, Callable, Iterator

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/: the shared `support`
sys.path.insert(0, str(Path(__file__).parent))

from sandbox_testkit import assert_nothing_left  # noqa: E402

from tutor.sandbox import RunResult, Sandbox, run_code  # noqa: E402
from tutor.sandbox.spares import SPARES  # noqa: E402


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
