"""The tutor's main screen: header, lesson list, lesson reader and footer.

It owns the conversation with the progress store: every message an exercise
pane sends is written at once, so quitting at any moment loses nothing.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.events import Resize
from textual.message import Message
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer

from tutor.lessons import Exercise, Lesson, LessonSet
from tutor.progress import ProgressStore
from tutor.ui.widgets.lesson_list import LessonEntry, LessonList, lesson_status
from tutor.ui.widgets.lesson_reader import LessonReader, problem_text
from tutor.ui.widgets.tutor_header import TutorHeader

if TYPE_CHECKING:  # imported on first use: the first paint needs no exercise pane
    from tutor.ui.widgets.exercise import ExercisePane

WIDE = 100  # columns from which the lesson list shows by default
TINY = 60  # below this an open list takes the whole width
PAINT_GRACE = 0.05  # seconds between the opening prose and the exercise panes


class TutorScreen(Screen[None]):
    """Reads lessons in order and records every attempt, hint and skip."""

    class LessonShown(Message):
        """A lesson is fully on screen (the app starts warming up the engine after the first)."""

    BINDINGS = [
        Binding("ctrl+n", "next_lesson", "Next lesson"),
        Binding("ctrl+b", "previous_lesson", "Prev lesson"),
        Binding("ctrl+l", "toggle_list", "Lessons"),
    ]

    def __init__(self, lessons: LessonSet, store: ProgressStore, *,
                 start: str | None = None) -> None:
        super().__init__()
        self.lessons = lessons
        self.store = store
        self._start = start
        self._list_open: bool | None = None  # None: decided by the width
        self.last_pane: ExercisePane | None = None
        self.loaded = asyncio.Event()  # set once the lesson on show is fully mounted
        self._shown_inputs: dict[str, dict[str, str]] = {}

    def compose(self) -> ComposeResult:
        """Header on top, list beside the reader, key bindings at the bottom."""
        yield TutorHeader(id="header")
        with Horizontal(id="body"):
            yield LessonList(id="lesson-list")
            yield LessonReader(id="reader")
        yield Footer()

    @property
    def lesson_list(self) -> LessonList:
        """The list of lessons."""
        return self.query_one(LessonList)

    @property
    def reader(self) -> LessonReader:
        """The lesson reader."""
        return self.query_one(LessonReader)

    @property
    def current(self) -> Lesson | None:
        """The lesson on show, if any."""
        return self.reader.lesson

    async def on_mount(self) -> None:
        """Open the requested lesson, or resume where the learner left off."""
        self._apply_width(self.app.size.width)
        start = self.lessons.find(self._start) if self._start else None
        stored = self.lessons.find(self.store.current_lesson() or "")
        resume = start is None and stored is not None
        start = start or stored
        if start is None and self.lessons.lessons:
            start = self.lessons.lessons[0]
        if start is None:
            await self._show_empty()
        else:
            await self.open_lesson(start.slug, resume=resume, head_first=True)
        self.reader.focus()

    # ---- lessons -------------------------------------------------------------------------

    async def open_lesson(self, slug: str, *, resume: bool = False,
                          head_first: bool = False) -> None:
        """Show the lesson `slug`, remember it, and with `resume` scroll to unfinished work.

        With `head_first` the opening prose is painted before the exercise panes
        are mounted (start-up speed); `self.loaded` is set when all is mounted.
        """
        lesson = self.lessons.find(slug)
        if lesson is None:
            self.notify(f"There is no lesson called {slug}.", severity="warning")
            return
        self.store.set_current_lesson(lesson.slug)
        index = self.lessons.lessons.index(lesson)
        following = self.lessons.lessons[index + 1:index + 2]
        self.loaded.clear()
        more = await self.reader.show_lesson(
            lesson, number=lesson.number, total=len(self.lessons.lessons),
            next_title=following[0].title if following else None,
            make_pane=self._make_pane, notices=self._problem_notices(), head_only=head_first)
        self.last_pane = None
        self.refresh_progress()
        if more:
            # A worker, so the screen's own message loop stays free to paint the opening.
            self.run_worker(self._finish_opening(lesson, resume), group="lesson-rest",
                            exclusive=True, exit_on_error=True)
        else:
            self._opened(resume)

    async def _finish_opening(self, lesson: Lesson, resume: bool) -> None:
        # Markdown batches repaints while it parses; give the opening prose a
        # moment to reach the terminal before the exercise panes are built.
        await asyncio.sleep(PAINT_GRACE)
        await self.reader.mount_rest(lesson)
        if self.reader.lesson is lesson:
            self._opened(resume)

    def _opened(self, resume: bool) -> None:
        self._shown_inputs = {pane.key: pane.inputs() for pane in self.reader.panes}
        if resume:
            self._scroll_to_unfinished()
        self.loaded.set()
        self.post_message(self.LessonShown())

    def _make_pane(self, exercise: Exercise) -> Widget:
        from tutor.ui.widgets.exercise import ExercisePane

        record = self.store.exercise(exercise.key)
        return ExercisePane(
            exercise,
            saved_inputs=dict(record.last_inputs) if record.last_inputs else None,
            state=None if record.state == "new" else record.state,
            hints_shown=record.hints_shown,
            lessons_data_dir=self.lessons.data_dir,
            id=f"exercise-{exercise.id}",
        )

    def _problem_notices(self) -> list[str]:
        return [problem_text(p.path, p.line, p.message) for p in self.lessons.problems]

    async def _show_empty(self) -> None:
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
        order = self.lessons.lessons
        if not order:
            return
        index = order.index(self.current) if self.current in order else -1
        target = index + step
        if 0 <= target < len(order):
            await self.open_lesson(order[target].slug)
            self.reader.focus()
        else:
            self.notify("That was the last lesson." if step > 0 else "This is the first lesson.")

    async def action_next_lesson(self) -> None:
        """Open the next lesson."""
        await self.step_lesson(1)

    async def action_previous_lesson(self) -> None:
        """Open the previous lesson."""
        await self.step_lesson(-1)

    @on(LessonReader.NavRequested)
    async def _nav_requested(self, event: LessonReader.NavRequested) -> None:
        await self.step_lesson(event.step)

    @on(LessonList.LessonChosen)
    async def _lesson_chosen(self, event: LessonList.LessonChosen) -> None:
        if event.slug is not None:
            await self.open_lesson(event.slug)
        elif event.problem_index is not None:
            problem = self.lessons.problems[event.problem_index]
            await self.reader.show_notice(problem_text(problem.path, problem.line, problem.message))
            self.refresh_progress()
        if self.size.width < WIDE:
            self._set_list_open(None)
        self.reader.focus()

    # ---- progress ------------------------------------------------------------------------

    def _finished(self) -> set[str]:
        return set(self.store.completed()) | set(self.store.skipped())

    def refresh_progress(self) -> None:
        """Redraw the list marks and the header from the store."""
        finished = self._finished()
        current = self.current.slug if self.current else None
        entries = [self._entry(lesson, finished, current) for lesson in self.lessons.lessons]
        self.lesson_list.show_entries(entries, [p.path for p in self.lessons.problems], current)
        self._refresh_header()

    def _entry(self, lesson: Lesson, finished: set[str], current: str | None) -> LessonEntry:
        keys = [ex.key for ex in lesson.exercises]
        before = self.current is not None and lesson.order < self.current.order
        status = lesson_status(keys, finished, is_current=lesson.slug == current,
                               before_current=before)
        return LessonEntry(lesson.number, lesson.slug, lesson.title, status)

    def _refresh_header(self) -> None:
        keys = [ex.key for lesson in self.lessons.lessons for ex in lesson.exercises]
        passed = set(self.store.completed())
        percent = round(100 * sum(k in passed for k in keys) / len(keys)) if keys else 0
        lesson = self.current
        self.query_one(TutorHeader).show(
            title=lesson.title if lesson else "",
            position=lesson.number if lesson else 0,
            total=len(self.lessons.lessons), percent=percent)

    def _remember(self, event: Any) -> None:
        pane = getattr(event, "pane", None)
        if pane is not None:
            self.last_pane = pane

    def on_exercise_pane_attempted(self, event: ExercisePane.Attempted) -> None:
        """Count the attempt (a pass marks the exercise done)."""
        self._remember(event)
        if event.passed is None:
            self.store.save_inputs(event.key, event.inputs)
        else:
            self.store.record_attempt(event.key, event.inputs, event.passed)
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
        from tutor.ui.widgets.exercise import ExercisePane

        node = self.focused
        while node is not None and not isinstance(node, ExercisePane):
            node = node.parent if isinstance(node.parent, Widget) else None
        return node

    # ---- layout --------------------------------------------------------------------------

    def on_resize(self, event: Resize) -> None:
        """Show or hide the list to suit the new width (crossing 100 columns forgets ctrl+l)."""
        if (event.size.width < WIDE) != self.has_class("narrow"):
            self._list_open = None
        self._apply_width(event.size.width)

    def _apply_width(self, width: int) -> None:
        self.set_class(width < WIDE, "narrow")
        self.set_class(width < TINY, "tiny")
        self.set_class(self._list_open if self._list_open is not None else width >= WIDE,
                       "list-open")

    def _set_list_open(self, is_open: bool | None) -> None:
        self._list_open = is_open
        self._apply_width(self.size.width)

    def action_toggle_list(self) -> None:
        """Show or hide the lesson list (hidden by default on narrow terminals)."""
        opening = not self.has_class("list-open")
        self._set_list_open(opening)
        if opening:
            self.lesson_list.focus()
        else:
            self.reader.focus()
