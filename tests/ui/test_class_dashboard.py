"""`gd-tutor class`: the live dashboard shows who is stuck and the shared mistake within 2 s,
drills into a learner, fits 80x24, and never writes a learner's store."""

from __future__ import annotations

import time
from pathlib import Path

from textual.widgets import DataTable, Static

from tutor.commands.teacher import class_reader, lesson_keys
from tutor.progress import ProgressStore
from tutor.serve.insight import StuckRule
from tutor.ui.class_dashboard import ClassDashboard, LearnerAttempts, mistake_lines

KEY = "linear-regression/fit-anscombe"


def fail(data_dir: Path, name: str, times: int, diagnosis: str = "diverged_oscillating") -> None:
    with ProgressStore.open(data_dir / "learners" / name) as store:
        store.set_current_lesson(KEY.split("/")[0])
        for n in range(times):
            store.record_attempt(KEY, {"learning_rate": str(2 + n)}, False, diagnosis, "No.")


def _tree(folder: Path) -> dict[str, tuple[int, int]]:
    return {str(p.relative_to(folder)): (p.stat().st_size, p.stat().st_mtime_ns)
            for p in sorted(folder.rglob("*"))}


def _text(app: ClassDashboard, selector: str) -> str:
    return str(app.query_one(selector, Static).content)


async def test_dashboard_live_stuck_mistakes_and_drill_down(tmp_path: Path) -> None:
    fail(tmp_path, "ann", 3)
    fail(tmp_path, "bob", 1)
    lessons = lesson_keys()
    column = 1 + [slug for slug, _ in lessons].index(KEY.split("/")[0])
    app = ClassDashboard(class_reader(tmp_path, lessons, StuckRule()), interval=0.2)
    before = _tree(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        end = time.monotonic() + 10
        while app.refreshes < 3 and time.monotonic() < end:
            await pilot.pause(0.05)
        assert _tree(tmp_path) == before  # three reads wrote, created and moved nothing
        grid = app.query_one("#grid", DataTable)
        assert [grid.get_row_at(i)[0].strip() for i in range(grid.row_count)] == ["ann", "bob"]
        assert (grid.get_row_at(0)[column], grid.get_row_at(1)[column]) == (" !", " >")
        number = str(column)
        assert f" ann        {number}/fit-anscombe     3x" in _text(app, "#stuck")
        assert f"   2 {number}/fit-anscombe: diverged_oscillating" in _text(app, "#mistakes")
        fail(tmp_path, "bob", 2)  # a learner writes while the dashboard reads: not locked out
        fail(tmp_path, "cat", 1)
        seen_by = time.monotonic() + 2
        while " bob " not in _text(app, "#stuck") and time.monotonic() < seen_by:
            await pilot.pause(0.05)
        assert f" bob        {number}/fit-anscombe     3x" in _text(app, "#stuck")
        assert f"   3 {number}/fit-anscombe: diverged_oscillating" in _text(app, "#mistakes")
        await pilot.press("down", "enter")
        await pilot.pause()
        assert isinstance(app.screen, LearnerAttempts)
        shown = str(app.screen.query_one("#attempts", Static).content)
        assert shown.startswith("bob: 3 attempts") and "learning_rate=3" in shown
        await pilot.press("escape")
        assert not isinstance(app.screen, LearnerAttempts)


async def test_dashboard_on_an_empty_class(tmp_path: Path) -> None:
    app = ClassDashboard(class_reader(tmp_path, [], StuckRule()), interval=0.2)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert _text(app, "#stuck") == "Stuck: nobody."
        await pilot.press("enter")
        assert not isinstance(app.screen, LearnerAttempts)


async def test_an_unreadable_store_is_a_row_of_question_marks(tmp_path: Path) -> None:
    (tmp_path / "learners" / "cat" / "progress.db").mkdir(parents=True)
    app = ClassDashboard(class_reader(tmp_path, [("a", ["a/x"]), ("b", [])], StuckRule()))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.query_one("#grid", DataTable).get_row_at(0)[:3] == [" cat", " ?", " ?"]


def test_a_shared_answer_without_diagnosis_is_shown_as_the_answer() -> None:
    view = {"lessons": ["learning-rate"], "common_mistakes": [
        {"lesson": "learning-rate", "exercise": "boundary", "diagnosis": None,
         "answer": "answer=0.5\x1b[2J", "learners": 4, "attempts": 5},
        {"lesson": "learning-rate", "exercise": "boundary", "diagnosis": "answer_off",
         "answer": None, "learners": 2, "attempts": 2}]}
    assert mistake_lines(view).splitlines()[1:] == ["   4 1/boundary: typed answer=0.5?[2J",
                                                    "   2 1/boundary: answer_off"]


async def test_a_long_stuck_list_says_how_many_more_within_the_panel(tmp_path: Path) -> None:
    for number in range(10):
        fail(tmp_path, f"l{number:02d}", 3)
    app = ClassDashboard(class_reader(tmp_path, lesson_keys(), StuckRule()))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        panel = app.query_one("#stuck", Static)
        lines = _text(app, "#stuck").splitlines()
        assert lines[0].startswith("Stuck (10)") and lines[-1] == " ... and 4 more"
        assert len(lines) <= panel.content_region.height  # the last line is on the screen


async def test_seventeen_lessons_and_a_long_name_fit_80_columns(tmp_path: Path) -> None:
    lessons = [(f"lesson-{n}", [f"lesson-{n}/x"]) for n in range(1, 18)]
    fail(tmp_path, "a-very-long-name-32-characters-x", 1)
    app = ClassDashboard(class_reader(tmp_path, lessons, StuckRule()))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        grid = app.query_one("#grid", DataTable)
        assert grid.virtual_size.width <= grid.scrollable_content_region.width
        labels = [str(column.label).strip() for column in grid.columns.values()]
        assert labels == ["learner", *map(str, range(1, 18)), "hints", "skips"]
        assert [str(cell).strip() for cell in grid.get_row_at(0)][-2:] == ["0", "0"]
