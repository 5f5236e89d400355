"""The lesson reader: objectives, prose and exercise panes in reading order, then the recap."""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from pathlib import Path
from typing import Any

from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Button, Label, Markdown, Static

from tutor.lessons import Exercise, Lesson, MarkdownSegment
from tutor.ui.widgets.exercise import ExercisePane

# Builds the pane for one exercise (the screen supplies saved progress).
PaneFactory = Callable[[Exercise], Widget]


def objectives_text(objectives: Sequence[str]) -> str:
    """The "you will" list shown at the top of a lesson."""
    items = "\n".join(f" • {item}" for item in objectives)
    return f"In this lesson you will\n{items}"


def without_title(text: str, title: str) -> str:
    """Drop a leading `# Title` heading that repeats the lesson title shown above it."""
    stripped = text.lstrip()
    first, _, rest = stripped.partition("\n")
    if first.startswith("# ") and first[2:].strip().lower() == title.strip().lower():
        return rest.lstrip("\n")
    return text


def problem_text(path: Path | str, line: int | None, message: str) -> str:
    """One sentence naming a lesson file that failed to load and why."""
    where = Path(path).name + (f" line {line}" if line else "")
    return f"⚠ Lesson file {where} could not be loaded: {message}"


class LessonNav(Horizontal):
    """Previous / next buttons at the end of a lesson."""

    def __init__(self, has_previous: bool, has_next: bool) -> None:
        super().__init__(id="lesson-nav")
        self._has_previous = has_previous
        self._has_next = has_next

    def compose(self) -> ComposeResult:
        """A button each way; the missing direction is disabled."""
        yield Button("◀ Previous lesson", id="previous-lesson", disabled=not self._has_previous)
        yield Button("Next lesson ▶", id="next-lesson", variant="primary",
                     disabled=not self._has_next)


class LessonReader(VerticalScroll):
    """Scrolls through one lesson; exercise panes sit inside the prose."""

    class NavRequested(Message):
        """The learner pressed a previous (-1) or next (+1) lesson button."""

        def __init__(self, step: int) -> None:
            super().__init__()
            self.step = step

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.lesson: Lesson | None = None

    @property
    def panes(self) -> list[ExercisePane]:
        """The exercise panes of the lesson on show, in reading order."""
        return list(self.query(ExercisePane))

    async def show_lesson(self, lesson: Lesson, *, number: int, total: int,
                          next_title: str | None, make_pane: PaneFactory,
                          notices: Sequence[str] = ()) -> None:
        """Replace the content with `lesson`, its exercises built by `make_pane`."""
        self.lesson = lesson
        widgets: list[Widget] = [Static(n, classes="problem-notice") for n in notices]
        widgets.append(Label(f"Lesson {number} of {total}: {lesson.title}", classes="lesson-title"))
        if lesson.objectives:
            widgets.append(Static(objectives_text(lesson.objectives), classes="objectives"))
        for index, segment in enumerate(lesson.segments):
            if index == 0 and isinstance(segment, MarkdownSegment):
                segment = MarkdownSegment(without_title(segment.text, lesson.title))
            widgets.append(self._segment_widget(segment, make_pane))
        widgets += self._ending(lesson, number, total, next_title)
        await self._replace(widgets)

    async def show_notice(self, text: str) -> None:
        """Show a single notice instead of a lesson (broken file, empty folder)."""
        self.lesson = None
        await self._replace([Static(text, classes="problem-notice")])

    def first_unfinished(self, finished: Collection[str]) -> ExercisePane | None:
        """The first pane whose exercise is neither passed nor skipped."""
        for pane in self.panes:
            exercise = getattr(pane, "exercise", None)
            if exercise is not None and exercise.key not in finished:
                return pane
        return None

    async def _replace(self, widgets: list[Widget]) -> None:
        await self.remove_children()
        await self.mount_all(widgets)
        self.scroll_home(animate=False)

    @staticmethod
    def _segment_widget(segment: MarkdownSegment | Exercise, make_pane: PaneFactory) -> Widget:
        if isinstance(segment, MarkdownSegment):
            return Markdown(segment.text, classes="lesson-text")
        return make_pane(segment)

    @staticmethod
    def _ending(lesson: Lesson, number: int, total: int, next_title: str | None) -> list[Widget]:
        widgets: list[Widget] = []
        recap = getattr(lesson, "recap", None)
        if recap:
            widgets.append(Markdown(f"**Recap.** {recap}", classes="recap"))
        if next_title:
            hint = f"Next: lesson {number + 1}, {next_title} (ctrl+n)."
        else:
            hint = "This is the last lesson. Well done!"
        widgets.append(Label(hint, classes="next-hint"))
        widgets.append(LessonNav(has_previous=number > 1, has_next=number < total))
        return widgets

    def on_button_pressed(self, event: Button.Pressed) -> None:
        """Turn the nav buttons into a NavRequested message for the screen."""
        if event.button.id in ("previous-lesson", "next-lesson"):
            event.stop()
            self.post_message(self.NavRequested(-1 if event.button.id == "previous-lesson" else 1))
