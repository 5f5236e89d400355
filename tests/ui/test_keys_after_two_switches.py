"""Keys typed during two lesson switches in a row land where they were aimed (issue 12).

A new learner typed `^n ^n F3 F3 4` from lesson 14: the `4` was read while the held
F3s were being posted again, went ahead of them to the old page, and was lost (or, typed
faster, an F3 went astray and the `4` picked an option in the wrong exercise)."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from textual import events

from ui_testkit import ready, wait_until

LESSONS = Path(__file__).resolve().parents[2] / "lessons"


@pytest.mark.parametrize("gap", [0.005, 0.2], ids=["burst", "typed"])
async def test_two_switches_then_two_moves_then_a_digit(make_app: Any, gap: float,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GD_TUTOR_LESSONS_DIR", str(LESSONS))
    app = make_app(lessons_dir=LESSONS, lesson="14")
    async with app.run_test(size=(60, 20)) as pilot:
        await ready(pilot)
        for key in ("ctrl+n", "ctrl+n", "f3", "f3", "4"):
            app.post_message(events.Key(key, key if len(key) == 1 else None))
            await asyncio.sleep(gap)
        await wait_until(pilot, lambda: getattr(app.focused, "id", None) == "field-hidden"
                         and not app.key_gate.held, lambda: f"the hidden-units field focused (focus: {app.focused!r})",
                         timeout=30)
        await pilot.pause()
        assert app.focused.value == "4"  # type: ignore[union-attr]
