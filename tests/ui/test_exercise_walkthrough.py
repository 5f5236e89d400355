"""What a learner trips over in the pane, found by walking the lessons at 80x24: the first
line says which key to press, feedback says what to do next, and the slope is on show."""

from __future__ import annotations

import pytest
from textual.app import App
from textual.widgets import Input, Static
from ui_testkit import PaneHost, wait_until

from tutor.engine import minimize
from tutor.lessons.model import Exercise
from tutor.ui.widgets.exercise import ExercisePane
from tutor.ui.widgets.exercise.fit_plot import FitPlot
from tutor.ui.widgets.exercise.function_plot import FunctionPlot
from tutor.ui.widgets.exercise.iteration_table import IterationTable
from tutor.ui.widgets.exercise.status import RunStatus, describe_result
from tutor.ui.widgets.exercise.step_view import StepView

HINTS = ("Square each error.", "Add the squares.", "17.")
NUMERIC = Exercise(id="rss", lesson_slug="costs", kind="numeric", prompt="What is the RSS?",
                   goal={"answer": 17, "tolerance": 0.001}, solution={"answer": 17}, hints=HINTS)
CHOICE = Exercise(id="way", lesson_slug="slope", kind="choice", prompt="Which way?",
                  options=("left", "right"), goal={"choice": 2}, solution={"choice": 2})
STEP = Exercise(id="walk", lesson_slug="loop", kind="step", prompt="Step it.", function="(m-1)^2",
                start=(-2.0,), learning_rate=0.1, editable=("learning_rate",),
                goal={"end_near": [1]}, solution={}, hints=HINTS)
COMPARE = Exercise(id="race", lesson_slug="rates", kind="compare", prompt="Which crawls?",
                   function="x^2", start=(3.0,), compare={"learning_rates": [0.01, 0.1]},
                   options=("0.01", "0.1"), goal={"choice": 1}, solution={"choice": 1})


def status(app: App) -> str:
    return str(app.query_one(RunStatus).render())


async def wait_for(pilot, app: App, text: str) -> None:
    """Wait until the status line shows `text`."""
    await wait_until(pilot, lambda: text in status(app),
                     lambda: f"{text!r} in the status line (it says {status(app)!r})")


@pytest.mark.parametrize(("exercise", "first"), [
    (NUMERIC, "Type your answer, then press Enter."),
    (CHOICE, "Pick an option with the arrow keys, then press Enter."),
    (STEP, "Press ^t to take one step, or Enter to run to the end."),
    (COMPARE, "Press Enter to run them all on one plot."),
])
async def test_the_first_line_says_which_key_to_press(exercise: Exercise, first: str) -> None:
    app = PaneHost(exercise)
    async with app.run_test(size=(80, 24)):
        assert status(app) == first


async def test_a_wrong_answer_points_to_the_hint_key_and_a_right_one_clears_the_problem() -> None:
    app = PaneHost(NUMERIC)
    async with app.run_test(size=(80, 24)) as pilot:
        app.query_one("#field-answer", Input).focus()
        await pilot.press("enter")  # nothing typed yet
        await pilot.pause()
        assert status(app) == "Problem: Type your answer in the answer field, then press Enter."
        await pilot.press(*"5.67", "enter")
        await wait_for(pilot, app, "NOT YET")
        assert status(app) == "NOT YET: Not quite: 5.67 is too small. Press ^g for a hint."
        for _ in range(4):  # three hints, then the solution: nothing left to point to
            await pilot.press("ctrl+g")
        await pilot.press("ctrl+u", *"3", "enter")
        await wait_for(pilot, app, "is too small.")
        assert "^g" not in status(app)
        await pilot.press("ctrl+u", *"17", "enter")
        await wait_for(pilot, app, "PASS")
        assert status(app) == "PASS: Right: 17."  # the old "Problem:" line is gone


async def test_a_step_shows_the_slope_formula_negative_factors_in_brackets_and_names() -> None:
    app = PaneHost(STEP)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+t")
        await wait_for(pilot, app, "Step 1 done")
        text = app.query_one(StepView).text
        assert "3 learn: m <- m - rate*slope = -2 - 0.1*(-6) = -1.4, new f = 5.76" in text
        derivative = app.query_one("#derivative", Static)
        assert derivative.display and str(derivative.render()) == "slope: f'(m) = 2*m - 2"
        table = str(app.query_one(IterationTable).render())
        assert table.splitlines()[0].split() == ["n", "m", "f(m)", "slope", "step"]
        assert app.query_one(FunctionPlot).variable == "m"


async def test_an_exercise_run_leaves_the_why_to_the_check() -> None:
    app = PaneHost(STEP)
    async with app.run_test(size=(80, 24)) as pilot:
        app.query_one("#field-learning_rate", Input).value = "0.01"
        await pilot.press("enter")
        await wait_for(pilot, app, "NOT YET")
        lines = status(app).splitlines()
        end = 1 - 3 * 0.98 ** 100
        assert lines[0] == f"stopped at the iteration limit (100 updates): m = {end:.6g}, cost = {(end - 1) ** 2:.6g}."
        assert lines[1].startswith("NOT YET: It ended at m = ")
        assert lines[-1].endswith("Try a learning rate of 0.03: that uses all 100 iterations and "
                                  "ends at m = 0.9938. Press ^g for a hint.")


def test_the_playground_status_keeps_the_engines_reason_and_spots_a_slope_without_end() -> None:
    crawl = minimize("x^2", [3.0], learning_rate=0.01)
    assert describe_result(crawl).endswith("before the steps got shorter than 0.0001.")
    assert describe_result(crawl, advice=False).endswith("cost = 0.158292.")
    line = minimize("2x", [3.0], learning_rate=0.1)
    assert describe_result(line) == ("stopped at the iteration limit (100 updates): x = -17, "
                                     "cost = -34. The cost kept falling at the same pace: f may "
                                     "have no lowest point.")
    blown = minimize("x^2", [3.0], learning_rate=1.5)
    assert describe_result(blown, advice=False).endswith(
        "Diverged: the cost grew on each of the last 10 steps.")


async def test_tabbing_into_a_field_and_typing_replaces_its_value() -> None:
    """A learner Tabs to the rate (0.1) and types 0.9: the rate is 0.9, not 0.10.9."""
    app = PaneHost(STEP)
    async with app.run_test(size=(80, 24)) as pilot:
        app.query_one("#run-button").focus()
        await pilot.press("shift+tab")
        assert app.focused.id == "field-learning_rate"
        await pilot.press(*"0.9")
        assert app.focused.value == "0.9"
        await pilot.press("home", "delete", "1")  # moving the cursor edits instead
        assert app.focused.value == "1.9"


async def test_an_answer_replaces_the_first_note_instead_of_sitting_under_it() -> None:
    app = PaneHost(NUMERIC)
    async with app.run_test(size=(80, 24)) as pilot:
        app.query_one("#field-answer", Input).focus()
        await pilot.press(*"17", "enter")
        await wait_for(pilot, app, "PASS")
        assert status(app) == "PASS: Right: 17."


async def test_enter_alone_does_not_answer_a_choice_with_the_first_option() -> None:
    """The answer to lesson 5's and 6's choices is option 1: Enter by accident must not pass."""
    app = PaneHost(CHOICE)
    async with app.run_test(size=(80, 24)) as pilot:
        options = app.query_one("#choices")
        options.focus()
        await pilot.press("enter")
        await pilot.pause(0.2)
        assert options.highlighted is None
        assert status(app) == "Pick an option with the arrow keys, then press Enter."
        await pilot.press("down", "down", "enter")
        await wait_for(pilot, app, "PASS")


async def test_a_saved_choice_is_highlighted_again() -> None:
    app = PaneHost(CHOICE, saved_inputs={"choice": "2"})
    async with app.run_test(size=(80, 24)):
        assert app.query_one("#choices").highlighted == 1
        assert app.query_one(ExercisePane).inputs()["choice"] == "2"


async def test_two_variables_read_f_of_x_y_and_gradient() -> None:
    walk = Exercise(id="map", lesson_slug="two", kind="step", function="x^2 + 3y^2",
                    start=(3.0, 2.0), learning_rate=0.1, editable=("learning_rate",),
                    goal={"converge_within": 50}, solution={})
    app = PaneHost(walk)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+t")
        await wait_for(pilot, app, "Step 1 done")
        text = app.query_one(StepView).text
        assert "1 predict: (x, y) = (3, 2), f(x, y) = 21" in text
        assert str(app.query_one("#derivative", Static).render()) == (
            "gradient: df/dx = 2*x, df/dy = 6*y")


async def test_the_scale_box_says_on_or_off_in_words(tmp_path) -> None:
    """Without colour the checkbox's X looks the same either way: the label must say it."""
    (tmp_path / "data").mkdir()  # the lesson's data folder, beside its file
    (tmp_path / "data" / "line.csv").write_text("x,y\n1,3\n2,5\n3,7\n")
    fit = Exercise(id="fit", lesson_slug="scaling", kind="fit", data="line.csv", scale=False,
                   learning_rate=0.1, editable=("scale", "learning_rate"),
                   goal={"slope_near": 2.0}, solution={"scale": True},
                   path=tmp_path / "10-scaling.md")

    app = PaneHost(fit)
    async with app.run_test(size=(80, 24)) as pilot:
        box = app.query_one("#field-scale")
        assert str(box.label) == "off (Space turns it on)"
        box.focus()
        await pilot.press("space")
        await pilot.pause()
        assert box.value and str(box.label) == "on (Space turns it off)"
        assert app.query_one(ExercisePane).inputs()["scale"] == "true"


async def test_every_data_point_shows_even_where_the_line_runs_through_it(tmp_path) -> None:
    # points close to the fitted line (lesson 10's houses) were painted over by it
    rows = "".join(f"{x},{1 + 2 * x + (0.05 if x % 2 else -0.05)}\n" for x in range(12))
    (tmp_path / "data").mkdir()  # the lesson's data folder, beside its file
    (tmp_path / "data" / "near.csv").write_text("x,y\n" + rows)
    fit = Exercise(id="fit", lesson_slug="scaling", kind="fit", data="near.csv",
                   learning_rate=0.1, iterations=5000, editable=("learning_rate",),
                   goal={"slope_near": 2.0}, solution={}, path=tmp_path / "10-scaling.md")

    app = PaneHost(fit)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")
        await wait_for(pilot, app, "PASS")
        plot = app.query_one(FitPlot)

        def marks() -> int:
            drawn = str(plot.render())
            return sum(line.count("o") for line in drawn.splitlines()[2:-3])  # legend/axes aside

        await wait_until(pilot, lambda: marks() >= 10, lambda: f"10 points drawn ({marks()})", 5)
