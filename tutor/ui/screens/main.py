"""The tutor's main screen: header, lesson list, lesson reader and footer.

It owns the conversation with the progress store: every message an exercise
pane sends is written at once, so quitting at any moment loses nothing.

Start-up comes in two steps when it is given a `LessonIndex` (from `scan_lessons`):
the first paint shows the header, the list and the lesson's opening from the
index alone; then the lessons are fully loaded in a thread and the rest of the
lesson is mounted below. `loaded` is set when everything is on screen.
"""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.css.query import NoMatches
from textual.events import Resize
from textual.message import Message
from textual.screen import Screen
from textual.widget import Widget

from tutor.lessons import Exercise, Lesson, LessonIndex, LessonSet, LessonStub, load_lessons
from tutor.progress import ProgressStore
from tutor.ui.textual_compat import preload_markdown
from tutor.ui.widgets.lesson_list import LessonEntry, LessonList, lesson_status
from tutor.ui.widgets.lesson_reader import LessonReader, problem_text
from tutor.ui.screens import moving
from tutor.ui.screens.moving import ExerciseMoves
from tutor.ui.widgets.tutor_footer import TutorFooter
from tutor.ui.widgets.tutor_header import TutorHeader

if TYPE_CHECKING:  # imported on first use: the first paint needs no exercise pane
    from tutor.practice import DataPolicy
    from tutor.ui.widgets.exercise import ExercisePane

WIDE = 100  # columns from which the lesson list shows by default
TINY = 60  # below this an open list takes the whole width


class TutorScreen(ExerciseMoves, Screen[None]):
    """Reads lessons in order and records every attempt, hint and skip."""

    class LessonShown(Message):
        """A lesson is fully on screen (the app starts warming up the engine after the first)."""

    # Keys that change what is on show are priority bindings: they run as the key arrives,
    # before the keys typed after them are handed to a widget (no key lands in the old place).
    BINDINGS = [
        Binding("f3", "next_exercise", "Next exercise", priority=True),
        Binding("f2", "previous_exercise", "Prev exercise", show=False, priority=True),
        Binding("ctrl+down", "next_exercise", "Next exercise", show=False, priority=True),
        Binding("ctrl+up", "previous_exercise", "Prev exercise", show=False, priority=True),
        Binding("ctrl+n", "next_lesson", "Next lesson", priority=True),
        Binding("ctrl+n", "next_lesson('last')", "", show=False, priority=True),  # the last: not in the footer
        Binding("ctrl+b", "previous_lesson", "Prev lesson", show=False, priority=True),
        Binding("ctrl+l", "toggle_list", "Lessons"),
        Binding("enter", "move_on", "Next exercise, after a pass", show=False, priority=True),
        Binding("pagedown", "page(1)", "", show=False, priority=True),
        Binding("pageup", "page(-1)", "", show=False, priority=True),
        Binding("tab", "focus_move(1)", "", show=False, priority=True),
        Binding("shift+tab", "focus_move(-1)", "", show=False, priority=True),
    ]

    def __init__(self, lessons: LessonSet | LessonIndex, store: ProgressStore, *,
                 start: str | None = None, data_policy: DataPolicy | None = None) -> None:
        super().__init__()
        self.lessons: LessonSet | LessonIndex = lessons
        self.store = store
        self.data_policy = data_policy
        self._start = start
        self._list_open: bool | None = None  # None: decided by the width
        self.last_pane: ExercisePane | None = None
        self.loaded = asyncio.Event()  # set once the lesson on show is fully mounted
        self.full = asyncio.Event()  # set once `lessons` is the fully loaded LessonSet
        self._settled = asyncio.Event()  # set once start-up is over: moving on is safe
        self._stub: LessonStub | None = None  # the lesson whose opening alone is on show
        self._shown_inputs: dict[str, dict[str, str]] = {}
        self._changing = False  # a lesson is being mounted: keys wait (see KeyGate)
        self._choosing = asyncio.Lock()  # lessons chosen from the list open one at a time
        # ctrl+l gives back: the focus, the scroll, and whether the field's text was selected
        self._place_before_list: tuple[Widget | None, float, bool] | None = None
        # Held here, not looked up: a query walks every widget of every page kept (thousands).
        self._reader = LessonReader(id="reader")
        self._header = TutorHeader(id="header")
        self._list: LessonList | None = None  # mounted after the first paint if narrow

    def compose(self) -> ComposeResult:
        """Header on top, list beside the reader, key bindings at the bottom."""
        self._apply_width(self.app.size.width)  # before the children exist: styled once
        yield self._header
        with Horizontal(id="body"):
            if self.app.size.width >= WIDE:  # hidden on narrow terminals: mounted after
                self._list = LessonList(id="lesson-list")
                yield self._list
            yield self._reader
        yield TutorFooter()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """On the last lesson the shown ^n gives way to a hidden one (it says there is no next)."""
        if action == "next_lesson" and parameters != ("last",):
            return self._has_next_lesson()
        return super().check_action(action, parameters)

    def _has_next_lesson(self) -> bool:
        """False only once the lesson on show is known to be the last one."""
        order = [lesson.slug for lesson in self.lessons.lessons]
        current = self.current.slug if self.current is not None else None
        return current not in order or order.index(current) < len(order) - 1

    @property
    def takes_keys(self) -> bool:
        """False while start-up or a lesson change is under way (the app holds keys)."""
        return self._settled.is_set() and not self._changing

    def key_read(self, event: events.Key) -> None:
        """A key the app has just read (and not held): Enter on the lesson list opens a
        lesson, so the keys read after it wait for that lesson (they were typed at it) and
        are not handed to this one first (the list's choice reaches this screen only after
        the app has read them)."""
        if (event.key == "enter" and self.takes_keys and self._list is not None
                and self.focused is self._list and self._list.highlighted is not None):
            self._changing = True  # `_lesson_chosen` lets them in

    def _let_keys_in(self) -> None:
        """The new content has focus: keys held meanwhile go on to it, in order."""
        self._changing = False
        gate = getattr(self.app, "key_gate", None)
        if gate is not None and self.takes_keys:
            gate.release()

    @property
    def lesson_list(self) -> LessonList:
        """The list of lessons."""
        if self._list is None:
            raise NoMatches("the lesson list is not mounted yet")
        return self._list

    @property
    def reader(self) -> LessonReader:
        """The lesson reader."""
        return self._reader

    @property
    def current(self) -> Lesson | LessonStub | None:
        """The lesson on show, if any (a stub while only its opening is on show)."""
        return self._stub or self.reader.lesson

    async def on_mount(self) -> None:
        """Open the requested lesson, or resume where the learner left off."""
        self._ui_thread, self._ui_loop = threading.get_ident(), asyncio.get_running_loop()
        self.store.on_warning = self._saving_stopped
        self._apply_width(self.app.size.width)
        self.reader.focus()  # before its content exists: the focus style is applied once
        if isinstance(self.lessons, LessonSet):
            self.full.set()
        elif not self.lessons.lessons:
            await self._load_all()
        start = self.lessons.find(self._start) if self._start else None
        stored = self.lessons.find(self.store.current_lesson() or "")
        resume = start is None and stored is not None
        start = start or stored
        if start is None and self.lessons.lessons:
            start = self.lessons.lessons[0]
        if isinstance(start, LessonStub):
            await self._show_opening(start, resume)  # its worker settles start-up
        else:
            await (self._open(start, resume) if start else self._show_empty())
            self._settled.set()
            self.call_after_refresh(self._let_keys_in)

    # ---- lessons -------------------------------------------------------------------------

    async def _show_opening(self, stub: LessonStub, resume: bool) -> None:
        """First paint: the opening of `stub` from the index; the rest follows in a worker."""
        self._stub = stub
        await self.reader.show_opening(stub.title, stub.objectives, stub.opening,
                                       number=stub.number, total=len(self.lessons.lessons),
                                       notices=self._problem_notices())
        self.refresh_progress()
        painted = asyncio.Event()
        self.call_after_refresh(painted.set)
        self.run_worker(self._finish_start(stub.slug, resume, painted), group="lesson-rest",
                        exclusive=True, exit_on_error=True)

    async def _finish_start(self, slug: str, resume: bool, painted: asyncio.Event) -> None:
        """After the first paint: load every lesson, then mount the rest of this one."""
        try:
            await self._complete_opening(slug, resume, painted)
        finally:
            self._settled.set()  # keys pressed meanwhile (ctrl+n, ...) go ahead now
            self.call_after_refresh(self._let_keys_in)

    async def _complete_opening(self, slug: str, resume: bool, painted: asyncio.Event) -> None:
        await painted.wait()
        await self._ensure_list()
        await self._load_all()
        lesson = self.lessons.find(slug)
        self._stub = None
        if not isinstance(lesson, Lesson):  # the file changed between scan and load
            await (self._open(self.lessons.lessons[0]) if self.lessons.lessons
                   else self._show_empty())
            return
        self.store.set_current_lesson(lesson.slug)
        await self.reader.continue_lesson(lesson, **self._reading(lesson))
        self.refresh_progress()
        self._opened(resume)

    async def _load_all(self) -> None:
        """Replace the index by the fully loaded lessons (read in a thread)."""
        self.lessons = await asyncio.to_thread(_load_for_reading, self.lessons.directory)
        self.full.set()

    def _reading(self, lesson: Lesson) -> dict[str, Any]:
        """What the reader needs besides the lesson: numbering, next title, panes, notices."""
        order = list(self.lessons.lessons)
        following = order[order.index(lesson) + 1:order.index(lesson) + 2]
        return {"number": lesson.number, "total": len(order),
                "next_title": following[0].title if following else None,
                "make_pane": self._make_pane, "notices": self._problem_notices()}

    async def open_lesson(self, slug: str, *, resume: bool = False) -> None:
        """Show the lesson `slug`, remember it, and with `resume` scroll to unfinished work."""
        await self._settled.wait()
        lesson = self.lessons.find(slug)
        if not isinstance(lesson, Lesson):
            self.notify(f"There is no lesson called {slug}.", severity="warning")
            return
        await self._open(lesson, resume)

    async def _ensure_list(self) -> None:
        """Mount the lesson list if the first paint went without it (narrow terminal)."""
        if self._list is None:
            self._list = LessonList(id="lesson-list")
            await self.query_one("#body").mount(self._list, before=0)

    async def _open(self, lesson: Lesson, resume: bool = False) -> None:
        self._changing = True
        try:
            await self._ensure_list()
            self._stub = None
            self.loaded.clear()
            await self.reader.show_lesson(  # the header is painted with the first screen
                lesson, **self._reading(lesson), on_shown=lambda: self._refresh_header(lesson))
            self.store.set_current_lesson(lesson.slug)  # the write waits for the paint
            self.last_pane = None
            self.refresh_progress()
            self._opened(resume)
        finally:
            self.call_after_refresh(self._let_keys_in)

    def _opened(self, resume: bool) -> None:
        self._shown_inputs = {pane.key: pane.inputs() for pane in self.reader.panes}
        if resume and not self._restore_place():
            self._scroll_to_unfinished()
        self.loaded.set()
        self.post_message(self.LessonShown())
        self.run_worker(self._prepare_next(), group="prepare", exclusive=True)

    async def _prepare_next(self) -> None:
        """After the paint, keep only the pages of this lesson's neighbours and build the
        next lesson's page hidden, so that ctrl+n (and ctrl+b back) is a swap of pages."""
        lesson = self.current
        if not isinstance(lesson, Lesson) or not isinstance(self.lessons, LessonSet):
            return
        order = list(self.lessons.lessons)
        index = order.index(lesson) if lesson in order else -1
        if index < 0:
            return
        await self.reader.keep_only({near.slug for near in order[max(0, index - 1):index + 2]})
        painted = asyncio.Event()
        self.call_after_refresh(painted.set)
        await painted.wait()
        if index + 1 < len(order) and self.current is lesson:
            await self.reader.prepare(order[index + 1], **self._reading(order[index + 1]))

    def _make_pane(self, exercise: Exercise) -> Widget:
        from tutor.ui.widgets.exercise import ExercisePane

        record = self.store.exercise(exercise.key)
        return ExercisePane(
            exercise,
            saved_inputs=dict(record.last_inputs) if record.last_inputs else None,
            state=None if record.state == "new" else record.state,
            hints_shown=record.hints_shown,
            data_policy=self.data_policy,
            id=f"exercise-{exercise.id}",
        )

    def _problem_notices(self) -> list[str]:
        return [problem_text(p.path, p.line, p.message) for p in self.lessons.problems]

    async def _show_empty(self) -> None:
        await self._ensure_list()
        notices = self._problem_notices() or ["No lessons were found."]
        await self.reader.show_notice("\n".join(notices))
        self.refresh_progress()
        self._opened(resume=False)

    def _scroll_to_unfinished(self) -> None:
        lesson = self.current
        if lesson is None or not any(self._touched(ex) for ex in lesson.exercises):
            return  # nothing tried here yet: start from the top
        pane = self.reader.first_unfinished(self._finished())
        if pane is not None:
            self.call_after_refresh(self.reader.scroll_to_widget, pane, top=True, animate=False)

    def _touched(self, exercise: Exercise) -> bool:
        record = self.store.exercise(exercise.key)
        return record.state != "new" or bool(record.last_inputs) or record.hints_shown > 0

    async def step_lesson(self, step: int) -> None:
        """Move `step` lessons forward (+1) or back (-1), if there is one."""
        await self._settled.wait()
        order = self.lessons.lessons
        if not order:
            return
        slugs = [lesson.slug for lesson in order]
        current = self.current.slug if self.current else None
        index = slugs.index(current) if current in slugs else -1
        target = index + step
        if 0 <= target < len(order):
            await self.open_lesson(order[target].slug)
            self.set_focus(self.reader)  # at once, not later: keys typed next go after it
        else:
            self.notify("That was the last lesson." if step > 0 else "This is the first lesson.")

    async def action_next_lesson(self, _where: str = "") -> None:
        """Open the next lesson (on the last one, say there is none)."""
        await self.step_lesson(1)

    async def action_previous_lesson(self) -> None:
        """Open the previous lesson."""
        await self.step_lesson(-1)

    @on(LessonReader.NavRequested)
    async def _nav_requested(self, event: LessonReader.NavRequested) -> None:
        await self.step_lesson(event.step)

    @on(LessonList.LessonChosen)
    async def _lesson_chosen(self, event: LessonList.LessonChosen) -> None:
        """Open the lesson chosen. A narrow screen's list closes first, so the lesson is laid
        out once, at the whole width; the lesson opens in a worker: here, in the screen's own
        task, its first screen could not be painted before the rest of it was built."""
        if self.size.width < WIDE:
            self._set_list_open(None)
        self._place_before_list = None  # a lesson was chosen: its top is the new place
        self.reader.focus()
        if event.slug is not None:
            self._changing = True  # keys typed from now on wait for the lesson chosen
            self.run_worker(self._open_chosen(event.slug), group="chosen")
        elif event.problem_index is not None:
            try:
                await self._settled.wait()
                problem = self.lessons.problems[event.problem_index]
                await self.reader.show_notice(problem_text(problem.path, problem.line,
                                                           problem.message))
                self.refresh_progress()
            finally:
                self.call_after_refresh(self._let_keys_in)

    async def _open_chosen(self, slug: str) -> None:
        """Open a lesson chosen from the list; a second choice (a click while the first
        loads) waits for the first, as it did when the handler itself opened the lesson."""
        try:
            async with self._choosing:
                await self.open_lesson(slug)
        finally:
            self.call_after_refresh(self._let_keys_in)

    # ---- progress ------------------------------------------------------------------------

    def _finished(self) -> set[str]:
        return set(self.store.completed()) | set(self.store.skipped())

    def refresh_progress(self) -> None:
        """Redraw the list marks and the header from the store."""
        finished = self._finished()
        current = self.current.slug if self.current else None
        entries = [self._entry(lesson, finished, current) for lesson in self.lessons.lessons]
        if self._list is not None:  # not there yet while a narrow screen starts
            self._list.show_entries(entries, [p.path for p in self.lessons.problems], current)
        self._refresh_header()
        self.refresh_bindings()  # ^n leaves the footer on the last lesson

    def _entry(self, lesson: Lesson | LessonStub, finished: set[str],
               current: str | None) -> LessonEntry:
        keys = _keys(lesson)
        before = self.current is not None and lesson.order < self.current.order
        status = lesson_status(keys, finished, is_current=lesson.slug == current,
                               before_current=before)
        return LessonEntry(lesson.number, lesson.slug, lesson.title, status,
                           sum(key in finished for key in keys), len(keys))

    def _refresh_header(self, lesson: Lesson | LessonStub | None = None) -> None:
        """Title, position and percent done of `lesson` (default: the one on show)."""
        keys = [key for lesson in self.lessons.lessons for key in _keys(lesson)]
        passed = set(self.store.completed())
        percent = round(100 * sum(k in passed for k in keys) / len(keys)) if keys else 0
        lesson = lesson or self.current
        self._header.show(
            title=lesson.title if lesson else "",
            position=lesson.number if lesson else 0,
            total=len(self.lessons.lessons), percent=percent, saving=self.store.saving)

    def _saving_stopped(self, warning: str) -> None:
        """The store could not write mid-session: say so once, and in the header from now on."""
        if threading.get_ident() != self._ui_thread:  # never wait here: the store is locked
            self._ui_loop.call_soon_threadsafe(self._saving_stopped, warning)
            return
        self.notify(warning, title="Progress", severity="warning", timeout=15)
        self._refresh_header()

    def _remember(self, event: Any) -> None:
        pane = getattr(event, "pane", None)
        if pane is not None:
            self.last_pane = pane

    def on_exercise_pane_attempted(self, event: ExercisePane.Attempted) -> None:
        """Count the attempt and add it to the history (a pass marks the exercise done)."""
        self._remember(event)
        self._save_place()  # first: writes land in order, so with a stored attempt comes its place
        if event.passed is None:
            self.store.save_inputs(event.key, event.inputs)
        else:
            self.store.record_attempt(event.key, event.inputs, event.passed,
                                      event.diagnosis, event.message)
        self.refresh_progress()

    def on_exercise_pane_skipped(self, event: ExercisePane.Skipped) -> None:
        """Record the skip."""
        self._remember(event)
        self.store.mark_skipped(event.key)
        self.refresh_progress()

    def on_exercise_pane_hint_shown(self, event: ExercisePane.HintShown) -> None:
        """Remember how many hints are open."""
        self._remember(event)
        self.store.set_hints_shown(event.key, event.count)

    def on_exercise_pane_inputs_changed(self, event: ExercisePane.InputsChanged) -> None:
        """Keep what the learner typed."""
        self._remember(event)
        self.store.save_inputs(event.key, event.inputs)
        self._save_place()

    def save_now(self) -> None:
        """Save everything at once (quitting, or the terminal went away): lesson and inputs."""
        if self.current is not None and self.store.current_lesson() != self.current.slug:
            self.store.set_current_lesson(self.current.slug)
        self._save_place()
        self.save_typed_inputs()

    def save_typed_inputs(self) -> None:
        """Save what is typed in every pane right now (the panes wait a moment before saving)."""
        for pane in self.reader.panes:
            typed = pane.inputs()
            if pane.key and typed != self._shown_inputs.get(pane.key) and typed != dict(
                    self.store.exercise(pane.key).last_inputs or {}):
                self.store.save_inputs(pane.key, typed)

    def reset_exercise(self) -> bool:
        """Reset the focused exercise pane (else the last one used); False if there is none."""
        pane = self._focused_pane() or self.last_pane
        if pane is None or not pane.is_attached:
            panes = self.reader.panes
            pane = panes[0] if len(panes) == 1 else None
        if pane is None:
            self.notify("Move to an exercise first, then reset it.", severity="warning")
            return False
        pane.reset()
        return True

    def _focused_pane(self) -> ExercisePane | None:
        return moving.pane_holding(self.focused)

    # ---- layout --------------------------------------------------------------------------

    def on_resize(self, event: Resize) -> None:
        """Show or hide the list to suit the new width (crossing 100 columns forgets ctrl+l)."""
        if (event.size.width < WIDE) != self.has_class("narrow"):
            self._list_open = None
        self._apply_width(event.size.width)

    def _apply_width(self, width: int) -> None:
        """Set the screen's layout classes. Only the list and the reader have rules on them
        (tutor.tcss), so only those two are restyled: restyling the screen restyles every
        widget of every lesson page, ~0.5 s on each ctrl+l."""
        before = set(self.classes)
        self.set_class(width < WIDE, "narrow", update=False)
        self.set_class(width < TINY, "tiny", update=False)
        self.set_class(self._list_open if self._list_open is not None else width >= WIDE,
                       "list-open", update=False)
        if set(self.classes) != before:
            laid_out = [node for node in (self._list, self._reader) if node is not None]
            self.app.stylesheet.update_nodes(laid_out, animate=False)

    def _set_list_open(self, is_open: bool | None) -> None:
        self._list_open = is_open
        self._apply_width(self.size.width)

    async def action_toggle_list(self) -> None:
        """Show or hide the lesson list (hidden by default on narrow terminals); closing it
        gives back the place it was opened from: the same scroll and the same focus."""
        await self._settled.wait()
        opening = not self.has_class("list-open")
        if opening:
            self._place_before_list = (self.focused, self.reader.scroll_y,
                                       _all_selected(self.focused))
        self._set_list_open(opening)
        if opening:
            self.lesson_list.focus()
        else:
            self._back_to_place()

    def _back_to_place(self) -> None:
        """Focus and scroll as they were before the list opened (the reader, if that is gone)."""
        focused, scroll_y, selected = self._place_before_list or (None, None, False)
        self._place_before_list = None
        if focused is None or not focused.is_attached or focused is self.lesson_list:
            self.reader.focus()
        else:
            if hasattr(focused, "continue_typing") and not selected:
                focused.continue_typing()  # the cursor goes back after what was typed
            # (a field landed on and not typed in yet comes back selected: typing replaces)
            self.set_focus(focused, scroll_visible=False)
        if scroll_y is not None:  # once the reader has its width back
            self.call_after_refresh(self.reader.scroll_to, y=scroll_y, animate=False)


def _all_selected(widget: Widget | None) -> bool:
    """True for a text field whose whole text is selected (the next key replaces it)."""
    value, selection = getattr(widget, "value", None), getattr(widget, "selection", None)
    return (isinstance(value, str) and bool(value) and selection is not None
            and {selection.start, selection.end} == {0, len(value)})


def _keys(lesson: Lesson | LessonStub) -> list[str]:
    """The progress keys of a lesson's exercises (a stub's come from the quick scan)."""
    if isinstance(lesson, LessonStub):
        return list(lesson.exercise_keys)
    return [exercise.key for exercise in lesson.exercises]


def _load_for_reading(directory: Path) -> LessonSet:
    """Load every lesson and import the markdown widget (both run in a thread)."""
    preload_markdown()
    return load_lessons(directory)
