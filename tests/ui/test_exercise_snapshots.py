"""How the playground looks after a run, a two-variable run and a step (pytest-textual-snapshot).

Update after an intended change with
`pytest tests/ui/test_exercise_snapshots.py --snapshot-update` and look at every changed SVG.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

APP = Path(__file__).parent / "apps" / "exercise_playground_app.py"
SIZES = [(80, 24), (120, 40)]


@pytest.fixture(autouse=True)
def _colour_on(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)


async def _settle(pilot: Any) -> None:
    """Wait for the pane's workers, then drop focus so no cursor blinks in the picture."""
    app = pilot.app
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause(0.3)  # buttons keep a pressed style for 0.2 s; messages settle
    app.screen.set_focus(None)
    await pilot.pause()


def _typing(*keys: str) -> Any:
    async def run_before(pilot: Any) -> None:
        await pilot.pause()
        await pilot.press(*keys)
        await _settle(pilot)

    return run_before


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_playground_after_a_run(snap_compare: Any, size: tuple[int, int]) -> None:
    keys = [*"x^2", "tab", "3", "tab", *"0.1", "enter"]
    assert snap_compare(APP, terminal_size=size, run_before=_typing(*keys))


def test_playground_two_variables_level_view(snap_compare: Any) -> None:
    keys = [*"x^2 + 3y^2", "tab", *"2,1", "tab", *"0.1", "enter"]
    assert snap_compare(APP, terminal_size=(80, 24), run_before=_typing(*keys))


def test_playground_first_step(snap_compare: Any) -> None:
    keys = [*"x^2", "tab", "3", "tab", *"0.1", "ctrl+t"]
    assert snap_compare(APP, terminal_size=(80, 24), run_before=_typing(*keys))


def test_playground_compare(snap_compare: Any) -> None:
    keys = [*"x^2", "tab", "3", "tab", *"0.1", "ctrl+f"]
    assert snap_compare(APP, terminal_size=(80, 24), run_before=_typing(*keys))
