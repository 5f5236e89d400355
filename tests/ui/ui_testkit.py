"""Scaffolding shared by the UI tests: host apps, and waits on conditions (not on the clock).

`tests/ui/conftest.py` puts this folder on `sys.path`, so a test writes
`from ui_testkit import ready, wait_until` (the serve tests do the same with serve_testkit).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Any

from textual import events
from textual.app import App, ComposeResult
from textual.command import CommandPalette
from textual.widgets import OptionList

from tutor.lessons.model import Exercise
from tutor.ui.screens.main import TutorScreen
from tutor.ui.screens.playground import PlaygroundScreen
from tutor.ui.widgets.exercise import ExercisePane

POLL = 0.02
"""Seconds between two looks at a condition."""


async def wait_until(pilot: Any, condition: Callable[[], object],
                     what: str | Callable[[], str] = "the condition", timeout: float = 20.0, *,
                     then_idle: bool = True) -> None:
    """Let the app run until `condition()` holds, then (`then_idle`) let its messages settle.

    Fails naming `what` (a text, or a function giving one at the time of failure) if it
    has not happened within `timeout` seconds. Pass `then_idle=False` while a worker
    keeps the CPU busy (waiting for idle would then take up to 1 s).
    """
    end = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > end:
            said = what() if callable(what) else what
            raise AssertionError(f"{said} did not happen within {timeout} s")
        await pilot.pause(POLL)
    if then_idle:
        await pilot.pause()


CHARACTERS = {"tab": "\t", "enter": "\r", "space": " "}


def burst(app: Any, *keys: str) -> None:
    """Post keys the way the terminal driver does when they arrive in one read: all at once,
    without waiting for the app between them."""
    for key in keys:
        character = CHARACTERS.get(key, key if len(key) == 1 else None)
        app.post_message(events.Key(key, character))


def count_restyles(app: App[Any]) -> list[int]:
    """From now on, the number of widgets in each restyle of `app` (appended to the list
    returned): Textual restyles a whole subtree on a class or focus change."""
    restyled: list[int] = []
    update_nodes = app.stylesheet.update_nodes

    def counted(nodes: Any, animate: bool = False) -> None:
        nodes = list(nodes)
        restyled.append(len(nodes))
        update_nodes(nodes, animate=animate)

    app.stylesheet.update_nodes = counted  # type: ignore[method-assign]
    return restyled


async def ready(pilot: Any) -> None:
    """Wait until the lesson on show is fully mounted (exercise panes included)."""
    await pilot.pause()
    await asyncio.wait_for(pilot.app.screen.loaded.wait(), timeout=30)
    await pilot.pause()


def takes_keys(app: App[Any]) -> bool:
    """Does the screen take keys now (the tutor's screen settled, nothing held at its key gate)?"""
    gate = getattr(app, "key_gate", None)
    return bool(getattr(app.screen, "takes_keys", True) and not (gate and gate.held))


async def keys_ready(pilot: Any) -> None:
    """As `ready`, and then until the screen takes keys: for tests that type straight away."""
    await ready(pilot)
    await wait_until(pilot, lambda: takes_keys(pilot.app), "the screen taking keys", 30,
                     then_idle=False)


async def settle(pilot: Any, pane: ExercisePane, timeout: float = 20.0) -> None:
    """Wait until the pane's run has finished and its messages are handled."""
    def idle() -> bool:
        busy = [w for w in pilot.app.workers if w.node is pane and w.is_running]
        return not pane.running and not busy

    await wait_until(pilot, idle, "the run finishing", timeout)


def main_screen(app: App[Any]) -> TutorScreen:
    """The app's screen, which must be the tutor's main screen."""
    assert isinstance(app.screen, TutorScreen)
    return app.screen


def lesson_pane(app: App[Any], exercise_id: str) -> ExercisePane:
    """The exercise pane with this id in the lesson on show."""
    return main_screen(app).query_one(f"#exercise-{exercise_id}", ExercisePane)


def palette_offers(app: App[Any], title: str) -> bool:
    """Is the command palette open with `title` as its first (highlighted) hit?"""
    if not isinstance(app.screen, CommandPalette):
        return False
    hits = app.screen.query_one("CommandList", OptionList)
    return hits.option_count > 0 and title in str(hits.get_option_at_index(0).prompt)


async def use_palette(pilot: Any, typed: str, title: str) -> None:
    """Open the command palette (ctrl+p), type `typed`, wait for `title` on top, choose it."""
    await pilot.press("ctrl+p")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, CommandPalette), "the palette opening")
    await pilot.press(*typed)
    await wait_until(pilot, lambda: palette_offers(pilot.app, title), f"the palette offering {title!r}")
    await pilot.press("enter")


class PlaygroundHost(App[None]):
    """Pushes the playground, as `gd-tutor playground FUNCTION START RATE` does."""

    def __init__(self, *args: str | None) -> None:
        super().__init__()
        self.args = args

    def on_mount(self) -> None:
        self.push_screen(PlaygroundScreen(*self.args))


class PaneHost(App[None]):
    """One exercise pane on its own (options go to the pane)."""

    def __init__(self, exercise: Exercise, **options: object) -> None:
        super().__init__()
        self.exercise, self.options = exercise, options

    def compose(self) -> ComposeResult:
        yield ExercisePane(self.exercise, id="pane", **self.options)  # type: ignore[arg-type]


class VerdictHost(App[None]):
    """One lesson exercise pane, keeping the judged attempts it reports (`attempts`)."""

    def __init__(self, shown: Exercise) -> None:
        super().__init__()
        self.shown: Exercise = shown
        self.attempts: list[ExercisePane.Attempted] = []

    def compose(self) -> ComposeResult:
        yield ExercisePane(self.shown, id="pane")

    def on_exercise_pane_attempted(self, event: ExercisePane.Attempted) -> None:
        """Keep the attempts that were judged (passed is True or False)."""
        if event.passed is not None:
            self.attempts.append(event)
