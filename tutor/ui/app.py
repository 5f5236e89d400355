"""The Textual application: loads lessons and progress, pushes the screens, warms up SymPy.

Kept thin on purpose: the work happens in `TutorScreen` and its widgets. Start-up
is tuned for the first paint: without a ready `LessonSet` the app starts from
`scan_lessons` (front matter only), writes to the store only after the first
frame, and imports SymPy in a thread once the lesson is fully on screen.
"""

from __future__ import annotations

import contextlib
import gc
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from textual import events, work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import ModalScreen, Screen

from tutor.lessons import LessonIndex, LessonSet, scan_lessons
from tutor.progress import ProgressStore
from tutor.ui.keygate import KeyGate
from tutor.ui.palette import PaletteProvider
from tutor.ui.screens.main import TutorScreen
from tutor.ui.textual_compat import SentenceOnCrashApp

if TYPE_CHECKING:
    from tutor.practice import DataPolicy


@dataclass(frozen=True)
class PlaygroundRequest:
    """What `gd-tutor playground FUNCTION --start S --lr R` asked for (all optional)."""

    function: str | None = None
    start: str | None = None
    lr: str | None = None


OWN_WORDS = {
    "Theme": "Switch between the dark and light colours",
    "Quit": "Leave gd-tutor (your progress is saved)",
}
"""The Textual palette commands gd-tutor keeps, with what each says to a learner."""


class TutorApp(SentenceOnCrashApp):
    """gd-tutor: lessons with exercises, resumed where the learner left off."""

    CSS_PATH = "tutor.tcss"
    TITLE = "gd-tutor"
    COMMANDS = App.COMMANDS | {PaletteProvider}
    BINDINGS = [
        Binding("f1", "help", "Help"),
        Binding("question_mark", "help_key", "Help (outside input fields)", show=False),
        Binding("escape", "back", "Back to lessons"),  # help.py: where it applies
    ]

    def __init__(self, *, lessons: LessonSet | LessonIndex | None = None,
                 lessons_dir: Path | None = None, data_dir: Path | None = None,
                 lesson: str | None = None, playground: PlaygroundRequest | None = None,
                 data_policy: DataPolicy | None = None) -> None:
        super().__init__()
        self.data_policy = data_policy
        self.lesson_set = lessons if lessons is not None else scan_lessons(lessons_dir)
        self._data_dir = data_dir
        self._lesson = lesson
        self._playground = playground
        self.store: ProgressStore | None = None
        self.engine_ready = False
        self._warm_up_started = False
        self._stamped = False
        self.key_gate = KeyGate(self.post_message)

    def get_default_screen(self) -> TutorScreen:
        """The main screen, on the progress store (opened here; written after the first paint)."""
        self.store = ProgressStore.open(self._data_dir)
        return TutorScreen(self.lesson_set, self.store, start=self._lesson,
                           data_policy=self.data_policy)

    def on_load(self) -> None:
        """Before the terminal is taken over: be ready for it to go (tutor.ui.lifeline)."""
        self._catch_termination()

    async def on_event(self, event: events.Event) -> None:
        """Keys from the terminal wait while the lessons screen is changing (see KeyGate)."""
        if isinstance(event, events.Key) and not event.is_forwarded:
            if self.key_gate.hold(event, _changing(self.screen)):
                return
            if isinstance(self.screen, TutorScreen):
                self.screen.key_read(event)  # Enter on the list: the keys after it wait
        await super().on_event(event)

    def on_mount(self) -> None:
        """Say if the store had to be moved aside; open the playground if asked for."""
        self.call_after_refresh(self._stamp_store)
        if self.store is not None and self.store.warning:
            self.notify(self.store.warning, title="Progress", severity="warning", timeout=15)
        if self._playground is not None:
            self.action_playground(**vars(self._playground))

    def _catch_termination(self) -> None:
        """The terminal or SSH connection went away (SIGHUP, EOF or EIO on stdin), or
        SIGTERM: save, then leave; `lifeline` ends the process within a second regardless."""
        from tutor.ui import lifeline

        lifeline.attach(self._terminate)

    def _terminate(self) -> None:
        """Save what can be saved (even half started up), then exit."""
        with contextlib.suppress(Exception):
            self._save_everything()
        self.exit()

    def _save_everything(self) -> None:
        """Write what is not yet written: the visit, the lesson on show, typed inputs."""
        self._stamp_store()
        for screen in self.screen_stack:
            if isinstance(screen, TutorScreen):
                screen.save_now()

    def _stamp_store(self) -> None:
        """Record that the learner was here (and their name when the server gives one).

        Runs after the first frame, which is also when the garbage collector that
        `gd-tutor` pauses during start-up is switched back on.
        """
        gc.enable()
        if self.store is None or self._stamped:
            return
        self._stamped = True
        self.store.touch()
        learner = os.environ.get("GD_TUTOR_LEARNER")
        if learner:
            self.store.set_learner(learner)

    def on_tutor_screen_lesson_shown(self) -> None:
        """After the first lesson is on screen, import the engine in the background (once)."""
        if not self._warm_up_started:
            self._warm_up_started = True
            self._warm_up()

    @work(thread=True, exclusive=True, group="warm-up", exit_on_error=False)
    def _warm_up(self) -> None:
        """Import SymPy and the engine off the UI thread so the first run is quick."""
        import tutor.engine  # noqa: F401 - the import is the work

        self.engine_ready = True
        self.call_from_thread(self._freeze_start_up)

    def _freeze_start_up(self) -> None:
        """Start-up is over (lessons, Textual, SymPy loaded): collect once, then leave the
        survivors out of every later collection. With them in, each full collection (every
        few lesson switches) scanned ~250,000 objects and froze the screen for 150-250 ms;
        now it scans only what came after (the pages of the lessons near the one on show)."""
        gc.collect()
        gc.freeze()

    async def action_quit(self) -> None:
        """Quit, first saving anything typed but not yet saved, so nothing is lost."""
        self._save_everything()
        await super().action_quit()

    def on_unmount(self) -> None:
        """Close the store (every write was already committed)."""
        if self.store is not None:
            self.store.close()

    def crash_sentence(self, details: str) -> str | None:
        """An unexpected error: one sentence for the learner, the traceback to a crash log.

        Progress is committed as the learner goes, so nothing is lost by stopping here.
        `GD_TUTOR_DEBUG=1` keeps Textual's own traceback on screen for developers (None).
        """
        if os.environ.get("GD_TUTOR_DEBUG"):
            return None
        where = self._write_crash_log(details)
        return ("gd-tutor stopped after an internal error; your progress is saved. "
                + (f"Details are in {where}." if where else "Run again with GD_TUTOR_DEBUG=1 for details."))

    def _write_crash_log(self, text: str) -> Path | None:
        """Append `text` to crash.log beside the progress store; None if that cannot be done."""
        try:
            folder = Path(self.store.path).parent if self.store is not None else None
            if folder is None:
                return None
            log = folder / "crash.log"
            with log.open("a", encoding="utf-8") as out:
                out.write(text + "\n")
            return log
        except OSError:
            return None

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """Of Textual's palette commands only the theme switch and quit, in gd-tutor's words.

        Its generic entries ("Maximize the focused widget", "Keys") read as noise to a
        learner; "Screenshot" wrote a file: served, an SVG in the server account's
        ~/Downloads (and 23 s of CPU at 1000x500). So never.
        """
        for command in super().get_system_commands(screen):
            if command.title in OWN_WORDS:
                yield SystemCommand(command.title, OWN_WORDS[command.title], command.callback)

    def deliver_screenshot(self, filename: str | None = None, path: str | None = None,
                           time_format: str | None = None) -> str | None:
        """Deliver no screenshot (see `get_system_commands`); `app.screenshot` lands here too."""
        return None

    def action_help(self) -> None:
        """Show every key (collected from the screen under the help)."""
        from tutor.ui.screens.help import HelpScreen, collect_keys

        if isinstance(self.screen, HelpScreen):
            self.screen.dismiss()
            return
        self.push_screen(HelpScreen(collect_keys(self, self.screen)))

    def action_help_key(self) -> None:
        """`?` opens the help unless the learner is typing."""
        self.action_help()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """`?` is text while an input field has focus; escape only leaves a screen on top."""
        if action == "help_key" and _is_text_field(self.focused):
            return False
        if action == "back":  # a modal on top (palette, help) closes with its own Esc
            return self._on_top_of_lessons() and not isinstance(self.screen, ModalScreen)
        return True

    def _on_top_of_lessons(self) -> bool:
        stack = self.screen_stack
        return len(stack) > 1 and not isinstance(stack[-1], TutorScreen) and any(
            isinstance(screen, TutorScreen) for screen in stack[:-1])

    def action_back(self) -> None:
        """Leave the playground (or any screen above the lessons) for the lessons."""
        if self._on_top_of_lessons():
            self.pop_screen()

    def action_playground(self, function: str | None = None, start: str | None = None,
                          lr: str | None = None) -> None:
        """Open the playground screen on top of the lessons."""
        from tutor.ui.screens.playground import PlaygroundScreen

        self.push_screen(PlaygroundScreen(function=function, start=start, lr=lr))


def _changing(screen: object) -> bool:
    """True while the lessons screen is mounting content keys are aimed at."""
    return isinstance(screen, TutorScreen) and not screen.takes_keys


def _is_text_field(widget: object) -> bool:
    """True for an Input or TextArea (by class name: importing TextArea costs start-up time)."""
    return any(cls.__name__ in ("Input", "TextArea") and cls.__module__.startswith("textual.")
               for cls in type(widget).__mro__)
