"""What a new learner tripped over at 80x24 (issue 12, walkthrough of lessons 12-17): typing
replaces a value after a run too, the lesson list gives the place back, verdicts stay, choice
lists are marked and only take keys on screen, the last lesson offers no next one, keys are
written one way."""

from __future__ import annotations

from typing import Any

from textual.widgets import Input

from ui_testkit import keys_ready, lesson_pane, main_screen, wait_until

from tutor.ui.screens.main import TutorScreen
from tutor.ui.widgets.exercise import ExercisePane


async def test_typing_replaces_the_value_after_a_run_as_on_first_entry(make_app: Any) -> None:
    app = make_app(lesson="first-steps")
    async with app.run_test(size=(80, 24)) as pilot:
        await keys_ready(pilot)
        pane = lesson_pane(app, "first-run")
        await pilot.press("f3", "2", "enter")
        field = pane.query_one("#field-learning_rate", Input)
        assert field.value == "2" and app.focused is field
        await wait_until(pilot, lambda: not pane.running and pane.status.outcome_text
                         and not pane.status.outcome_text.startswith("Running"))
        await wait_until(pilot, lambda: "NOT YET" in pane.status.check_text)
        await pilot.press("0", ".", "4")
        assert field.value == "0.4"  # replaced, not "20.4"
        await pilot.press("enter")
        await wait_until(pilot, lambda: "PASS" in pane.status.check_text)
        await pilot.press("end", "5")  # arrows and End still edit: the cursor moved, no replace
        assert field.value == "0.45"


async def test_typing_replaces_the_answer_after_a_check(make_app: Any) -> None:
    app = make_app(lesson="counting")
    async with app.run_test(size=(80, 24)) as pilot:
        await keys_ready(pilot)
        pane = lesson_pane(app, "how-many")
        await pilot.press("f3", "5", "enter")
        await wait_until(pilot, lambda: "NOT YET" in pane.status.check_text)
        await pilot.press("6")
        assert app.focused.value == "6"  # not "56"
        await pilot.press("enter")
        await wait_until(pilot, lambda: not app.focused.selection.is_empty)  # checked: selected
        await pilot.press("backspace", "4", "0")  # Backspace clears the selected value
        assert app.focused.value == "40"


async def test_show_the_python_never_overwrites_a_verdict() -> None:
    from ui_testkit import PaneHost

    from tutor.lessons.model import Exercise

    exercise = Exercise(
        id="adam-run", lesson_slug="fast", kind="run", prompt="Converge within 200.",
        function="x^2", start=(3.0,), learning_rate=0.1, method="adam", iterations=200,
        editable=("learning_rate",), goal={"converge_within": 200})
    app = PaneHost(exercise)
    async with app.run_test(size=(80, 24)) as pilot:
        pane = app.query_one(ExercisePane)
        await pilot.pause()
        pane.query_one("#field-learning_rate", Input).focus()
        await pilot.press("enter")
        await wait_until(pilot, lambda: "PASS" in pane.status.check_text)
        verdict = pane.status.check_text
        await pilot.press("ctrl+y")
        await wait_until(pilot, lambda: any("adam" in n.message for n in app._notifications),
                         timeout=10)
        assert pane.status.check_text == verdict and not pane.status.has_class("-error")


def _footer_keys(app: Any) -> dict[str, str]:
    """What the footer shows: description by key display."""
    return {app.get_key_display(b): b.description
            for b, enabled in ((a.binding, a.enabled) for a in app.screen.active_bindings.values())
            if b.show}


async def test_the_last_lesson_offers_no_next_lesson(make_app: Any) -> None:
    from textual.widgets import Button, Static

    app = make_app(lesson="wrap-up")
    async with app.run_test(size=(80, 24)) as pilot:
        await keys_ready(pilot)
        screen = main_screen(app)
        assert not screen.query_one("#next-lesson", Button).display
        assert screen.query_one("#previous-lesson", Button).display
        assert "Next lesson" not in _footer_keys(app).values()
        await pilot.press("ctrl+n")  # still answers: there is no next one
        await wait_until(pilot, lambda: any("last lesson" in n.message for n in app._notifications))
        assert screen.current.slug == "wrap-up"
        await pilot.press("ctrl+b")
        await wait_until(pilot, lambda: screen.current.slug == "counting"
                         and screen.loaded.is_set())
        assert _footer_keys(app).get("^n") == "Next lesson"
        hint = str(screen.query_one(".next-hint", Static).content)
        assert "(^n)" in hint and "ctrl" not in hint  # written as the footer writes it


async def test_help_says_where_each_esc_applies_and_the_palette_keeps_the_footer(
        make_app: Any) -> None:
    from textual.command import CommandPalette

    from tutor.ui.screens.help import collect_keys

    app = make_app(lesson="first-steps")
    async with app.run_test(size=(80, 24)) as pilot:
        await keys_ready(pilot)
        esc = [row.description for row in collect_keys(app, app.screen) if row.key == "esc"]
        assert esc == ["Back to the lessons (from the playground)",
                       "Stop a run that is under way (in an exercise)"]
        await pilot.press("ctrl+p")
        await wait_until(pilot, lambda: isinstance(app.screen, CommandPalette))
        main = next(s for s in app.screen_stack if isinstance(s, TutorScreen))
        shown = [a.binding.action for a in main.active_bindings.values() if a.binding.show]
        assert "back" not in shown  # the footer below: the palette closes with its own Esc


async def test_the_last_exercise_toast_writes_keys_as_the_footer(make_app: Any) -> None:
    app = make_app(lesson="first-steps")
    async with app.run_test(size=(80, 24)) as pilot:
        await keys_ready(pilot)
        await pilot.press("f3", "f3")
        said = [n.message for n in app._notifications if "next lesson" in n.message]
        assert said and all("^n" in s and "ctrl" not in s for s in said)


async def test_the_lesson_list_opened_and_closed_gives_the_place_back(make_app: Any) -> None:
    from textual.widgets import OptionList

    app = make_app(lesson="counting")
    async with app.run_test(size=(80, 24)) as pilot:
        await keys_ready(pilot)
        reader = main_screen(app).reader
        await pilot.press("f3", "f3")
        choices = lesson_pane(app, "which-way").query_one(OptionList)
        assert app.focused is choices
        await pilot.pause()
        place = reader.scroll_y
        assert place > 0
        await pilot.press("ctrl+l")
        await wait_until(pilot, lambda: app.focused is main_screen(app).lesson_list)
        await pilot.press("ctrl+l")
        await wait_until(pilot, lambda: not main_screen(app).has_class("list-open"))
        await pilot.pause()
        assert app.focused is choices
        await wait_until(pilot, lambda: reader.scroll_y == place, timeout=5)


async def test_a_choice_list_is_marked_and_takes_arrows_only_on_screen(
        make_app: Any, monkeypatch: Any) -> None:
    from tutor.lessons import default_lessons_dir
    from tutor.ui.widgets.exercise.choices import MARK

    monkeypatch.delenv("GD_TUTOR_LESSONS_DIR")  # the real lesson 15, where it happened
    app = make_app(lessons_dir=default_lessons_dir(), lesson="overfitting")
    async with app.run_test(size=(80, 24)) as pilot:
        await keys_ready(pilot)
        pane = lesson_pane(app, "trust")
        choices = pane.query_one("#choices")
        main_screen(app).show_pane(pane, choices)  # as F3 does; the next key comes before a paint
        assert app.focused is choices and choices.highlighted is None
        await pilot.press("down")
        assert choices.highlighted == 0  # the list brought into view takes it at once
        await pilot.press("up")
        choices.highlighted = None
        prompts = [str(choices.get_option_at_index(i).prompt) for i in range(choices.option_count)]
        assert not any(p.startswith(MARK) for p in prompts)  # nothing chosen yet, nothing marked
        await pilot.press("down", "down")
        assert choices.highlighted == 1
        prompts = [str(choices.get_option_at_index(i).prompt) for i in range(choices.option_count)]
        assert prompts[1].startswith(MARK) and not prompts[0].startswith(MARK)  # no colour needed
        reader = main_screen(app).reader
        for _ in range(2):  # reading on: the list scrolls out of view, keeping the focus
            await pilot.press("pagedown")
            await pilot.pause()
        assert not choices.on_screen and app.focused is choices
        before = reader.scroll_y
        await pilot.press("up", "up")  # scroll the lesson, do not move the hidden choice
        assert choices.highlighted == 1 and reader.scroll_y < before
        await pilot.press("enter")  # not an answer to a question out of sight
        await pilot.pause()
        assert "PASS" not in pane.status.check_text and "NOT YET" not in pane.status.check_text


async def test_ctrl_f_compares_rates_in_a_lesson_run_exercise(make_app: Any) -> None:
    from tutor.practice import CompareOutcome

    app = make_app(lesson="first-steps")
    async with app.run_test(size=(80, 24)) as pilot:
        await keys_ready(pilot)
        pane = lesson_pane(app, "first-run")
        shown: list[object] = []
        show_compare = pane.results.show_compare
        pane.results.show_compare = lambda outcome: (shown.append(outcome), show_compare(outcome))
        await pilot.press("f3", "0", ".", "4", "ctrl+f")
        await wait_until(pilot, lambda: shown and not pane.running)
        outcome = shown[0]
        assert isinstance(outcome, CompareOutcome)
        assert [run.label for run in outcome.runs] == ["rate 0.2", "rate 0.4", "rate 0.8"]
        assert pane.status.outcome_text.startswith("rate 0.2: ")
        assert "PASS" not in pane.status.check_text  # a compare is a look, not an attempt


async def test_ctrl_f_compares_methods_where_the_method_may_change() -> None:
    from ui_testkit import PaneHost

    from tutor.lessons.model import Exercise
    from tutor.ui.widgets.exercise.specs import compare_set

    exercise = Exercise(
        id="race", lesson_slug="fast", kind="run", prompt="End near 1, 1.",
        function="(1-x)^2 + 100(y-x^2)^2", start=(-1.2, 1.0), learning_rate=0.001,
        iterations=300, editable=("learning_rate", "method"), goal={"converge_within": 300})
    assert compare_set(exercise, {"learning_rate": "1/0"}) == "gd, momentum, adam"
    app = PaneHost(exercise)
    async with app.run_test(size=(80, 24)) as pilot:
        pane = app.query_one(ExercisePane)
        await pilot.pause()
        await pilot.press("ctrl+f")
        await wait_until(pilot, lambda: pane.status.outcome_text.startswith("gd: "), timeout=20)
        assert ["gd", "momentum", "adam"] == [
            line.split(":")[0] for line in pane.status.outcome_text.splitlines()]


async def test_fit_and_cost_plots_keep_their_titles_off_the_ticks_when_narrow() -> None:
    from textual.app import App, ComposeResult
    from textual.containers import Horizontal

    from tutor.ui.widgets.exercise.cost_plot import CostPlot
    from tutor.ui.widgets.exercise.fit_plot import FitPlot

    class Plots(App[None]):
        CSS = "Horizontal { height: 9; }"

        def compose(self) -> ComposeResult:
            with Horizontal():  # side by side as in a fit pane (the list open: 30 columns)
                yield CostPlot()
                yield FitPlot()

    def lines(plot: Any) -> list[str]:
        return ["".join(s.text for s in plot.render_line(y)) for y in range(plot.size.height)]

    for width in (80, 60):
        app = Plots()
        async with app.run_test(size=(width, 11)) as pilot:
            cost, fit = app.query_one(CostPlot), app.query_one(FitPlot)
            cost.show_series([("", list(range(1, 101)), [1e6 * 0.8 ** i for i in range(100)])])
            xs = [1000.0 + 37 * i for i in range(60)]
            fit.show_fit(xs, [5e4 + 120 * x for x in xs], -9.5e4, 205.0, ("size_sqft", "price"))
            await pilot.pause()
            cost_lines, fit_lines = lines(cost), lines(fit)
            assert "cost" in cost_lines[0] and "e+" not in cost_lines[0], cost_lines
            assert "price" in fit_lines[0] and "e+" not in fit_lines[0], fit_lines
            axis = cost_lines[-2].split()
            assert axis[0] in ("0", "1") and all(t.isdigit() for t in axis), cost_lines
            assert [int(t) for t in axis] == sorted(int(t) for t in axis)  # no stray digit


async def test_past_the_last_exercise_the_open_ones_are_named(make_app: Any) -> None:
    # A learner who jumped to the end was told "That was the last exercise here" with two
    # exercises of the lesson still undone; now the toast names them and the way back.
    app = make_app(lesson="counting")
    async with app.run_test(size=(80, 24)) as pilot:
        await keys_ready(pilot)
        await pilot.press("f3", "f3", "f3")
        said = [n.message for n in app._notifications if "last exercise" in n.message]
        assert said and said[-1] == ("That was the last exercise here, but exercises 1 and 2 "
                                     "are not done yet: f2 goes back, ^n opens the next lesson.")


async def test_past_the_last_exercise_of_the_last_lesson_no_next_lesson_is_promised(
        make_app: Any) -> None:
    app = make_app(lesson="wrap-up")
    async with app.run_test(size=(80, 24)) as pilot:
        await keys_ready(pilot)
        for _ in range(6):  # past the end, pressed again: one notice, not a pile
            await pilot.press("f3")
        said = [n.message for n in app._notifications if "last exercise" in n.message]
        assert len(said) == 1 and "^n" not in said[0], said


async def test_after_the_list_a_field_not_yet_typed_in_is_replaced_by_typing(
        make_app: Any) -> None:
    """F3 lands with the value selected (typing replaces it); the lesson list opened and
    closed kept that only once the learner had typed: `0.001` then `9` gave `0.0019`."""
    from textual.widgets import Input

    app = make_app(lesson="first-steps")
    async with app.run_test(size=(80, 24)) as pilot:
        await keys_ready(pilot)
        await pilot.press("f3")
        field = app.focused
        assert isinstance(field, Input)
        for typed, expected in (("9", "9"), ("8", "98")):  # then, once typed in, it goes on
            await pilot.press("ctrl+l")
            await wait_until(pilot, lambda: app.focused is main_screen(app).lesson_list)
            await pilot.press("ctrl+l")
            await wait_until(pilot, lambda: app.focused is field, "the field again")
            await pilot.press(typed)
            await wait_until(pilot, lambda: field.value == expected,
                             lambda: f"{field.value!r}, not {expected!r}")
