"""The lesson reader: objectives, prose and exercise panes in reading order, then the recap."""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Button, Label, Markdown, Static

from tutor.lessons import Exercise, Lesson, MarkdownSegment

if TYPE_CHECKING:  # the pane module (and plotext) load after the first paint
    from tutor.ui.widgets.exercise import ExercisePane

HEAD_LINES = 16  # markdown lines painted before the rest of a lesson is mounted

# Builds the pane for one exercise (the screen supplies saved progress).
PaneFactory = Callable[[Exercise], Widget]


def objectives_text(objectives: Sequence[str]) -> str:
    """The "you will" list shown at the top of a lesson, as markdown."""
    items = "\n".join(f"- {item}" for item in objectives)
    return f"**In this lesson you will**\n\n{items}"


def without_title(text: str, title: str) -> str:
    """Drop a leading `# Title` heading that repeats the lesson title shown above it."""
    stripped = text.lstrip()
    first, _, rest = stripped.partition("\n")
    if first.startswith("# ") and first[2:].strip().lower() == title.strip().lower():
        return rest.lstrip("\n")
    return text


def split_markdown(text: str, lines: int) -> tuple[str, str]:
    """Split at the first blank line (outside code fences) after `lines` lines; ("", "") never."""
    rows = text.splitlines()
    fenced = False
    for index, row in enumerate(rows):
        if row.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
        elif index >= lines and not fenced and not row.strip():
            return "\n".join(rows[:index]), "\n".join(rows[index + 1:])
    return text, ""


def problem_text(path: Path | str, line: int | None, message: str) -> str:
    """One sentence naming a lesson file that failed to load and why."""
    where = Path(path).name + (f" line {line}" if line else "")
    return f"⚠ Lesson file {where} could not be loaded: {message}"


def _split_head(segments: list[MarkdownSegment | Exercise]) -> int:
    """How many segments to paint first: about a screenful of the opening prose.

    A long first segment is split in two (in place) at a paragraph break.
    """
    if segments and isinstance(segments[0], MarkdownSegment):
        first, rest = split_markdown(segments[0].text, HEAD_LINES)
        if rest.strip():
            segments[0:1] = [MarkdownSegment(first), MarkdownSegment(rest)]
            return 1
    for index, segment in enumerate(segments):
        if not isinstance(segment, MarkdownSegment):
            return index
    return len(segments)


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
        self._pending: Callable[[], list[Widget]] | None = None

    @property
    def panes(self) -> list[ExercisePane]:
        """The exercise panes of the lesson on show, in reading order."""
        return list(self.query("ExercisePane"))  # type: ignore[arg-type]

    async def show_lesson(self, lesson: Lesson, *, number: int, total: int,
                          next_title: str | None, make_pane: PaneFactory,
                          notices: Sequence[str] = (), head_only: bool = False) -> bool:
        """Replace the content with `lesson`, its exercises built by `make_pane`.

        With `head_only`, only the opening (notices, title, objectives and about
        a screenful of prose) is built and mounted, so it paints at once; True
        is returned when `mount_rest` still has work to do.
        """
        self.lesson = lesson
        self._pending = None
        widgets: list[Widget] = [Static(n, classes="problem-notice") for n in notices]
        widgets.append(Label(f"Lesson {number} of {total}: {lesson.title}", classes="lesson-title"))
        if lesson.objectives:
            widgets.append(Markdown(objectives_text(lesson.objectives), classes="objectives"))
        segments = list(lesson.segments)
        if segments and isinstance(segments[0], MarkdownSegment):
            segments[0] = MarkdownSegment(without_title(segments[0].text, lesson.title))
        cut = _split_head(segments) if head_only else len(segments)
        widgets += [self._segment_widget(seg, make_pane) for seg in segments[:cut]]
        ending = self._ending(lesson, number, total, next_title)
        if cut == len(segments):
            widgets += ending
        else:
            self._pending = lambda: [self._segment_widget(seg, make_pane)
                                     for seg in segments[cut:]] + ending
        await self._replace(widgets)
        return self._pending is not None

    async def mount_rest(self, lesson: Lesson) -> None:
        """Build and mount what `show_lesson(head_only=True)` held back, unless the lesson changed."""
        pending, self._pending = self._pending, None
        if pending is not None and self.lesson is lesson:
            await self.mount_all(pending())

    async def show_notice(self, text: str) -> None:
        """Show a single notice instead of a lesson (broken file, empty folder)."""
        self.lesson = None
        self._pending = None
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
