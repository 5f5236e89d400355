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


@pytest.mark.parametrize("gap", [0.2, 0.4])
async def test_two_quick_steps_back_leave_the_tutor_running_on_the_lesson_before(
        make_app: Any, gap: float, monkeypatch: pytest.MonkeyPatch) -> None:
    """A learner pressed ^b twice, 0.2-0.5 s apart (lesson 6 -> 5 -> 4): the tutor closed
    without a word. Pages were dropped while the next lesson was still being built."""
    monkeypatch.setenv("GD_TUTOR_LESSONS_DIR", str(LESSONS))
    app = make_app(lessons_dir=LESSONS, lesson="5")
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        app.post_message(events.Key("ctrl+n", None))
        await wait_until(pilot, lambda: app.screen.current.slug == "when-to-stop"
                         and not app.key_gate.held, "lesson 6 on show", timeout=30)
        await asyncio.sleep(1.5)  # the pages around lesson 6 built, as after reading a while
        for _ in range(2):
            app.post_message(events.Key("ctrl+b", None))
            await asyncio.sleep(gap)
        await wait_until(pilot, lambda: app.screen.current.slug == "gradient-descent"
                         and not app.key_gate.held, "lesson 4 on show", timeout=30)
        await asyncio.sleep(2.0)  # what was left to build and drop after the switches
        assert app.is_running and app.screen.current.slug == "gradient-descent"
        assert app.screen.reader.page is not None and app.screen.reader.page.is_attached
