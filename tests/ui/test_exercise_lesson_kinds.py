"""Pilot tests of lesson exercises in the pane: checks, hints, skip, saving, fit, numeric, choice."""

from __future__ import annotations

import time
from pathlib import Path

from textual import on
from textual.app import App
from textual.widgets import Input, OptionList
from ui_testkit import PaneHost, wait_until

from tutor.lessons.model import Exercise
from tutor.ui.widgets.exercise import ExercisePane
from tutor.ui.widgets.exercise.fit_plot import FitPlot
from tutor.ui.widgets.exercise.hint_box import HintBox
from tutor.ui.widgets.exercise.status import RunStatus

RATE_EXERCISE = Exercise(
    id="pick-rate", lesson_slug="rates", kind="run", prompt="Make it converge within 20.",
    function="x^2", start=(3.0,), learning_rate=0.1, editable=("learning_rate",),
    goal={"converge_within": 20}, solution={"learning_rate": 0.4},
    hints=("Larger rates take bigger steps.", "Try between 0.3 and 0.5.", "0.4 works."),
)


class Host(PaneHost):
    """One pane, recording every message it sends to the screen."""

    def __init__(self, exercise: Exercise, **options: object) -> None:
        super().__init__(exercise, **options)
        self.events: list[object] = []

    @on(ExercisePane.Attempted)
    @on(ExercisePane.Skipped)
    @on(ExercisePane.HintShown)
    @on(ExercisePane.InputsChanged)
    def record(self, event: object) -> None:
        self.events.append(event)


async def settle(pilot, app: Host, count: int = 1, timeout: float = 20.0) -> None:
    """Wait until `count` Attempted messages have arrived."""
    await wait_until(pilot, lambda: len(attempts(app)) >= count,
                     f"{count} attempt(s) being reported", timeout)


def attempts(app: Host) -> list[ExercisePane.Attempted]:
    """The Attempted messages so far (InputsChanged may arrive in between)."""
    return [e for e in app.events if isinstance(e, ExercisePane.Attempted)]


def status(app: App) -> str:
    return str(app.query_one(RunStatus).render())


async def test_fixed_fields_are_read_only_and_editable_ones_take_input() -> None:
    app = Host(RATE_EXERCISE)
    async with app.run_test(size=(80, 24)):
        assert app.query_one("#field-function", Input).disabled
        assert app.query_one("#field-start", Input).value == "3"
        rate = app.query_one("#field-learning_rate", Input)
        assert not rate.disabled and rate.value == "0.1"
        assert app.query_one("#field-iterations", Input).value == "100"


async def test_a_failing_then_passing_attempt_is_checked_and_reported() -> None:
    app = Host(RATE_EXERCISE)
    async with app.run_test(size=(80, 24)) as pilot:
        app.query_one("#field-learning_rate", Input).focus()
        await pilot.press("enter")
        await settle(pilot, app)
        first = attempts(app)[-1]
        assert first.key == "rates/pick-rate" and first.passed is False
        assert first.inputs["learning_rate"] == "0.1"
        assert "NOT YET" in status(app) and "converged in 40 updates" in status(app)
        app.query_one("#field-learning_rate", Input).value = "0.4"
        await pilot.press("enter")
        await settle(pilot, app, count=2)
        last = [e for e in app.events if isinstance(e, ExercisePane.Attempted)][-1]
        assert last.passed is True and last.inputs["learning_rate"] == "0.4"
        assert "PASS" in status(app)


async def test_hints_come_one_at_a_time_then_the_solution() -> None:
    app = Host(RATE_EXERCISE)
    async with app.run_test(size=(80, 24)) as pilot:
        box = app.query_one(HintBox)
        assert not box.display or not box.has_class("-shown")
        for expected in (1, 2, 3):
            await pilot.press("ctrl+g")
            await pilot.pause()
            text = str(box.render())
            assert f"Hint {expected}:" in text and f"Hint {expected + 1}:" not in text
            assert "Solution" not in text
        await pilot.press("ctrl+g")
        await pilot.pause()
        assert "Solution: learning rate = 0.4" in str(box.render())
        counts = [e.count for e in app.events if isinstance(e, ExercisePane.HintShown)]
        assert counts == [1, 2, 3, 4]


async def test_hints_already_shown_and_earlier_state_are_restored() -> None:
    app = Host(RATE_EXERCISE, hints_shown=2, state="attempted")
    async with app.run_test(size=(80, 24)):
        text = str(app.query_one(HintBox).render())
        assert "Hint 2:" in text and "Hint 3:" not in text
        assert status(app).startswith("Tried before, not passed yet")


async def test_skip_is_reported_to_the_screen() -> None:
    app = Host(RATE_EXERCISE)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+o")
        await pilot.pause()
        skipped = [e for e in app.events if isinstance(e, ExercisePane.Skipped)]
        assert [e.key for e in skipped] == ["rates/pick-rate"]


async def test_saved_inputs_restore_and_changes_are_reported_once_settled() -> None:
    app = Host(RATE_EXERCISE, saved_inputs={"learning_rate": "0.35", "function": "x^4"})
    async with app.run_test(size=(80, 24)) as pilot:
        rate = app.query_one("#field-learning_rate", Input)
        assert rate.value == "0.35"
        assert app.query_one("#field-function", Input).value == "x^2"  # not editable
        rate.focus()
        await pilot.press("end", "backspace", "backspace", "4", "5")  # end: edit, not replace
        await pilot.pause(0.1)  # time itself: the pane waits for typing to pause
        assert not [e for e in app.events if isinstance(e, ExercisePane.InputsChanged)]
        await pilot.pause(1.0)  # past the debounce: one report, not one per key
        changed = [e for e in app.events if isinstance(e, ExercisePane.InputsChanged)]
        assert len(changed) == 1 and changed[0].inputs["learning_rate"] == "0.45"


async def test_fit_exercise_on_a_csv_draws_data_line_and_cost(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()  # the lesson's data folder, beside its file
    csv = tmp_path / "data" / "line.csv"
    csv.write_text("x,y\n" + "".join(f"{x},{1 + 2 * x}\n" for x in range(10)))
    exercise = Exercise(id="fit-line", lesson_slug="fitting", kind="fit", data="line.csv",
                        learning_rate=0.1, iterations=5000, precision=1e-9, scale=True,
                        editable=("scale", "learning_rate"), goal={"slope_near": 2.0},
                        path=tmp_path / "01-fitting.md")
    app = Host(exercise)
    async with app.run_test(size=(80, 24)) as pilot:
        scale = app.query_one("#field-scale")
        scale.focus()
        await pilot.press("space")
        assert scale.value is False and app.query_one(ExercisePane).inputs()["scale"] == "false"
        await pilot.press("space", "enter")  # Space toggles back; Enter runs from the checkbox too
        await settle(pilot, app)
        assert scale.value is True
        assert attempts(app)[-1].passed is True and attempts(app)[-1].inputs["scale"] == "true"
        text = status(app)
        assert text.startswith("Fit converged in ") and "y = 1 + 2*x" in text
        plot = app.query_one(FitPlot)
        assert plot.display and plot.line is not None
        assert abs(plot.line[0] - 1) < 1e-4 and abs(plot.line[1] - 2) < 1e-4
        assert "data" in plot.plt.build()


async def test_a_fit_reads_the_columns_the_learner_chooses(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    rows = "".join(f"{i},{s},{50 + 3 * s},{i % 4}\n" for i, s in enumerate(range(20, 40)))
    (tmp_path / "data" / "homes.csv").write_text("id,size,price,rooms\n" + rows)
    exercise = Exercise(id="fit-homes", lesson_slug="fitting", kind="fit", data="homes.csv",
                        learning_rate=0.1, iterations=5000, precision=1e-9, scale=True,
                        editable=("learning_rate",), goal={"slope_near": 3.0},
                        path=tmp_path / "01-fitting.md")
    app = Host(exercise)
    async with app.run_test(size=(80, 24)) as pilot:
        x_field = app.query_one("#field-x_column", Input)
        assert not x_field.disabled and x_field.placeholder == "1st column"
        x_field.focus()
        await pilot.press(*"size", "tab", *"price", "enter")
        await settle(pilot, app)
        assert attempts(app)[-1].passed is True
        plot = app.query_one(FitPlot)
        assert plot.names == ("size", "price") and abs(plot.line[1] - 3) < 1e-4
        assert "price against size" in plot.plt.build()
        x_field.value = "area"
        await pilot.press("enter")
        end = time.monotonic() + 20
        while "columns are" not in status(app) and time.monotonic() < end:
            await pilot.pause(0.05)
        assert "the columns are id, size, price, rooms" in status(app)


async def test_fit_with_a_missing_file_says_so_in_one_sentence(tmp_path: Path) -> None:
    exercise = Exercise(id="fit-none", lesson_slug="fitting", kind="fit", data="nope.csv",
                        editable=("data",), goal={"slope_near": 2.0},
                        path=tmp_path / "01-fitting.md")
    app = Host(exercise)
    async with app.run_test(size=(80, 24)) as pilot:
        app.query_one("#field-data", Input).focus()
        await pilot.press("enter")
        await wait_until(pilot, lambda: status(app).startswith("Problem:"), "a problem line")
        text = status(app)
        assert text.startswith("Problem:") and "nope.csv" in text and "\n" not in text


async def test_numeric_answer_is_checked_on_enter() -> None:
    exercise = Exercise(id="count", lesson_slug="loop", kind="numeric",
                        prompt="How many updates does x^2 from 3 at 0.1 take?",
                        goal={"answer": 40}, solution={"answer": 40})
    app = Host(exercise)
    async with app.run_test(size=(80, 24)) as pilot:
        app.query_one("#field-answer", Input).focus()
        for key in "39":
            await pilot.press(key)
        await pilot.press("enter")
        await settle(pilot, app)
        assert attempts(app)[-1].passed is False and "NOT YET" in status(app)
        await pilot.press("backspace", "backspace", "4", "0", "enter")
        await settle(pilot, app, count=2)
        last = [e for e in app.events if isinstance(e, ExercisePane.Attempted)][-1]
        assert last.passed is True and last.inputs["answer"] == "40"
        assert "PASS" in status(app)


async def test_choice_is_checked_when_an_option_is_chosen() -> None:
    exercise = Exercise(id="which", lesson_slug="loop", kind="choice", prompt="Which step?",
                        options=("predict", "calculate the error", "learn"),
                        goal={"choice": 2}, solution={"choice": 2})
    app = Host(exercise)
    async with app.run_test(size=(80, 24)) as pilot:
        app.query_one(OptionList).focus()
        await pilot.press("down", "down", "enter")  # nothing is highlighted at first
        await settle(pilot, app)
        event = attempts(app)[-1]
        assert event.inputs["choice"] == "2" and event.passed is True


async def test_an_empty_answer_is_not_sent_to_the_check() -> None:
    exercise = Exercise(id="count", lesson_slug="loop", kind="numeric", prompt="How many?",
                        goal={"answer": 40}, solution={"answer": 40})
    app = Host(exercise)
    async with app.run_test(size=(80, 24)) as pilot:
        app.query_one("#field-answer", Input).focus()
        await pilot.press("enter")
        await wait_until(pilot, lambda: status(app).startswith("Problem:"), "a problem line")
        assert status(app) == "Problem: Type your answer in the answer field, then press Enter."
        assert not attempts(app)


async def test_compare_exercise_runs_its_own_rates_and_checks_the_choice() -> None:
    exercise = Exercise(id="race", lesson_slug="rates", kind="compare", prompt="Which is fastest?",
                        function="x^2", start=(3.0,), learning_rate=None,
                        compare={"learning_rates": [0.1, 0.4]}, options=("0.1", "0.4"),
                        goal={"choice": 2}, solution={"choice": 2})
    app = Host(exercise)
    async with app.run_test(size=(80, 24)) as pilot:
        assert app.query_one("#field-compare", Input).value == "0.1, 0.4"
        assert app.query_one("#field-compare", Input).disabled
        assert not app.query("#field-learning_rate")  # no empty rate beside the compared ones
        app.query_one("#run-button").focus()
        await pilot.press("enter")
        await wait_until(pilot, lambda: "rate 0.4" in status(app), "both runs finishing")
        assert "rate 0.1: converged in 40 updates" in status(app)
        assert "rate 0.4: converged in" in status(app)
        assert status(app).endswith("Then pick the answer above (Tab).")  # how to answer
        # seeing the runs is not an answer: reported unchecked (passed None) so inputs are saved
        assert [e.passed for e in attempts(app)] == [None]
        app.query_one(OptionList).focus()
        await pilot.press("down", "down", "enter")
        await settle(pilot, app)
        assert attempts(app)[-1].passed is True and attempts(app)[-1].inputs["choice"] == "2"
        assert "rate 0.4: converged in" in status(app) and "PASS" in status(app)
        assert "Then pick" not in status(app)  # answered: the instruction is gone


async def test_step_exercise_is_checked_when_the_steps_finish() -> None:
    exercise = Exercise(id="walk", lesson_slug="loop", kind="step", function="x^2", start=(1.0,),
                        learning_rate=0.5, goal={"converge_within": 5}, solution={})
    app = Host(exercise)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+t")
        await wait_until(pilot, lambda: "1 predict" in app.query_one("#step-view").text,
                         "the first step showing")
        assert "1 predict: x = 1, f(x) = 1" in app.query_one("#step-view").text
        assert not attempts(app)
        await pilot.press("ctrl+t")  # x = 0 after one step; the second step is 0 long
        await settle(pilot, app)
        assert attempts(app)[-1].passed is True
        assert "converged in 2 updates" in status(app)


async def test_arriving_at_a_fit_puts_the_cursor_in_the_field_it_asks_for(tmp_path: Path) -> None:
    exercise = Exercise(id="fit-rate", lesson_slug="fitting", kind="fit", data="homes.csv",
                        learning_rate=1e-7, editable=("scale", "learning_rate"),
                        goal={"slope_near": 3.0}, path=tmp_path / "01-fitting.md")
    app = Host(exercise)
    async with app.run_test(size=(80, 24)):
        pane = app.query_one(ExercisePane)
        assert pane.entry().id == "field-learning_rate"  # not the always-open column fields
        assert not app.query_one("#field-x_column", Input).disabled
