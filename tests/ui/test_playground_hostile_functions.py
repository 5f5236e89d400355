"""Issue 9 item 1 in the playground: functions that once froze the pane are refused quickly.

`(x*(10^300)^-1000)^-1000` used to keep the compile worker busy for minutes
(Esc could not cancel it); twelve exp towers took seconds of SymPy work. Both
are now one sentence under "Problem:" soon after Enter.
"""

from __future__ import annotations

import time

import pytest
from textual.app import App

from tutor.ui.screens.playground import PlaygroundScreen
from tutor.ui.widgets.exercise.iteration_table import IterationTable
from tutor.ui.widgets.exercise.status import RunStatus

TOWERS = "+".join(f"exp({k}-exp({k}-exp({k}-exp({k}-x^2))))" for k in range(2, 14))


class Host(App):
    """Pushes the playground with a function, start and rate already typed."""

    def __init__(self, function: str) -> None:
        super().__init__()
        self.function = function

    def on_mount(self) -> None:
        self.push_screen(PlaygroundScreen(self.function, "1", "0.1"))


@pytest.mark.timeout(120)
@pytest.mark.parametrize(("function", "fragment"), [
    ("(x*(10^300)^-1000)^-1000", "too small for the computer"),
    (TOWERS, "too complicated to"),
])
async def test_a_hostile_function_is_one_sentence_soon_after_enter(function: str,
                                                                   fragment: str) -> None:
    app = Host(function)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        started = time.monotonic()
        await pilot.press("enter")
        status = app.screen.query_one(RunStatus)
        while "Problem:" not in str(status.render()) and time.monotonic() - started < 60:
            await pilot.pause(0.05)
        text = str(status.render())
        assert text.startswith("Problem: ") and fragment in text and "\n" not in text
        assert time.monotonic() - started < 30  # minutes before the fix, under a second idle
        assert not app.screen.query_one(IterationTable).rows
