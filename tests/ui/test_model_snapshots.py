"""How the pane's model views look at 80x24 (pytest-textual-snapshot), one per view.

The fixture lesson fixtures/models holds one fit per view. Update after an intended
change with `pytest tests/ui/test_model_snapshots.py --snapshot-update` and look at
every changed SVG.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tutor.lessons import load_lessons
from ui_testkit import PaneHost

MODELS = Path(__file__).parent / "fixtures" / "models"


@pytest.fixture(autouse=True)
def _colour_on(monkeypatch: pytest.MonkeyPatch, data_dir: Path) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)


def host(exercise_id: str) -> PaneHost:
    lesson = load_lessons(MODELS).lessons[0]
    return PaneHost(next(e for e in lesson.exercises if e.id == exercise_id))


def pressing(*keys: str) -> Any:
    async def run_before(pilot: Any) -> None:
        app = pilot.app
        await pilot.pause()
        for key in keys:
            await pilot.press(key)
            await pilot.pause()
            await app.workers.wait_for_complete()
        await pilot.pause(0.3)  # buttons keep a pressed style for 0.2 s; messages settle
        app.screen.set_focus(None)
        await pilot.pause()

    return run_before


@pytest.mark.parametrize("exercise_id", ["sgd-houses", "split-houses", "blobs-logistic",
                                         "xor-network"])
def test_a_trained_model(snap_compare: Any, exercise_id: str) -> None:
    assert snap_compare(host(exercise_id), terminal_size=(80, 24), run_before=pressing("enter"))


def test_one_stochastic_step(snap_compare: Any) -> None:
    assert snap_compare(host("passed-step"), terminal_size=(80, 24),
                        run_before=pressing("ctrl+t", "ctrl+t"))


def test_the_decision_map_without_colour(snap_compare: Any,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    assert snap_compare(host("blobs-logistic"), terminal_size=(80, 24),
                        run_before=pressing("enter"))
