"""Flow at the keyboard: one key to the next exercise, focus seen without colour, resume
puts the cursor back, and bursts of keys land where they were aimed (issue 12)."""

from __future__ import annotations

import asyncio
from typing import Any

from textual.widgets import Button, Input, Label, OptionList

from ui_testkit import burst, count_restyles, keys_ready, main_screen, wait_until

from tutor.progress import ProgressStore
from tutor.ui.screens.help import collect_keys
from tutor.ui.screens.main import TutorScreen
from tutor.ui.widgets.exercise import ExercisePane

def _pane_of_focus(app: Any) -> ExercisePane | None:
    node = app.focused
    while node is not None and not isinstance(node, ExercisePane):
        node = node.parent
    return node


async def test_f3_and_f2_move_between_exercises_and_focus_the_first_field(make_app: Any) -> None:
    app = make_app(lesson="counting")
    async with app.run_test(size=(80, 24)) as pilot:
        await keys_ready(pilot)
        await pilot.press("f3")
        assert app.focused.id == "field-answer"
        assert _pane_of_focus(app).key == "counting/how-many"
        await pilot.press("f3")
        assert isinstance(app.focused, OptionList) and _pane_of_focus(app).key == "counting/which-way"
        reader = main_screen(app).reader
        assert reader.scroll_y > 0  # scrolled so the exercise is on screen
        await pilot.press("f3")  # past the last one: stays, and says how to go on
        assert _pane_of_focus(app).key == "counting/which-way"
        assert any("^n" in n.message for n in app._notifications)
        await pilot.press("f2")
        assert app.focused.id == "field-answer"


async def test_enter_after_a_pass_moves_on_and_changed_inputs_run_again(make_app: Any) -> None:
    app = make_app(lesson="counting")
    async with app.run_test(size=(80, 24)) as pilot:
        await keys_ready(pilot)
        await pilot.press("f3", "4", "0", "enter")
        pane = _pane_of_focus(app)
        await wait_until(pilot, lambda: "PASS" in pane.status.check_text)
        assert "Enter: next exercise" in pane.status.check_text
        await pilot.press("enter")
        assert _pane_of_focus(app).key == "counting/which-way"
        await pilot.press("f2", "backspace", "1", "enter")  # 41: changed, so Enter checks
        assert _pane_of_focus(app).key == "counting/how-many"
        await wait_until(pilot, lambda: "NOT YET" in pane.status.check_text)
        await pilot.press("enter")  # not passed: Enter checks again, does not move on
        assert _pane_of_focus(app).key == "counting/how-many"


async def test_focus_is_marked_without_colour(make_app: Any) -> None:
    app = make_app(lesson="first-steps")
    async with app.run_test(size=(80, 24)) as pilot:
        await keys_ready(pilot)
        await pilot.press("f3")
        pane = _pane_of_focus(app)
        label = app.focused.parent.query_one(Label)
        assert str(label.content).startswith("▶")
        await pilot.press("tab")
        assert app.focused.id == "run-button"
        assert str(app.focused.label).startswith("▶")
        assert not str(label.content).startswith("▶")
        assert pane.query_one("#run-button", Button) is app.focused
        await pilot.press("shift+tab")  # marked again when the cursor comes back
        assert str(label.content).startswith("▶") and not str(app.focused.parent.query_one(
            Label).content).startswith(" ")


async def test_tab_never_stops_on_the_lesson_buttons(make_app: Any) -> None:
    app = make_app(lesson="counting")
    async with app.run_test(size=(120, 40)) as pilot:
        await keys_ready(pilot)
        chain = main_screen(app).focus_chain
        assert chain and not any(w.id in ("next-lesson", "previous-lesson") for w in chain)


async def test_page_keys_scroll_the_lesson_from_an_option_list(make_app: Any) -> None:
    app = make_app(lesson="counting")
    async with app.run_test(size=(80, 12)) as pilot:
        await keys_ready(pilot)
        await pilot.press("f3", "f3")
        assert isinstance(app.focused, OptionList)
        reader = main_screen(app).reader
        before = reader.scroll_y
        await pilot.press("pageup")
        assert reader.scroll_y < before
        assert isinstance(app.focused, OptionList)


async def test_footer_and_help_name_the_exercise_keys(make_app: Any) -> None:
    app = make_app(lesson="counting")
    async with app.run_test(size=(80, 24)) as pilot:
        await keys_ready(pilot)
        await pilot.press("f3")  # in an exercise: the footer still names moving on and help
        shown = {b.description: key for key, (_, b, _, _) in
                 ((k, v) for k, v in main_screen(app).active_bindings.items()) if b.show}
        assert shown.get("Next exercise") == "f3" and shown.get("Help") == "f1"
        width = sum(len(app.get_key_display(b)) + len(b.description) + 3
                    for _, b, _, _ in main_screen(app).active_bindings.values() if b.show)
        assert width + len("^p palette") <= 80
        rows = {(row.key, row.description) for row in collect_keys(app, app.screen)}
        assert {("f3", "Next exercise"), ("f2", "Prev exercise")} <= rows


async def test_an_attempt_stores_the_place_with_it(make_app: Any, monkeypatch: Any) -> None:
    """A machine that dies right after a check must not lose the cursor: the place is
    written with the attempt, not only a moment after typing (here: not at all)."""
    from tutor.ui.widgets.exercise import pane

    monkeypatch.setattr(pane, "SAVE_DELAY_S", 3600.0)
    app = make_app(lesson="counting")
    async with app.run_test(size=(80, 24)) as pilot:
        await keys_ready(pilot)
        await pilot.press("f3", "f3", "f2", "3", "enter")
        store = main_screen(app).store
        await wait_until(pilot, lambda: store.exercise("counting/how-many").attempts == 1,
                         "the attempt stored")
        assert store.place() == "counting/how-many#field-answer"


async def test_resume_puts_the_cursor_back_in_its_field(make_app: Any, data_dir: Any) -> None:
    app = make_app(lesson="counting")
    async with app.run_test(size=(80, 24)) as pilot:
        await keys_ready(pilot)
        await pilot.press("f3", "f3", "f2", "3")
        assert app.focused.id == "field-answer"
        await pilot.press("ctrl+q")
    with ProgressStore.open(data_dir) as store:
        assert store.place() == "counting/how-many#field-answer"
    again = make_app()
    async with again.run_test(size=(80, 24)) as pilot:
        burst(again, "9")  # typed while the lesson is still loading
        await keys_ready(pilot)
        assert again.focused.id == "field-answer"
        assert _pane_of_focus(again).key == "counting/how-many"
        assert again.focused.value == "39"
        assert str(again.focused.parent.query_one(Label).content).startswith("▶")


async def test_a_burst_after_ctrl_n_lands_in_the_new_lesson(make_app: Any) -> None:
    app = make_app(lesson="first-steps")
    async with app.run_test(size=(80, 24)) as pilot:
        await keys_ready(pilot)
        burst(app, "ctrl+n", "tab", "6")
        await wait_until(pilot, lambda: main_screen(app).current.slug == "counting")
        await keys_ready(pilot)
        answer = main_screen(app).query_one("#exercise-how-many #field-answer", Input)
        assert answer.value == "6" and app.focused is answer


async def test_a_burst_after_ctrl_b_lands_in_the_new_lesson(make_app: Any) -> None:
    app = make_app(lesson="wrap-up")
    async with app.run_test(size=(80, 24)) as pilot:
        await keys_ready(pilot)
        burst(app, "ctrl+b", "f3", "4", "0", "enter")
        await wait_until(pilot, lambda: main_screen(app).current.slug == "counting")
        await keys_ready(pilot)
        pane = main_screen(app).query_one("#exercise-how-many", ExercisePane)
        await wait_until(pilot, lambda: "PASS" in pane.status.check_text)
        assert pane.query_one("#field-answer", Input).value == "40"


async def test_a_burst_around_a_run_lands_in_the_field(make_app: Any) -> None:
    app = make_app(lesson="first-steps")
    async with app.run_test(size=(80, 24)) as pilot:
        await keys_ready(pilot)
        await pilot.press("f3")
        pane = _pane_of_focus(app)
        burst(app, "ctrl+u", "1", ".", "5", "enter", "ctrl+u", "0", ".", "4", "enter",
               "tab", "shift+tab", "enter")
        await wait_until(pilot, lambda: "PASS" in pane.status.check_text)
        assert pane.query_one("#field-learning_rate", Input).value == "0.4"
        assert app.focused.id == "field-learning_rate"


async def test_help_fits_80x24_with_the_close_line_on_screen(make_app: Any) -> None:
    from tutor.ui.screens.help import HelpScreen

    app = make_app(lesson="counting")
    async with app.run_test(size=(80, 24)) as pilot:
        await keys_ready(pilot)
        await pilot.press("f3", "f1")
        await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen))
        await pilot.pause()
        close = app.screen.query_one("#help-close")
        box = app.screen.query_one("#help-box")
        assert 0 <= close.region.y and close.region.bottom <= 24
        assert box.region.bottom <= 24 and close.region.bottom <= box.region.bottom
        body = app.screen.query_one("#help-body")
        assert body.max_scroll_y > 0  # more keys than lines: the body scrolls
        table = app.screen.query_one("#help-keys")
        assert table.size.height >= len(app.screen.keys) + 1  # every row is there to scroll to
        await pilot.press("pagedown")
        assert body.scroll_y > 0
        await pilot.press("escape")
        assert isinstance(app.screen, TutorScreen)


async def test_a_lesson_switch_paints_the_opening_before_the_rest(make_app: Any,
                                                                  monkeypatch: Any) -> None:
    from textual.app import App

    frames: list[tuple[bool, bool]] = []  # per frame: the new title shown, any pane mounted
    original = App._display

    def display(self: Any, screen: Any, renderable: Any) -> None:
        if renderable is not None and isinstance(screen, TutorScreen):
            titles = [str(w.render()) for w in screen.query(".lesson-title")]
            frames.append((any("Lesson 2 of 3" in t for t in titles),
                           any(p.display for p in screen.reader.panes)))
        original(self, screen, renderable)

    monkeypatch.setattr(App, "_display", display)
    app = make_app(lesson="first-steps")
    async with app.run_test(size=(80, 24)) as pilot:
        await keys_ready(pilot)
        frames.clear()
        await pilot.press("ctrl+n")
        await keys_ready(pilot)
        assert (True, False) in frames  # the opening alone was on screen first
        assert frames[-1] == (True, True)



async def test_the_next_lesson_is_built_before_ctrl_n_and_the_last_one_kept(make_app: Any) -> None:
    app = make_app(lesson="first-steps")
    async with app.run_test(size=(80, 24)) as pilot:
        await keys_ready(pilot)
        reader = main_screen(app).reader
        first = reader.page
        await wait_until(pilot, lambda: "counting" in {
            p.drawn[1] for p in reader.query("LessonPage") if p.drawn})  # built in the background
        built = next(p for p in reader.query("LessonPage") if p.drawn and p.drawn[1] == "counting")
        panes = list(built.query(ExercisePane))
        await pilot.press("ctrl+n")
        await keys_ready(pilot)
        assert reader.page is built and reader.panes == panes  # shown as built, not rebuilt
        await pilot.press("ctrl+b")
        await keys_ready(pilot)
        assert reader.page is first  # the lesson just left was kept
        assert all(not p.display for p in reader.query("LessonPage") if p is not first)


async def test_a_switch_to_a_lesson_half_built_finishes_that_page(make_app: Any) -> None:
    app = make_app(lesson="first-steps")
    async with app.run_test(size=(80, 24)) as pilot:
        await keys_ready(pilot)
        screen = main_screen(app)
        reader = screen.reader
        await wait_until(pilot, lambda: not any(w.group == "prepare" and w.is_running
                                            for w in app.workers))
        await reader.keep_only({"first-steps"})  # forget the page built in the background
        counting = screen.lessons.find("counting")
        building = asyncio.create_task(reader.prepare(counting, **screen._reading(counting)))
        await asyncio.sleep(0)
        prepared = reader.children[-1]
        assert prepared.drawn is None  # still being mounted
        await screen.open_lesson("counting")
        await building
        assert reader.page is prepared  # not built a second time
        assert len([p for p in reader.query("LessonPage") if p.drawn and p.drawn[1] == "counting"]) == 1


async def _fit_fields(tmp_path: Any, monkeypatch: Any) -> Any:
    """The shipped lesson 13 (a fit whose x and y columns the learner types)."""
    from tutor.lessons import default_lessons_dir
    from tutor.ui.app import TutorApp

    monkeypatch.delenv("GD_TUTOR_LESSONS_DIR", raising=False)
    return TutorApp(lessons_dir=default_lessons_dir(), data_dir=tmp_path,
                    lesson="several-features")


async def test_a_burst_with_tab_fills_two_fields_in_order(tmp_path: Any, monkeypatch: Any) -> None:
    # A learner's `age Enter`, then `_years Tab price_k` in one burst left x empty and made y
    # 'price_k_years': the screen's Tab ran as it arrived, before the field took `_years`.
    app = await _fit_fields(tmp_path, monkeypatch)
    async with app.run_test(size=(80, 24)) as pilot:
        await keys_ready(pilot)
        x = main_screen(app).query_one("#exercise-age-alone #field-x_column", Input)
        y = main_screen(app).query_one("#exercise-age-alone #field-y_column", Input)
        x.focus()
        await pilot.pause()
        burst(app, "a", "g", "e", "tab", "p", "r", "i", "c", "e", "_", "k")
        await wait_until(pilot, lambda: y.value == "price_k" or len(y.value) > 6)
        assert (x.value, y.value, app.focused) == ("age", "price_k", y)
        burst(app, "shift+tab", "end", "_", "y", "e", "a", "r", "s", "tab", "end", "!")
        await wait_until(pilot, lambda: y.value.endswith("!"))
        assert (x.value, y.value) == ("age_years", "price_k!")


async def test_keys_typed_before_f3_stay_in_their_field(tmp_path: Any, monkeypatch: Any) -> None:
    # `...years F3 0.2`: the characters before F3 belong to this exercise, the ones after it
    # to the next (F3 used to run first and carry them all to the next exercise).
    app = await _fit_fields(tmp_path, monkeypatch)
    async with app.run_test(size=(80, 24)) as pilot:
        await keys_ready(pilot)
        x = main_screen(app).query_one("#exercise-age-alone #field-x_column", Input)
        rate = main_screen(app).query_one("#exercise-fit-all-three #field-learning_rate", Input)
        x.focus()
        await pilot.pause()
        burst(app, "a", "g", "e", "_", "y", "e", "a", "r", "s", "f3", "ctrl+u", "0", ".", "2")
        await wait_until(pilot, lambda: rate.value == "0.2" or app.focused is rate
                         and len(rate.value) > 3)
        assert (x.value, rate.value, app.focused) == ("age_years", "0.2", rate)


async def test_help_at_60x20_wraps_a_long_description_instead_of_cutting_it(make_app: Any) -> None:
    from tutor.ui.screens.help import HelpScreen

    app = make_app(lesson="counting")
    async with app.run_test(size=(60, 20)) as pilot:
        await keys_ready(pilot)
        await pilot.press("f1")
        await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen), "the help")
        await pilot.pause()
        table = app.screen.query_one("#help-keys")
        shown = " ".join(" ".join(line.text.split()) for line in
                         (table.render_line(y) for y in range(table.size.height)))
        assert "go to a lesson, playground, reset, theme" in shown  # wrapped, whole
        assert table.region.right <= app.screen.query_one("#help-box").region.right


async def test_focus_leaving_and_entering_the_reader_does_not_restyle_the_lesson(
        make_app: Any) -> None:
    """F3 out of the prose and ^n back into it each restyled every widget of the reader's
    pages (~500 in lesson 9: half a second); only the widgets whose state changed are now."""
    app = make_app(lesson="counting")
    async with app.run_test(size=(80, 24)) as pilot:
        await keys_ready(pilot)
        reader = main_screen(app).reader
        widgets = len(list(reader.walk_children()))
        restyled = count_restyles(app)
        assert app.focused is reader
        await pilot.press("f3")
        assert app.focused.id == "field-answer"
        await pilot.press("ctrl+b")  # back to the first lesson: the reader has the focus
        await wait_until(pilot, lambda: app.focused is reader, "the reader focused")
        assert widgets > 40 and restyled and max(restyled) < widgets // 2, (widgets, restyled)
