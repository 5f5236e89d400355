"""The lesson reader: objectives, prose and exercise panes in reading order, then the recap.

The title, objectives and opening paragraphs are drawn as `Prose` (a safe subset
of markdown: text, `**strong**`, `*em*`, `` `code` ``) without the markdown
parser, styled exactly like Textual's Markdown; so the first screen paints from
`scan_lessons` alone, before markdown-it or any lesson YAML is loaded. The rest of
the lesson is Markdown and exercise panes, mounted after.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable, Collection, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content, Span
from textual.geometry import Size
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Button, Static

from tutor.lessons import Exercise, Lesson, MarkdownSegment
from tutor.ui.textual_compat import FocusRestylesSelf
from tutor.ui.widgets.lesson_pages import LessonPage, PageShelf, page_key

if TYPE_CHECKING:  # the pane module (and plotext) load after the first paint
    from tutor.ui.widgets.exercise import ExercisePane

# Builds the pane for one exercise (the screen supplies saved progress).
PaneFactory = Callable[[Exercise], Widget]

# Markdown whose meaning `inline_content` does not reproduce: escapes, links, html and
# entities, tables, strike-through, and anything linkify would turn into a link.
_UNSAFE = re.compile(r"[\\\[\]|@$]|~~|<[A-Za-z/!?]|&[#A-Za-z]|\.[A-Za-z]|://|www")
_INLINE = re.compile(r"`(?P<code>[^`\s](?:[^`]*[^`\s])?)`"
                     r"|(?P<mark>\*\*|\*|_)(?P<text>[A-Za-z0-9](?:[^*_`]*[A-Za-z0-9])?)(?P=mark)")
_BEFORE = " (\"'"  # what may stand before an opening * or _
_AFTER = " .,;:!?)\"'"  # what may follow a closing * or _
_STYLES = {"**": ".strong", "*": ".em", "_": ".em"}
# Lines that start a block other than a paragraph (or a hard line break at the end).
_HEADING = re.compile(r" {0,3}#{1,6}(?:[ \t]|$)")
_BLOCK_LINE = re.compile(r" {0,3}(?:[#>+<=|]|[-*_] ?|\d+[.)](?: |$)|```|~~~)| {4}|.*  $")


def inline_content(text: str) -> Content | None:
    """One paragraph as Content with the spans Textual's Markdown gives it, or None if unsure."""
    flat = " ".join(line.strip() for line in text.splitlines())
    if not flat or _UNSAFE.search(flat):
        return None
    plain: list[str] = []
    spans: list[Span] = []
    position = done = 0
    for match in _INLINE.finditer(flat):
        if not _flanked(flat, match):
            continue
        before = _literal(flat[done:match.start()])
        if before is None:
            return None
        inner = match.group("code") or match.group("text")
        plain += [before, inner]
        position += len(before)
        style = ".code_inline" if match.group("code") else _STYLES[match.group("mark")]
        spans.append(Span(position, position + len(inner), style))
        position += len(inner)
        done = match.end()
    tail = _literal(flat[done:])
    return None if tail is None else Content("".join(plain) + tail, spans=spans)


def _flanked(text: str, match: re.Match[str]) -> bool:
    if match.group("code"):
        return True
    start, end = match.start(), match.end()
    return ((start == 0 or text[start - 1] in _BEFORE)
            and (end == len(text) or text[end] in _AFTER))


def _literal(text: str) -> str | None:
    """Plain text between spans (whitespace collapsed); None if a marker is left in it.

    A lone `*` or `_` with space on both sides, or `_` inside a word, is literal.
    """
    loose = re.sub(r"(?<=[A-Za-z0-9])_(?=[A-Za-z0-9])", "", text)
    if "`" in text or re.search(r"(?<!\s)[*_]|[*_](?!\s)", loose):
        return None
    return re.sub(r"\s+", " ", text)


def split_opening(text: str) -> tuple[list[str], str, bool]:
    """The leading paragraphs `Prose` can draw, the markdown after them (as written), and
    whether that starts with a heading (which brings its own top margin)."""
    text = text.strip("\n")
    paragraphs: list[str] = []
    position = 0
    for gap in re.finditer(r"\n(?:[ \t]*\n)+|$", text):
        block = text[position:gap.start()]
        if ("{{" in block or any(_BLOCK_LINE.match(line) for line in block.splitlines())
                or inline_content(block) is None):
            break
        paragraphs.append(block)
        position = gap.end()
        if gap.start() == len(text):
            break
    rest = text[position:]
    return paragraphs, rest, bool(_HEADING.match(rest))


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


def problem_text(path: Path | str, line: int | None, message: str) -> str:
    """One sentence naming a lesson file that failed to load and why."""
    where = Path(path).name + (f" line {line}" if line else "")
    return f"⚠ Lesson file {where} could not be loaded: {message}"


class Prose(Static):
    """A paragraph drawn from `inline_content`, looking like a Markdown paragraph."""

    COMPONENT_CLASSES = {"em", "strong", "s", "code_inline"}


class ObjectiveList(Widget):
    """"In this lesson you will" and a bullet per objective, in one widget (one style pass).

    It lays out like Textual's Markdown bullet list: the text of an item wraps
    under itself, two cells in from the bullet.
    """

    COMPONENT_CLASSES = {"bullet", "em", "strong", "s", "code_inline"}
    HEADING = "In this lesson you will"

    def __init__(self, items: Sequence[Content], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._items = list(items)

    def lines(self, width: int) -> list[Content]:
        """Every line of the list wrapped to `width` cells."""
        lines = [Content(self.HEADING, spans=[Span(0, len(self.HEADING), ".strong")])]
        for item in self._items:
            for index, line in enumerate(item.wrap(max(1, width - 2))):
                lead = Content("• ", spans=[Span(0, 2, ".bullet")]) if index == 0 else "  "
                lines.append(lead + line)
        return lines

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        """As many rows as the wrapped lines."""
        return len(self.lines(width))

    def render(self) -> Content:
        """The wrapped lines for the current width."""
        return Content("\n").join(self.lines(self.size.width))


def objectives_widget(objectives: Sequence[str]) -> Widget:
    """The boxed "In this lesson you will" list (Markdown only if an item needs it)."""
    items = [inline_content(item) for item in objectives]
    if any(item is None for item in items):
        from textual.widgets import Markdown

        return Markdown(objectives_text(objectives), classes="objectives")
    return ObjectiveList([item for item in items if item is not None], classes="objectives")


def opening_widgets(title: str, objectives: Sequence[str], paragraphs: Sequence[str],
                    before_heading: bool, *, number: int, total: int,
                    notices: Sequence[str] = ()) -> list[Widget]:
    """Notices, the lesson title, its objectives and the opening paragraphs."""
    widgets: list[Widget] = [Static(n, classes="problem-notice") for n in notices]
    widgets.append(Static(f"Lesson {number} of {total}: {title}", classes="lesson-title"))
    if objectives:
        widgets.append(objectives_widget(objectives))
    for index, paragraph in enumerate(paragraphs):
        last = index == len(paragraphs) - 1
        widgets.append(Prose(inline_content(paragraph) or paragraph, classes="lesson-prose"
                             + (" before-heading" if last and before_heading else "")))
    return widgets


def _show_rest(page: LessonPage, shown: bool) -> None:
    """Display (or hide) the widgets of `page` below its first screen."""
    for widget in page.rest():
        widget.display = shown


class LessonNav(Horizontal):
    """Previous / next buttons at the end of a lesson."""

    def __init__(self, has_previous: bool, has_next: bool) -> None:
        super().__init__(id="lesson-nav")
        self._has_previous = has_previous
        self._has_next = has_next

    def compose(self) -> ComposeResult:
        """A button each way; the missing direction is hidden (no "Next" on the last lesson).
        They are for the mouse: Tab never stops on them (Enter there would leave the lesson
        by accident); each names its key (no ▶, which marks the field holding the cursor)."""
        for button, there in ((Button("Previous lesson ^b", id="previous-lesson"),
                               self._has_previous),
                              (Button("Next lesson ^n", id="next-lesson", variant="primary"),
                               self._has_next)):
            button.can_focus = False
            button.display, button.disabled = there, not there  # hidden where there is none
            yield button


class LessonReader(FocusRestylesSelf, VerticalScroll):
    """Scrolls through one lesson; exercise panes sit inside the prose. A focus change
    restyles the reader alone, not its pages (`FocusRestylesSelf`): no rule may style what
    it holds by the reader's focus."""

    class NavRequested(Message):
        """The learner pressed a previous (-1) or next (+1) lesson button."""

        def __init__(self, step: int) -> None:
            super().__init__()
            self.step = step

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.lesson: Lesson | None = None
        self._opening: tuple[Any, ...] | None = None  # what `show_opening` drew
        self._page: LessonPage | None = None
        self.shelf = PageShelf()
        self._building: dict[str, tuple[tuple[Any, ...], asyncio.Event]] = {}  # by `prepare`

    @property
    def page(self) -> LessonPage | None:
        """The page on show (hidden pages of other lessons may sit after it)."""
        return self._page

    @property
    def blocks(self) -> list[Widget]:
        """The widgets of the page on show, top to bottom."""
        return list(self._page.children) if self._page is not None else []

    @property
    def panes(self) -> list[ExercisePane]:
        """The exercise panes of the lesson on show, in reading order."""
        if self._page is None:
            return []
        return list(self._page.query("ExercisePane"))  # type: ignore[arg-type]

    async def show_opening(self, title: str, objectives: Sequence[str], markdown: str, *,
                           number: int, total: int, notices: Sequence[str] = ()) -> None:
        """Draw only the opening of a lesson from its raw `markdown` (no parser, no YAML).

        `continue_lesson` adds the rest once the lesson is fully loaded.
        """
        paragraphs, _, before_heading = split_opening(without_title(markdown, title))
        self.lesson = None
        self._opening = (title, tuple(objectives), tuple(paragraphs), number, total,
                         tuple(notices))
        await self._replace(opening_widgets(title, objectives, paragraphs, before_heading,
                                            number=number, total=total, notices=notices))

    async def continue_lesson(self, lesson: Lesson, *, number: int, total: int,
                              next_title: str | None, make_pane: PaneFactory,
                              notices: Sequence[str] = ()) -> None:
        """Mount the rest of `lesson` below its opening; redraw all if the opening differs."""
        paragraphs, rest, _ = self._parts(lesson)
        drawn = (lesson.title, lesson.objectives, tuple(paragraphs), number, total,
                 tuple(notices))
        if self._opening != drawn:
            await self.show_lesson(lesson, number=number, total=total, next_title=next_title,
                                   make_pane=make_pane, notices=notices)
            return
        self.lesson = lesson
        self._opening = None
        page = self._page
        await self._add(self._rest_widgets(lesson, rest, number, total, next_title, make_pane))
        if page is not None:
            if rest and isinstance(rest[0], MarkdownSegment):
                page.first += 1  # the prose after the opening is part of the first screen
            await self._shelve(lesson.slug, page,
                               page_key(lesson, number, total, next_title, notices))

    async def show_lesson(self, lesson: Lesson, *, number: int, total: int,
                          next_title: str | None, make_pane: PaneFactory,
                          notices: Sequence[str] = (),
                          on_shown: Callable[[], object] | None = None) -> None:
        """Replace the content with `lesson`, its exercises built by `make_pane`.

        A page already built for it (on the shelf) is shown at once. Otherwise the first
        screen (opening and the prose after it) is mounted on a new page and painted
        before the old page goes (or is hidden, if shelved) and the rest is built below.
        `on_shown` runs once the new page is in place, before that paint (the header is
        updated then: any widget's update before it made Textual lay out the whole old
        page once more, the header's took 4-9 ms)."""
        key = page_key(lesson, number, total, next_title, notices)
        building = self._building.get(lesson.slug)
        if building is not None and building[0] == key:  # half built already: finish it
            await building[1].wait()
        self.lesson = lesson
        self._opening = None
        ready = self.shelf.ready(lesson.slug, key)
        if ready is not None:  # its rest is hidden (see `_fold`): laid out after the paint
            old = self._show_page(ready)
            if on_shown is not None:
                on_shown()
            await self._painted()
            _show_rest(ready, True)
            await self._release(old)
            return
        paragraphs, rest, before_heading = self._parts(lesson)
        first = len(rest) > 0 and isinstance(rest[0], MarkdownSegment)
        widgets = opening_widgets(lesson.title, lesson.objectives, paragraphs, before_heading,
                                  number=number, total=total, notices=notices)
        if first:
            widgets.append(self._segment_widget(rest[0], make_pane))
        old = await self._new_page(widgets)  # its first screen: these widgets
        page = self._page
        if on_shown is not None:
            on_shown()
        await self._painted()  # the new lesson's first screen shows before the rest is built
        await self._release(old)
        if self.lesson is lesson and page is self._page and page is not None:
            await self._add(self._rest_widgets(lesson, rest[1:] if first else rest, number,
                                               total, next_title, make_pane))
            await self._shelve(lesson.slug, page, key)

    async def prepare(self, lesson: Lesson, *, number: int, total: int,
                      next_title: str | None, make_pane: PaneFactory,
                      notices: Sequence[str] = ()) -> None:
        """Build `lesson`'s page hidden, so that showing it later is a swap (no-op if built)."""
        key = page_key(lesson, number, total, next_title, notices)
        if self.shelf.ready(lesson.slug, key) is not None or self.lesson is lesson:
            return
        paragraphs, rest, before_heading = self._parts(lesson)
        widgets = opening_widgets(lesson.title, lesson.objectives, paragraphs, before_heading,
                                  number=number, total=total, notices=notices)
        first = len(widgets) + (1 if rest and isinstance(rest[0], MarkdownSegment) else 0)
        below = self._rest_widgets(lesson, rest, number, total, next_title, make_pane)
        page = LessonPage(*widgets, *below, first=first)
        page.display = False
        for widget in [*widgets, *below][first:]:  # shown after its first paint (show_lesson)
            widget.display = False
        done = asyncio.Event()
        self._building[lesson.slug] = (key, done)
        try:
            await self._mount_hidden(page, lesson.slug, key)
        finally:
            self._building.pop(lesson.slug, None)
            done.set()  # a show_lesson waiting for this page goes on

    async def _mount_hidden(self, page: LessonPage, slug: str, key: tuple[Any, ...]) -> None:
        try:
            await self.mount(page)
        except asyncio.CancelledError:  # the learner moved on: this page is not wanted
            page.remove()
            raise
        if (self.lesson is not None and self.lesson.slug == slug) or not page.is_attached:
            await page.remove()  # shown meanwhile, so built twice
            return
        await self._shelve(slug, page, key)

    async def keep_only(self, slugs: Collection[str]) -> None:
        """Remove the hidden pages of lessons not in `slugs`."""
        for page in self.shelf.clear_except(slugs, self._page):
            await page.remove()

    def _show_page(self, page: LessonPage) -> LessonPage | None:
        """Display `page` instead of the page on show (returned, now hidden)."""
        old, self._page = self._page, page
        if old is not None and old is not page:
            old.display = False
        if page.is_attached and self.children and self.children[0] is not page:
            self.move_child(page, before=0)  # first in the DOM: queries find it first
        page.display = True
        self.scroll_home(animate=False)
        return old if old is not page else None

    async def _shelve(self, slug: str, page: LessonPage, key: tuple[Any, ...]) -> None:
        replaced = self.shelf.keep(slug, page, key)
        if replaced is not None and replaced is not self._page:
            await replaced.remove()

    async def _release(self, page: LessonPage | None) -> None:
        """A page no longer on show: kept hidden if shelved (its rest hidden too, so that
        showing it again lays out only its first screen before the paint), else removed."""
        if page is None or page is self._page:
            return
        if self.shelf.holds(page):
            _show_rest(page, False)
        else:
            await page.remove()

    async def _painted(self) -> None:
        """Wait until the screen has been refreshed once (not when the screen's own task is
        the one waiting: it could not refresh until this returns)."""
        if asyncio.current_task() is getattr(self.screen, "_task", None):
            return
        painted = asyncio.Event()
        self.call_after_refresh(painted.set)
        await painted.wait()

    @staticmethod
    def _parts(lesson: Lesson) -> tuple[list[str], list[MarkdownSegment | Exercise], bool]:
        """The opening paragraphs, the segments after them, and if a heading comes next."""
        segments = list(lesson.segments)
        if not segments or not isinstance(segments[0], MarkdownSegment):
            return [], segments, False
        paragraphs, rest, heading = split_opening(without_title(segments[0].text, lesson.title))
        tail = [MarkdownSegment(rest, segments[0].line)] if rest.strip() else []
        return paragraphs, tail + segments[1:], heading

    def _rest_widgets(self, lesson: Lesson, segments: Sequence[MarkdownSegment | Exercise],
                      number: int, total: int, next_title: str | None,
                      make_pane: PaneFactory) -> list[Widget]:
        widgets = [self._segment_widget(segment, make_pane) for segment in segments]
        return widgets + self._ending(lesson, number, total, next_title)

    async def show_notice(self, text: str) -> None:
        """Show a single notice instead of a lesson (broken file, empty folder)."""
        self.lesson = None
        self._opening = None
        await self._replace([Static(text, classes="problem-notice")])

    def first_unfinished(self, finished: Collection[str]) -> ExercisePane | None:
        """The first pane whose exercise is neither passed nor skipped."""
        for pane in self.panes:
            exercise = getattr(pane, "exercise", None)
            if exercise is not None and exercise.key not in finished:
                return pane
        return None

    async def _replace(self, widgets: list[Widget]) -> None:
        await self._release(await self._new_page(widgets))

    async def _new_page(self, widgets: list[Widget]) -> LessonPage | None:
        """Show `widgets` on a new page; the old page (returned) is hidden, not yet removed."""
        page = LessonPage(*widgets)
        old = self._show_page(page)
        await self.mount(page, before=0 if self.children else None)
        self.scroll_home(animate=False)
        return old

    async def _add(self, widgets: list[Widget]) -> None:
        """Mount `widgets` at the end of the page on show."""
        if self._page is None:
            await self._new_page(widgets)
        else:
            await self._page.mount_all(widgets)

    @staticmethod
    def _segment_widget(segment: MarkdownSegment | Exercise, make_pane: PaneFactory) -> Widget:
        if isinstance(segment, MarkdownSegment):
            from textual.widgets import Markdown

            return Markdown(segment.text, classes="lesson-text")
        return make_pane(segment)

    @staticmethod
    def _ending(lesson: Lesson, number: int, total: int, next_title: str | None) -> list[Widget]:
        widgets: list[Widget] = []
        recap = getattr(lesson, "recap", None)
        if recap:
            from textual.widgets import Markdown

            widgets.append(Markdown(f"**Recap.** {recap}", classes="recap"))
        if next_title:
            hint = f"Next: lesson {number + 1}, {next_title} (^n)."
        else:
            hint = "This is the last lesson. Well done!"
        widgets.append(Static(hint, classes="next-hint"))
        widgets.append(LessonNav(has_previous=number > 1, has_next=number < total))
        return widgets

    def on_button_pressed(self, event: Button.Pressed) -> None:
        """Turn the nav buttons into a NavRequested message for the screen."""
        if event.button.id in ("previous-lesson", "next-lesson"):
            event.stop()
            self.post_message(self.NavRequested(-1 if event.button.id == "previous-lesson" else 1))
