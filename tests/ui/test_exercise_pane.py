"""Pilot tests of the exercise pane in the playground: run, bad input, step, compare, cancel, 2-D."""

from __future__ import annotations

import asyncio
import time

from textual import events
from textual.app import App
from textual.widgets import Input
from ui_testkit import PlaygroundHost, settle, wait_until

from tutor.ui.widgets.exercise.contour_plot import LevelView
from tutor.ui.widgets.exercise.cost_plot import CostPlot
from tutor.ui.widgets.exercise.iteration_table import IterationTable
from tutor.ui.widgets.exercise.status import RunStatus
from tutor.ui.widgets.exercise.step_view import StepView


async def type_text(pilot, text: str) -> None:
    """Press each character of `text`."""
    for ch in text:
        await pilot.press(ch)


def status_text(app: App) -> str:
    return str(app.screen.query_one(RunStatus).render())


async def test_typing_function_start_rate_and_enter_converges_in_40() -> None:
    app = PlaygroundHost()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.focused.id == "field-function"
        await type_text(pilot, "x^2")
        await pilot.press("tab")
        assert app.focused.id == "field-start"
        await type_text(pilot, "3")
        await pilot.press("tab")
        assert app.focused.id == "field-learning_rate"
        await type_text(pilot, "0.1")
        await pilot.press("enter")
        await settle(pilot, app.screen.pane)
        text = status_text(app)
        assert "converged in 40 updates" in text
        assert "x = 0.000398768" in text  # 3 * 0.8**40
        table = app.screen.query_one(IterationTable)
        assert [r.n for r in table.rows if r is not None] == [0, 1, 2, 3, 4, 36, 37, 38, 39, 40]
        assert table.rows[1].x == (2.4,) and table.rows[0].gradient == (6.0,)
        plot = app.screen.query_one(CostPlot)
        assert plot.region.bottom <= 23 and plot.size.height >= 6  # on screen at 80x24
        first = str(plot.render())
        assert "1e-07" in first and "cost per iteration (log scale)" in first
        app.theme = "textual-light"  # a repaint must not apply the log scale twice
        await pilot.pause(0.2)
        assert str(plot.render()) == first and app.is_running


async def test_bad_function_gives_one_sentence() -> None:
    app = PlaygroundHost("x^^2", "3", "0.1")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")
        await settle(pilot, app.screen.pane)
        text = status_text(app)
        assert text.startswith("Problem: ")
        assert "Traceback" not in text and "\n" not in text
        assert text.rstrip().endswith(".")
        assert not app.screen.query_one(IterationTable).rows


async def test_a_bad_function_is_reported_before_empty_fields() -> None:
    app = PlaygroundHost("x^^2")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")
        await settle(pilot, app.screen.pane)
        text = status_text(app)
        assert text.startswith("Problem: ") and "learning rate" not in text and "start" not in text


async def test_non_number_rate_gives_one_sentence() -> None:
    app = PlaygroundHost("x^2", "3", "fast")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")
        await settle(pilot, app.screen.pane)
        assert status_text(app) == "Problem: The learning rate must be a number, like 0.1, not 'fast'."


async def test_start_with_wrong_count_names_the_variables() -> None:
    app = PlaygroundHost("x^2 + y^2", "3", "0.1")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")
        await settle(pilot, app.screen.pane)
        assert "2 variables (x, y)" in status_text(app)


async def test_step_mode_shows_predict_error_learn_for_step_one() -> None:
    app = PlaygroundHost("x^2", "3", "0.1")
    async with app.run_test(size=(80, 24)) as pilot:
        view = app.screen.query_one(StepView)
        await pilot.press("ctrl+t")
        await settle(pilot, app.screen.pane)
        assert "1 predict: x = 3, f(x) = 9" in view.text
        assert "2 calculate the error: slope = 6" in view.text
        assert "3 learn: x <- x - rate*slope = 3 - 0.1*6 = 2.4" in view.text
        await pilot.press("ctrl+t")
        await settle(pilot, app.screen.pane)
        assert "1 predict: x = 2.4, f(x) = 5.76" in view.text
        assert "slope = 4.8" in view.text and "= 1.92" in view.text
        assert len(app.screen.query_one(CostPlot).series[0][2]) == 3  # start + two steps


async def test_step_restarts_when_inputs_change() -> None:
    app = PlaygroundHost("x^2", "3", "0.1")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+t")
        await settle(pilot, app.screen.pane)
        app.screen.query_one("#field-learning_rate", Input).value = "0.25"
        await pilot.press("ctrl+t")
        await settle(pilot, app.screen.pane)
        assert "= 3 - 0.25*6 = 1.5" in app.screen.query_one(StepView).text


async def test_compare_draws_one_cost_plot_with_a_legend() -> None:
    app = PlaygroundHost("x^2", "3", "0.1")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+f")
        await settle(pilot, app.screen.pane)
        plot = app.screen.query_one(CostPlot)
        assert [label for label, _, _ in plot.series] == ["rate 0.01", "rate 0.1", "rate 0.5"]
        drawn = plot.plt.build()
        assert "rate 0.01" in drawn and "rate 0.5" in drawn
        text = status_text(app)
        assert "rate 0.1: converged in 40 updates" in text
        assert "rate 0.01: stopped at the iteration limit (100 updates)" in text


async def test_compare_methods_by_name() -> None:
    app = PlaygroundHost("x^2", "3", "0.1")
    async with app.run_test(size=(80, 24)) as pilot:
        app.screen.query_one("#field-compare", Input).value = "gd, adam"
        await pilot.press("ctrl+f")
        await settle(pilot, app.screen.pane)
        assert [s[0] for s in app.screen.query_one(CostPlot).series] == ["gd", "adam"]


async def test_escape_cancels_a_long_run_and_the_ui_stays_responsive() -> None:
    # Adam on the banana: about 10 s for the highest iteration limit (1,000,000), in chunks
    app = PlaygroundHost("(1-x)^2 + 100(y-x^2)^2", "-1.2,1", "0.0001")
    async with app.run_test(size=(80, 24)) as pilot:
        pane = app.screen.pane
        app.screen.query_one("#field-iterations", Input).value = "1000000"
        app.screen.query_one("#field-precision", Input).value = "0"
        app.screen.query_one("#field-method", Input).value = "adam"
        await pilot.press("enter")
        # the first run in a process also waits for SymPy to load
        await wait_until(pilot, lambda: " of 1,000,000" in status_text(app),
                         "the progress line", then_idle=False)
        assert pane.running
        progress = status_text(app)
        assert progress.startswith("Running... ") and progress.endswith(
            " of 1,000,000 updates (Esc cancels)")
        field = app.screen.query_one("#field-function", Input)
        started = time.monotonic()
        for key, char in (("end", None), ("5", "5")):  # as the terminal driver sends keys
            app.post_message(events.Key(key, char))
        typed = "(1-x)^2 + 100(y-x^2)^25"
        while field.value != typed and time.monotonic() - started < 2:
            await asyncio.sleep(0.005)  # (pilot.press waits for an idle CPU, never true here)
        assert field.value == typed
        assert time.monotonic() - started < 0.5, "typing lagged while the worker ran"
        assert pane.running
        await pilot.press("escape")
        await settle(pilot, pane, timeout=10)
        assert time.monotonic() - started < 5
        text = status_text(app)
        assert text.startswith("cancelled after ") and "updates" in text
        nit = int(text.split()[2].replace(",", ""))
        assert 0 < nit < 1_000_000


async def test_two_variables_draw_the_level_view_with_the_path() -> None:
    app = PlaygroundHost("x^2 + 3y^2", "2,1", "0.1")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")
        await settle(pilot, app.screen.pane)
        view = app.screen.query_one(LevelView)
        assert view.display and view.size.width > 10
        lines = str(view.render()).splitlines()
        assert lines[0] == "S start o path E end; blank low @ high"  # whole at 80x24
        grid = "\n".join(lines[1:-1])
        assert grid.count("S") == 1 and grid.count("E") == 1 and "o" in grid
        assert "@" in grid and " " in grid
        assert "converged" in status_text(app) and "x = " in status_text(app) and "y = " in status_text(app)


async def test_reset_restores_defaults_and_clears_output() -> None:
    app = PlaygroundHost("x^2", "3", "0.1")
    async with app.run_test(size=(80, 24)) as pilot:
        app.screen.query_one("#field-learning_rate", Input).value = "0.3"
        await pilot.press("enter")
        await settle(pilot, app.screen.pane)
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert app.screen.query_one("#field-learning_rate", Input).value == "0.1"
        assert status_text(app) == "Press Enter to run."
        assert not app.screen.query_one(IterationTable).rows


async def test_buttons_are_reachable_and_run() -> None:
    app = PlaygroundHost("x^2", "3", "0.1")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.click("#step-button")
        await settle(pilot, app.screen.pane)
        assert "slope = 6" in app.screen.query_one(StepView).text
        await pilot.click("#run-button")
        await settle(pilot, app.screen.pane)
        assert "converged in 40 updates" in status_text(app)


async def test_a_start_where_f_is_undefined_is_one_sentence_in_run_and_step() -> None:
    app = PlaygroundHost("1/x", "0", "0.1")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")
        await settle(pilot, app.screen.pane)
        assert "diverged after 0 updates" in status_text(app)
        assert "division by zero" in status_text(app)
        await pilot.press("ctrl+t")
        await settle(pilot, app.screen.pane)
        text = status_text(app)
        assert text.startswith("Problem: Cannot start") and "Traceback" not in text
        assert "RuntimeError" not in text


async def test_a_huge_paste_or_endless_typing_is_capped_at_the_fields_limit() -> None:
    from tutor.lessons.schema import FIELDS, MAX_TEXT

    app = PlaygroundHost()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        field = app.screen.query_one("#field-function", Input)
        field.focus()
        await pilot.pause()
        field.post_message(events.Paste("x+" * 500_000))  # a megabyte: refused whole
        await pilot.pause()
        assert field.value == ""
        field.post_message(events.Paste("x" * (MAX_TEXT - 1)))
        await pilot.pause()
        for _ in range(40):  # keys past the limit change nothing
            await pilot.press("y")
        assert field.value == "x" * (MAX_TEXT - 1) + "y"
        rate = app.screen.query_one("#field-learning_rate", Input)
        assert rate.max_length == FIELDS["learning_rate"].max_length < MAX_TEXT
