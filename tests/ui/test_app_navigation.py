"""Moving around the tutor with the keyboard and the mouse: Pilot tests on fixture lessons."""

from __future__ import annotations

from typing import Any

from textual.widgets import Button, Input
from ui_testkit import burst, count_restyles, main_screen, ready, use_palette, wait_until

from tutor.progress import ProgressStore
from tutor.ui.screens.help import HelpScreen
from tutor.ui.screens.main import TutorScreen
from tutor.ui.widgets.lesson_list import LessonList
from tutor.ui.widgets.tutor_header import TutorHeader


def _header(app: Any) -> str:
    header = main_screen(app).query_one(TutorHeader)
    return f"{header.lesson_label.content} | {header.progress_label.content}"


async def test_first_start_shows_lesson_one_and_progress(make_app: Any) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        assert main_screen(app).current.slug == "first-steps"
        assert _header(app) == "First steps | Lesson 1 of 3 - 0%"
        prompts = [str(o.prompt) for o in main_screen(app).lesson_list.options]
        assert prompts == ["▶ now   1. First steps", "· todo  2. Counting updates",
                           "· todo  3. Wrapping up"]


async def test_ctrl_n_and_ctrl_b_move_between_lessons(make_app: Any, data_dir: Any) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await pilot.press("ctrl+n")
        assert main_screen(app).current.slug == "counting"
        await pilot.press("ctrl+n", "ctrl+n")  # the second one is past the end: stays
        assert main_screen(app).current.slug == "wrap-up"
        assert _header(app).endswith("Lesson 3 of 3 - 0%")
        await pilot.press("ctrl+b")
        assert main_screen(app).current.slug == "counting"
    with ProgressStore.open(data_dir) as store:
        assert store.current_lesson() == "counting"


async def test_lesson_end_buttons_move_on(make_app: Any) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        screen = main_screen(app)
        assert not screen.query_one("#previous-lesson", Button).display  # none before lesson 1
        screen.query_one("#next-lesson", Button).press()
        await pilot.pause()
        assert screen.current.slug == "counting"
        screen.query_one("#previous-lesson", Button).press()
        await pilot.pause()
        assert screen.current.slug == "first-steps"


async def test_list_selection_with_keys_and_mouse(make_app: Any) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        screen = main_screen(app)
        screen.lesson_list.focus()
        await pilot.press("down", "down", "enter")
        await pilot.pause()
        assert screen.current.slug == "wrap-up"
        # Clicking the first row (y offset 0 inside the list) opens lesson 1.
        await pilot.click(LessonList, offset=(5, 0))
        await pilot.pause()
        assert screen.current.slug == "first-steps"


async def test_lesson_without_exercises_is_done_once_passed(make_app: Any) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("ctrl+n", "ctrl+n")
        await pilot.pause()
        prompts = [str(o.prompt) for o in main_screen(app).lesson_list.options]
        assert prompts[2].startswith("▶ now")
        assert prompts[1].startswith("· todo")  # its exercises are not done


async def test_palette_goes_to_a_lesson(make_app: Any) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await use_palette(pilot, "wrapping", "Wrapping up")
        await pilot.pause()
        assert main_screen(app).current.slug == "wrap-up"


async def test_f1_and_question_mark_open_help_listing_the_keys(make_app: Any) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        table = app.screen.query_one("#help-keys")
        rows = {tuple(line.text.split(None, 1)) for line in
                (table.render_line(y) for y in range(table.size.height))}
        rows = {(key, text.strip()) for key, text in (r for r in rows if len(r) == 2)}
        for row in [("^n", "Next lesson"), ("^b", "Prev lesson"), ("^l", "Lessons"),
                    ("f1", "Help"), ("^q", "Quit")]:
            assert row in rows
        await pilot.press("escape")
        assert isinstance(app.screen, TutorScreen)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)


async def test_question_mark_is_text_inside_an_input(make_app: Any) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        field = [i for i in main_screen(app).query(Input) if i.focusable][0]
        field.focus()
        await pilot.pause()
        assert app.focused is field
        before = field.value
        await pilot.press("end", "question_mark")
        await pilot.pause()
        assert isinstance(app.screen, TutorScreen)
        assert field.value == before + "?"


async def test_list_hidden_when_narrow_and_toggled_by_ctrl_l(make_app: Any) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        screen = main_screen(app)
        assert not screen.lesson_list.display
        await pilot.press("ctrl+l")
        assert screen.lesson_list.display and screen.lesson_list.has_focus
        await pilot.press("ctrl+l")
        assert not screen.lesson_list.display
        await pilot.resize_terminal(120, 40)
        await pilot.pause()
        assert screen.lesson_list.display


async def test_survives_resize_to_40x12_and_back(make_app: Any) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        screen = main_screen(app)
        await pilot.resize_terminal(40, 12)
        await pilot.pause()
        assert screen.reader.display and screen.reader.size.width > 30
        assert screen.query_one(TutorHeader).region.width == 40
        await pilot.press("ctrl+l")  # at 40 columns the open list takes the width
        await pilot.pause()
        assert screen.lesson_list.size.width >= 38 and not screen.reader.display
        await pilot.press("down", "enter")
        await pilot.pause()
        assert screen.current.slug == "counting" and screen.reader.display
        await pilot.resize_terminal(120, 40)
        await pilot.pause()
        assert screen.lesson_list.display and screen.reader.size.width > 60
        assert _header(app).startswith("Counting updates")


async def test_clicking_the_previous_button_at_a_lesson_end(make_app: Any) -> None:
    app = make_app(lesson="wrap-up")
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        assert await pilot.click("#previous-lesson")
        await ready(pilot)
        assert main_screen(app).current.slug == "counting"


async def test_palette_offers_lessons_playground_reset_and_theme(make_app: Any) -> None:
    from tutor.ui.palette import PaletteProvider

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        provider = PaletteProvider(app.screen)
        titles = [title for title, _, _ in provider._commands()]  # noqa: SLF001
        assert titles == ["Go to lesson 1: First steps", "Go to lesson 2: Counting updates",
                          "Go to lesson 3: Wrapping up", "Playground", "Reset exercise"]
        assert "Theme" in [c.title for c in app.get_system_commands(app.screen)]
        app.theme = "textual-light"  # the light theme keeps the screen working
        await pilot.pause()
        assert app.current_theme.dark is False and main_screen(app).current.slug == "first-steps"


async def test_palette_keeps_only_gd_tutors_commands_in_its_words(make_app: Any) -> None:
    """No "Maximize the focused widget" or "Quit the application as soon as possible"."""
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        shown = {c.title: c.help for c in app.get_system_commands(app.screen)}
        assert shown == {"Theme": "Switch between the dark and light colours",
                         "Quit": "Leave gd-tutor (your progress is saved)"}


async def test_help_names_ctrl_y_show_the_python(make_app: Any) -> None:
    from tutor.ui.screens.help import collect_keys

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        rows = {row.key: row.description for row in collect_keys(app, app.screen)}
        assert rows.get("^y") == "Show the Python (in an exercise)"


async def test_ctrl_l_restyles_the_list_and_the_reader_not_the_lesson(make_app: Any) -> None:
    """Opening or closing the list set a class on the screen, which restyled every widget
    of every lesson page (~0.5 s); only the two widgets its rules style are restyled."""
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        screen = main_screen(app)
        restyled = count_restyles(app)
        await pilot.press("ctrl+l")
        assert screen.lesson_list.display and screen.has_class("list-open")
        await pilot.press("ctrl+l")
        assert not screen.lesson_list.display and not screen.has_class("list-open")
        widgets = len(list(screen.reader.walk_children()))
        assert widgets > 40 and max(restyled) < widgets // 2, (widgets, restyled)


async def test_a_lesson_chosen_from_the_list_shows_its_first_screen_before_the_rest(
        make_app: Any) -> None:
    """Chosen from the list, a lesson was built whole before anything was painted (0.5-1 s
    for a long one): its first screen is painted first now, and keys typed meanwhile wait
    for it."""
    from textual.app import App

    app = make_app(lesson="wrap-up")  # the last lesson: no page of lesson 2 is built ahead
    seen: list[tuple[str | None, int]] = []  # (lesson on show, its page's widgets) per paint
    display = App._display

    def painted(self: Any, screen: Any, renderable: Any) -> None:
        if isinstance(screen, TutorScreen) and screen.reader.page is not None:
            seen.append((getattr(screen.current, "slug", None),
                         len(screen.reader.page.children)))
        display(self, screen, renderable)

    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await pilot.press("ctrl+l")
        screen = main_screen(app)
        assert len(list(screen.reader.children)) == 1  # only wrap-up's page: counting is new
        screen.lesson_list.highlighted = 1  # lesson 2, counting
        App._display = painted  # type: ignore[method-assign]
        try:
            burst(app, "enter", "f3")  # f3 typed at once: it belongs to the new lesson
            await wait_until(pilot, lambda: app.focused is not None
                             and app.focused.id == "field-answer", "f3 in the new lesson")
        finally:
            App._display = display  # type: ignore[method-assign]
        assert screen.current.slug == "counting"
        whole = len(screen.reader.page.children)
        counts = [count for slug, count in seen if slug == "counting"]
        assert counts and counts[0] < whole, (counts, whole)


async def test_two_lessons_chosen_at_once_open_in_turn_and_the_last_stays(make_app: Any) -> None:
    """Two clicks on the list while the first lesson loads: both open, in order, the last
    one stays on show, and keys are taken again afterwards."""
    app = make_app(lesson="wrap-up")
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        screen = main_screen(app)
        screen.lesson_list.post_message(LessonList.LessonChosen("first-steps"))
        screen.lesson_list.post_message(LessonList.LessonChosen("counting"))
        await wait_until(pilot, lambda: screen.current.slug == "counting" and screen.takes_keys,
                         "the second lesson on show, keys taken")
        await pilot.pause()
        assert screen.current.slug == "counting" and screen.reader.page is not None
        assert [pane.key for pane in screen.reader.panes] == [
            "counting/how-many", "counting/which-way"]
