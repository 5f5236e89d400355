"""Start-up: the first frame is painted from the lesson index alone (no SymPy, no YAML, no
markdown parser), shows the lesson's opening, and the full lesson follows without redrawing it."""

from __future__ import annotations

import asyncio
import html
import json
import re
import subprocess
import sys
import unicodedata
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from textual.app import App, ComposeResult
from ui_testkit import wait_until

from tutor.lessons import load_lessons
from tutor.progress import ProgressStore
from tutor.ui.screens.main import TutorScreen
from tutor.ui.widgets import lesson_reader
from tutor.ui.widgets.lesson_reader import LessonReader, ObjectiveList, Prose

BUNDLED = Path(__file__).resolve().parents[2] / "lessons"

PROBE = r"""
import asyncio, json, sys
import textual.app as textual_app
from tutor.ui.app import TutorApp

seen = {}
original = textual_app.App._display
LOADED = ("sympy", "tutor.engine", "yaml", "markdown_it", "textual.widgets._markdown",
          "tutor.ui.widgets.exercise", "plotext")

def display(self, screen, renderable):
    if renderable is not None and not self._batch_count and "first_paint" not in seen:
        reader = screen.query_one("#reader")
        seen["first_paint"] = {
            "loaded": sorted(m for m in LOADED if m in sys.modules),
            "screen": type(screen).__name__,
            "header": str(screen.query_one("#header-progress").content),
            "reader": [type(w).__name__ for w in reader.blocks],
            "prose": [str(w.content) for w in reader.query("Prose")],
            "list": len(screen.query("LessonList")),
        }
    return original(self, screen, renderable)

textual_app.App._display = display

async def main():
    app = TutorApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await app.screen.loaded.wait()
        for _ in range(600):  # the warm-up starts after `loaded`: wait for it, up to 30 s
            if app.engine_ready:
                break
            await pilot.pause(0.05)
        seen["after_warm_up"] = {"sympy": "sympy" in sys.modules, "ready": app.engine_ready}

asyncio.run(main())
print(json.dumps(seen))
"""


def test_first_paint_needs_no_sympy_yaml_or_markdown(data_dir: Path, lessons_dir: Path) -> None:
    done = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True,
                          timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    first = seen["first_paint"]
    assert first["loaded"] == [] and first["screen"] == "TutorScreen"
    assert first["list"] == 0  # hidden at 80 columns, so mounted after the first paint
    assert first["header"] == "Lesson 1 of 3 - 0%"
    assert first["reader"] == ["Static", "ObjectiveList", "Prose"]
    assert first["prose"] == [
        "A machine learns by repeating three steps: predict, calculate the error, learn."]
    assert seen["after_warm_up"] == {"sympy": True, "ready": True}


async def test_the_rest_is_mounted_below_the_opening_without_redrawing_it(make_app: Any) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        assert isinstance(screen, TutorScreen)
        opening = screen.reader.blocks
        assert not screen.loaded.is_set() and screen.current.slug == "first-steps"
        await asyncio.wait_for(screen.loaded.wait(), timeout=30)
        await pilot.pause()
        children = screen.reader.blocks
        assert children[:len(opening)] == opening  # the same widgets, not drawn again
        assert [type(w).__name__ for w in children[len(opening):]][:1] == ["ExercisePane"]
        assert screen.full.is_set() and screen.reader.lesson is screen.current


async def test_keys_pressed_before_the_lessons_finish_loading_still_work(make_app: Any) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+n")  # at once: the first frame is all there is yet
        screen = app.screen
        await asyncio.wait_for(screen.full.wait(), timeout=30)
        await wait_until(pilot, lambda: screen.loaded.is_set() and screen.current.slug == "counting",
                         "lesson 2 being fully on screen")
        assert screen.current.slug == "counting" and screen.reader.lesson.slug == "counting"
        assert str(screen.query_one("#header-progress").content) == "Lesson 2 of 3 - 0%"


async def test_ctrl_l_at_once_on_a_narrow_terminal_opens_the_list(make_app: Any) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+l")
        screen = app.screen
        await asyncio.wait_for(screen.loaded.wait(), timeout=30)
        await pilot.pause()
        assert screen.lesson_list.display and screen.lesson_list.has_focus
        prompts = [str(option.prompt) for option in screen.lesson_list.options]
        assert prompts == ["▶ now   1. First steps", "· todo  2. Counting updates",
                           "· todo  3. Wrapping up"]


async def test_first_paint_resumes_the_stored_lesson(make_app: Any, data_dir: Path) -> None:
    store = ProgressStore.open(data_dir)
    store.set_current_lesson("counting")
    store.close()
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        title = screen.reader.query_one(".lesson-title")
        assert str(title.content) == "Lesson 2 of 3: Counting updates"
        await asyncio.wait_for(screen.loaded.wait(), timeout=30)
        await pilot.pause()
        assert screen.reader.lesson.slug == "counting"


class _ReaderApp(App[None]):
    """Just a reader, for comparing how the same lesson is drawn two ways."""

    CSS_PATH = Path(lesson_reader.__file__).parents[1] / "tutor.tcss"

    def compose(self) -> ComposeResult:
        yield LessonReader(id="reader")


async def _settle(pilot: Any) -> None:
    """Let layout, scroll bars and repaints finish before a screenshot."""
    for _ in range(3):
        await pilot.pause()
    await pilot.app.wait_for_refresh()


CELL = 12.2  # width of one cell in Textual's SVG screenshots
TEXT = re.compile(r'<text class="terminal-(?:\d+-)?(r\d+)" x="([\d.]+)" y="[\d.]+" '
                  r'textLength="[\d.]+" clip-path="url\(#terminal-(?:\d+-)?line-(\d+)\)">([^<]*)</text>')
RECT = re.compile(r'<rect fill="(#\w+)" x="([\d.]+)" y="([\d.]+)" width="([\d.]+)"')


def _cells(app: App[None]) -> dict[tuple[int, int], tuple[str, str]]:
    """What the screen shows, cell by cell: (character, style) for every visible character
    and (background, "bg") for every cell.

    (The SVG groups cells into text runs and rectangles, and that grouping may
    differ between two screens that look exactly the same.)
    """
    svg = app.export_screenshot()
    styles = dict(re.findall(r"\.terminal-(?:\d+-)?(r\d+) \{([^}]*)\}", svg))
    cells: dict[tuple[int, int], tuple[str, str]] = {}
    for cls, x, line, text in TEXT.findall(svg):
        col = round(float(x) / CELL)
        for char in html.unescape(text).replace("\xa0", " "):
            if not char.isspace():
                cells[(int(line), col)] = (char, styles.get(cls, ""))
            col += 2 if unicodedata.east_asian_width(char) in "WF" else 1
    assert cells, "no text found in the screenshot"
    for fill, x, y, width in RECT.findall(svg):
        start = round(float(x) / CELL)
        for col in range(start, start + round(float(width) / CELL)):
            cells[(-round(float(y)), col)] = (fill, "bg")
    return cells


@pytest.mark.parametrize("width", [80, 46])
async def test_prose_looks_exactly_like_markdown_in_every_bundled_lesson(
        width: int, monkeypatch: pytest.MonkeyPatch) -> None:
    # Only the first prose segment matters for the top of the screen (and is quicker).
    lessons = [replace(lesson, segments=lesson.segments[:1])
               for lesson in load_lessons(BUNDLED).lessons]
    app = _ReaderApp()
    drawn_with_prose = 0
    async with app.run_test(size=(width, 40)) as pilot:
        reader = app.query_one(LessonReader)
        for lesson in lessons:
            with monkeypatch.context() as patch:
                patch.setattr(lesson_reader, "split_opening", lambda text: ([], text, False))
                patch.setattr(lesson_reader, "inline_content", lambda text: None)
                await reader.show_lesson(lesson, number=lesson.number, total=len(lessons),
                                         next_title=None, make_pane=lambda ex: Prose("pane"))
                await _settle(pilot)
                markdown_only = _cells(app)
            reader.shelf.clear_except(set(), None)  # else the page just drawn is shown again
            await reader.show_lesson(lesson, number=lesson.number, total=len(lessons),
                                     next_title=None, make_pane=lambda ex: Prose("pane"))
            await _settle(pilot)
            page = reader.page
            drawn_with_prose += len(page.query(ObjectiveList)) + len(page.query(".lesson-prose"))
            assert _cells(app) == markdown_only, lesson.path.name
    assert drawn_with_prose >= 2 * len(lessons)  # the fast path really was taken
