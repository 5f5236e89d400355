"""Progress through the shell: every pane message reaches the store, and a restart resumes."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from textual.widgets import Static
from ui_testkit import lesson_pane, main_screen, ready, wait_until

from tutor.progress import ProgressStore
from tutor.ui.widgets.exercise import ExercisePane
from tutor.ui.widgets.tutor_header import TutorHeader



def _prompts(app: Any) -> list[str]:
    return [str(option.prompt) for option in main_screen(app).lesson_list.options]


async def test_a_pass_is_recorded_and_marks_the_lesson_done(make_app: Any, data_dir: Path) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        pane = lesson_pane(app, "first-run")
        pane.post_message(ExercisePane.Attempted(pane, "first-steps/first-run",
                                                 {"learning_rate": "1.5"}, False, "Too big."))
        await pilot.pause()
        assert _prompts(app)[0].startswith("▶ now")
        pane.post_message(ExercisePane.Attempted(pane, "first-steps/first-run",
                                                 {"learning_rate": "0.4"}, True, "Converged."))
        await pilot.pause()
        assert _prompts(app)[0] == "✓ done  1. First steps"
        header = main_screen(app).query_one(TutorHeader)
        assert str(header.progress_label.content) == "Lesson 1 of 3 - 33%"  # 1 of 3 exercises
    with ProgressStore.open(data_dir) as store:
        record = store.exercise("first-steps/first-run")
        assert (record.state, record.attempts) == ("done", 2)
        assert dict(record.last_inputs or {}) == {"learning_rate": "0.4"}


async def test_skip_and_hints_are_recorded(make_app: Any, data_dir: Path) -> None:
    app = make_app(lesson="counting")
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        pane = lesson_pane(app, "how-many")
        pane.post_message(ExercisePane.HintShown(pane, "counting/how-many", 1))
        pane.post_message(ExercisePane.Skipped(pane, "counting/how-many"))
        await pilot.pause()
        assert _prompts(app)[1] == "▶ now   2. Counting updates"  # one of two left
        await pilot.press("ctrl+b")  # left half done: the list says how far it got
        await wait_until(pilot, lambda: _prompts(app)[1].startswith("◐ 1/2"), "1/2 shown")
        assert _prompts(app)[1] == "◐ 1/2   2. Counting updates"
        await pilot.press("ctrl+n")
        await wait_until(pilot, lambda: _prompts(app)[1].startswith("▶ now"), "back on 2")
        other = lesson_pane(app, "which-way")
        other.post_message(ExercisePane.Skipped(other, "counting/which-way"))
        await pilot.pause()
        assert _prompts(app)[1] == "✓ done  2. Counting updates"
        header = main_screen(app).query_one(TutorHeader)
        assert str(header.progress_label.content) == "Lesson 2 of 3 - 0%"  # skips are not passes
    with ProgressStore.open(data_dir) as store:
        assert store.skipped() == ["counting/how-many", "counting/which-way"]
        assert store.exercise("counting/how-many").hints_shown == 1


async def test_restart_resumes_the_lesson_scrolled_to_unfinished_work(
        make_app: Any, data_dir: Path) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await pilot.press("ctrl+n")
        await pilot.pause()
        first = lesson_pane(app, "how-many")
        first.post_message(ExercisePane.Attempted(first, "counting/how-many", {"answer": "40"},
                                                  True, "Right."))
        second = lesson_pane(app, "which-way")
        second.post_message(ExercisePane.InputsChanged(second, "counting/which-way",
                                                       {"choice": "2"}))
        await pilot.pause()
        await pilot.press("ctrl+q")
    again = make_app()
    async with again.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await pilot.pause()
        screen = main_screen(again)
        assert screen.current.slug == "counting"
        pane = lesson_pane(again, "which-way")
        assert screen.reader.scroll_y > 0
        top = pane.region.y - screen.reader.region.y
        assert 0 <= top < screen.reader.region.height  # the pane's top is on screen
        assert top <= 1 or screen.reader.scroll_y == screen.reader.max_scroll_y


async def test_fresh_start_reads_from_the_top(make_app: Any) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await pilot.pause()
        assert main_screen(app).reader.scroll_y == 0


async def test_corrupt_store_is_moved_aside_with_a_notice(make_app: Any, data_dir: Path) -> None:
    (data_dir / "progress.db").write_bytes(b"this is not sqlite" * 100)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        notices = [n.message for n in app._notifications]  # noqa: SLF001
        assert any("moved" in text for text in notices), notices
        assert main_screen(app).current.slug == "first-steps"
    assert list(data_dir.glob("progress.db.corrupt-*"))


def _not_saved_notices(app: Any) -> list[str]:
    return [n.message for n in app._notifications  # noqa: SLF001
            if n.message.startswith("Progress is not being saved")]


async def test_a_store_that_cannot_be_opened_is_kept_and_the_header_says_so(
        make_app: Any, data_dir: Path) -> None:
    (data_dir / "progress.db").mkdir()  # root reads any file; a folder it cannot open
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        assert len(_not_saved_notices(app)) == 1
        label = main_screen(app).query_one(TutorHeader).progress_label
        assert str(label.content) == "Lesson 1 of 3 - 0% - not saved"
        assert label.has_class("-not-saved")
    assert (data_dir / "progress.db").is_dir() and not list(data_dir.glob("*.corrupt-*"))


async def test_a_write_failing_mid_session_is_told_once_and_the_session_goes_on(
        make_app: Any, data_dir: Path) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        assert _not_saved_notices(app) == []
        conn = app.store._conn  # noqa: SLF001 - a real SQLITE_FULL: the file may not grow
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
        conn.execute(f"PRAGMA max_page_count = {pages}")
        # The first failing write comes from a worker thread: told on the UI thread, once.
        await asyncio.to_thread(app.store.save_inputs, "other/key", {"pad": "x" * 20_000})
        await pilot.pause()
        pane = lesson_pane(app, "first-run")
        for rate in ("0.3" * 3000, "0.4"):
            pane.post_message(ExercisePane.Attempted(pane, "first-steps/first-run",
                                                     {"learning_rate": rate}, True, "Converged."))
            await pilot.pause()
        assert len(_not_saved_notices(app)) == 1
        assert "database or disk is full" in _not_saved_notices(app)[0]
        assert _prompts(app)[0] == "✓ done  1. First steps"  # shown, though not saved
        label = main_screen(app).query_one(TutorHeader).progress_label
        assert str(label.content) == "Lesson 1 of 3 - 33% - not saved"
    with ProgressStore.open(data_dir) as store:
        assert store.completed() == [] and store.warning is None


async def test_broken_lesson_is_a_notice_in_list_and_reader(make_app: Any,
                                                           broken_lessons_dir: Path) -> None:
    app = make_app(lessons_dir=broken_lessons_dir)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        assert _prompts(app)[-1] == "⚠ error 04-broken.md (not loaded)"
        page = main_screen(app).reader.page  # other lessons' pages may be kept, hidden
        notices = [str(w.content) for w in page.query(".problem-notice").results(Static)]
        assert len(notices) == 1 and "04-broken.md line 4 could not be loaded" in notices[0]
        screen = main_screen(app)
        screen.lesson_list.focus()
        await pilot.press("end", "enter")
        await pilot.pause()
        assert screen.current is None
        shown = [str(w.content) for w in screen.reader.query(Static)]
        assert any("04-broken.md" in text for text in shown)
        await pilot.press("ctrl+n")  # from the notice, next goes back to lesson 1
        await pilot.pause()
        assert screen.current is not None


async def test_lesson_option_opens_that_lesson(make_app: Any, data_dir: Path) -> None:
    app = make_app(lesson="wrap-up")
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        assert main_screen(app).current.slug == "wrap-up"
    with ProgressStore.open(data_dir) as store:
        assert store.current_lesson() == "wrap-up"


async def test_learner_name_and_last_seen_are_stamped(make_app: Any, data_dir: Path,
                                                     monkeypatch: Any) -> None:
    monkeypatch.setenv("GD_TUTOR_LEARNER", "ada")
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
    with ProgressStore.open(data_dir) as store:
        assert store.learner() == "ada" and store.last_seen() is not None
