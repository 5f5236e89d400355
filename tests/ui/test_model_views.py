"""The pane's views of a trained model, driven at 80x24 on the fixture lesson fixtures/models.

Known answers: the decision map's boundary where known weights put it and the points in
their cells; the costs a mini-batch or split run records, plotted as they were recorded;
one stochastic step's rows, gradient and update against a hand computation; a network
drawn while it trains, and Esc stopping it.
"""

from __future__ import annotations

import math
import random
import re
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Label

from tutor.lessons import load_lessons
from tutor.lessons.model import Exercise
from tutor.ui.widgets.exercise import ExercisePane
from tutor.ui.widgets.exercise.cost_plot import CostPlot
from tutor.ui.widgets.exercise.decision_map import DecisionMap, cell_of, map_lines, plane_range
from tutor.ui.widgets.exercise.fields import FieldRow
from tutor.ui.widgets.exercise.fit_plot import FitPlot
from tutor.ui.widgets.exercise.formatting import fmt
from tutor.ui.widgets.exercise.step_view import StepView
from ui_testkit import PaneHost, settle, wait_until

MODELS = Path(__file__).parent / "fixtures" / "models"


@pytest.fixture(autouse=True)
def _own_data(data_dir: Path) -> None:
    """No progress store of the developer's is touched."""


def exercise(exercise_id: str) -> Exercise:
    """One exercise of the fixture lesson."""
    lesson = load_lessons(MODELS).lessons[0]
    return next(e for e in lesson.exercises if e.id == exercise_id)


def status(app: Any) -> str:
    return app.query_one(ExercisePane).status.outcome_text


def sigmoid(s: float) -> float:
    return 1 / (1 + math.exp(-s))


def test_the_boundary_lies_where_known_weights_put_it() -> None:
    # p = sigmoid(3 (a - 1.25)): the boundary is a = 1.25 whatever b. Cells are 0.12 wide
    # from -0.2 (the points' range 0..2 with a tenth each side), so 1.25 falls between the
    # centres of cells 11 (1.18) and 12 (1.30), nearer 12: column 12 is the boundary.
    def predict(rows: list[list[float]]) -> list[float]:
        return [sigmoid(3 * (a - 1.25)) for a, _b in rows]

    lines = map_lines(predict, [0.0, 2.0], [0.0, 2.0], [0, 1], 20, 6)
    right = "*" + "." * 7
    assert lines[0] == " " * 12 + "*....." + "x" + "."  # (2, 2) is class 1, top right
    assert lines[1:5] == [" " * 12 + right] * 4
    assert lines[5] == " o" + " " * 10 + right  # (0, 0) is class 0, bottom left


def test_a_sloping_boundary_is_marked_in_each_row_where_it_crosses() -> None:
    # p = sigmoid(a + b - 4) on 0..4 x 0..4: the boundary is the diagonal a + b = 4.
    def predict(rows: list[list[float]]) -> list[float]:
        return [sigmoid(a + b - 4) for a, b in rows]

    width = height = 10
    lines = map_lines(predict, [0.0, 4.0], [0.0, 4.0], [0, 1], width, height)
    lo, hi = plane_range([0.0, 4.0])
    size = (hi - lo) / width
    for row, line in enumerate(lines):
        b = hi - size * (row + 0.5)
        edge = [c for c, ch in enumerate(line) if ch == "*"]
        crossing = (4 - b - lo) / size - 0.5  # the column (in centres) where a = 4 - b
        assert edge and min(abs(c - crossing) for c in edge) <= 0.5, (row, line)
        assert set(line[:min(edge)]) <= {" ", "o"} and set(line[max(edge) + 1:]) <= {".", "x"}


async def test_a_two_feature_classifier_is_a_map_with_each_point_in_its_cell() -> None:
    app = PaneHost(exercise("blobs-logistic"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")
        await settle(pilot, app.query_one(ExercisePane))
        assert status(app).startswith("Logistic model ran all 300 epochs (300 updates): "
                                      "log-loss ") and "accuracy 100%" in status(app)
        view = app.query_one(DecisionMap)
        assert view.display and view.size.width >= 30
        assert view.names == ("a", "b", "label")
        lines = view.lines(38, 13)
        assert lines[:2] == ["o label 0  x label 1", ". predicts 1  * boundary"]
        assert lines[-1] == "a 0.2..3.8 across, b 0.2..3.8 up"
        narrow = view.lines(20, 13)  # at 60x20 the b range was cut off: it wraps
        assert narrow[-2:] == ["a 0.2..3.8 across, b", "0.2..3.8 up"] and len(narrow) == 13
        grid = lines[2:-1]
        table = [line.split(",") for line in
                 (MODELS / "data" / "two-blobs.csv").read_text().splitlines()[1:]]
        for a, b, label in table:
            col = cell_of(float(a), 0.2, 3.8, 38)
            row = cell_of(float(b), 3.8, 0.2, len(grid))
            assert grid[row][col] == ("o" if label == "0" else "x"), (a, b, grid[row])
        assert sum(line.count("*") for line in grid) >= len(grid)  # a boundary in every row
        # the two points nearest the line: (1.8, 1.9) predicted 0 and (2.2, 2.1) 1
        probabilities = view.predict([[1.8, 1.9], [2.2, 2.1]])  # type: ignore[misc]
        assert probabilities[0] < 0.5 < probabilities[1]


async def test_mini_batches_plot_each_batch_beside_the_full_batch_cost() -> None:
    app = PaneHost(exercise("sgd-houses"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")
        await settle(pilot, app.query_one(ExercisePane))
        assert status(app).startswith("Linear model ran all 30 epochs (180 updates): "
                                      "mean squared error ")
        plot = app.query_one(CostPlot)
        (batch, batch_x, batch_y), (full, full_x, full_y) = plot.series
        assert (batch, full, plot.unit) == ("each batch", "full batch", "update")
        assert batch_x == list(range(180)) and len(batch_y) == 180  # 24 rows / 4 = 6 a epoch
        assert full_x == list(range(0, 181, 6)) and len(full_y) == 31
        noisy = sum(1 for a, b in zip(batch_y[6:], batch_y[7:]) if b > a)
        assert noisy > 10  # the batch cost goes up as well as down
        built = plot.plt.build()
        assert "— each batch  + full batch" in built and "update" in built
        fit = app.query_one(FitPlot)  # several features: predicted against actual
        assert fit.display and fit.names == ("actual price_k", "predicted")


async def test_a_test_split_plots_training_and_test_cost_per_epoch() -> None:
    app = PaneHost(exercise("split-houses"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")
        await settle(pilot, app.query_one(ExercisePane))
        plot = app.query_one(CostPlot)
        (train, train_x, train_y), (test, test_x, test_y) = plot.series
        assert (train, test, plot.unit) == ("training", "test", "epoch")
        assert train_x == test_x == list(range(201))
        assert test_y[-1] > 2 * train_y[-1]  # 7 held-back houses cost more than the 17 seen
        assert f"test {fmt(test_y[-1])}" in status(app)
        assert "— training  + test" in plot.plt.build()


async def test_one_feature_logistic_draws_the_probability_curve() -> None:
    app = PaneHost(replace(exercise("passed-step"), batch_size=None))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")
        await settle(pilot, app.query_one(ExercisePane))
        plot = app.query_one(FitPlot)
        assert plot.display and plot.title.startswith("P(passed=1) against hours")
        xs, ps = plot.curve  # type: ignore[misc]
        assert xs[0] == 0.5 and xs[-1] == 10 and all(a < b for a, b in zip(ps, ps[1:]))


def hand_first_step(rows: int, batch: int, seed: int) -> tuple[list[int], float, list[float]]:
    """The first stochastic step of a logistic model from zero weights, by hand: the rows
    a seeded shuffle draws first, and with p = 0.5 for every row the gradient is
    mean(p - y) for the intercept and mean((p - y) z) for the standardised feature."""
    table = [line.split(",") for line in
             (MODELS / "data" / "passed.csv").read_text().splitlines()[1:]]
    hours = [float(h) for h, _ in table]
    passed = [float(p) for _, p in table]
    mean = sum(hours) / rows
    spread = math.sqrt(sum((h - mean) ** 2 for h in hours) / rows)
    order = list(range(rows))
    random.Random(seed).shuffle(order)
    drawn = order[:batch]
    errors = [0.5 - passed[i] for i in drawn]
    grad = [sum(errors) / batch,
            sum(e * (hours[i] - mean) / spread for e, i in zip(errors, drawn)) / batch]
    return drawn, math.log(2), grad


async def test_step_mode_shows_the_rows_drawn_the_gradient_and_the_update() -> None:
    app = PaneHost(exercise("passed-step"))
    async with app.run_test(size=(80, 24)) as pilot:
        pane = app.query_one(ExercisePane)
        assert pane.first_prompt() == "Press Enter to train the model, or ^t to take one step."
        await pilot.press("ctrl+t")
        view = app.query_one(StepView)
        await wait_until(pilot, lambda: view.text.startswith("Step 1"), "the first step")
        drawn, cost, (g0, g1) = hand_first_step(30, 4, seed=0)
        rate = 0.1
        lines = view.text.splitlines()
        rows = ", ".join(str(i + 1) for i in drawn)
        assert lines[0] == f"Step 1 (epoch 1, batch 1 of 8): data rows {rows} drawn"
        assert lines[1] == f"1 predict: weights (b, hours) = (0, 0); cost on them {fmt(cost)}"
        assert lines[2] == f"2 calculate the error: gradient from them = ({fmt(g0)}, {fmt(g1)})"
        after = f"({fmt(-rate * g0)}, {fmt(-rate * g1)})"
        assert lines[3] == f"3 learn: weights - 0.1*gradient -> {after}"
        assert status(app) == "Step 1 done. Press ^t for the next one."
        await pilot.press("ctrl+t")
        await wait_until(pilot, lambda: view.text.startswith("Step 2 (epoch 1, batch 2 of 8)"),
                         "the second step")
        assert f"weights (b, hours) = ({fmt(-rate * g0)}, {fmt(-rate * g1)})" in view.text
        assert app.query_one(CostPlot).series[0][2][0] == pytest.approx(cost, rel=1e-12)


async def test_a_network_is_drawn_while_it_trains_and_esc_stops_it() -> None:
    # a precision far below any step: the run goes on until Esc (on a quick machine the
    # default precision let it converge before the test had seen its second picture)
    app = PaneHost(replace(exercise("xor-network"), epochs=1_000_000, precision=1e-12))
    async with app.run_test(size=(80, 24)) as pilot:
        pane = app.query_one(ExercisePane)
        pane.entry().focus()  # a learner's Enter and Esc come from a field of the pane
        await pilot.pause()
        await pilot.press("enter")
        plot, view = app.query_one(CostPlot), app.query_one(DecisionMap)
        await wait_until(pilot, lambda: view.predict is not None and view.display,
                         "the map while training", then_idle=False)
        assert pane.running
        first = plot.series[0][1][-1]  # the last epoch drawn
        await wait_until(pilot, lambda: plot.series[0][1][-1] > first, "a later picture",
                         then_idle=False)
        assert pane.running and plot.series[0][1][0] == 1 and plot.unit == "epoch"
        await wait_until(pilot, lambda: "epochs (Esc cancels)" in status(app), "progress",
                         then_idle=False)
        assert status(app).startswith("Running... ") and " of 1,000,000 epochs" in status(app)
        grid = "\n".join(view.lines(38, 13)[2:-1])
        assert grid.count("o") == 2 and grid.count("x") == 2  # XOR's four corners
        # far into the run: each picture once held every cost so far, and redrawing it
        # starved the interface, so that Esc was read only after the millionth epoch
        await wait_until(pilot, lambda: _epochs_done(status(app)) >= 100_000,
                         lambda: f"100,000 epochs (status: {status(app)})", 120,
                         then_idle=False)
        await pilot.press("escape")
        await settle(pilot, pane)
        assert status(app).startswith("Network cancelled after "), status(app)
        assert view.display and plot.series[0][1][-1] > first


def _epochs_done(text: str) -> int:
    """The count in `Running... 12,300 of 1,000,000 epochs (Esc cancels)` (0 if none)."""
    found = re.match(r"Running\.\.\. ([\d,]+) of ", text)
    return int(found.group(1).replace(",", "")) if found else 0


@pytest.mark.parametrize("exercise_id", ["xor-network", "blobs-logistic", "sgd-houses"])
async def test_a_rate_far_too_large_is_said_in_words_and_the_views_still_draw(
        exercise_id: str) -> None:
    app = PaneHost(replace(exercise(exercise_id), learning_rate=1e300))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")
        await settle(pilot, app.query_one(ExercisePane))
        text = status(app)
        if exercise_id == "xor-network":  # tanh saturates: huge but finite costs
            assert text.startswith("Network ran all 3000 epochs") and "e+299" in text
        else:
            assert " diverged after " in text and text.count("Diverged: ") == 1
            assert text.endswith("for the computer (infinite or not a number) after 1 epoch.")
        plot = app.query_one(CostPlot)
        assert plot.display and "could not be drawn" not in str(plot.render())
        if exercise_id != "sgd-houses":
            assert app.query_one(DecisionMap).lines(38, 13)  # drawn, whatever it predicts


async def test_a_model_fit_shows_its_settings_and_the_learner_may_change_those_it_allows() -> None:
    app = PaneHost(exercise("sgd-houses"))  # editable: [batch_size, seed]
    async with app.run_test(size=(80, 24)) as pilot:
        pane = app.query_one(ExercisePane)
        fields = pane.fields
        assert fields.keys == ("data", "x", "y", "learning_rate", "batch_size", "epochs", "seed")
        assert fields.values()["x"] == "size_sqft,rooms,age_years"
        assert [s.key for s in fields.specs if s.editable] == ["batch_size", "seed"]
        assert app.focused is not None and app.focused.id == "field-batch_size"
        await pilot.press("1", "enter")  # stochastic: one update per house
        await settle(pilot, pane)
        assert "(720 updates)" in status(app)  # 30 epochs x 24 houses
        assert len(app.query_one(CostPlot).series[0][2]) == 720
        await pilot.press("ctrl+u", "0", "enter")
        await settle(pilot, pane)
        assert status(app) == ("Problem: The batch size must be a whole number 1 or more, "
                               "not '0'.")


async def test_a_network_s_model_field_is_labelled_as_its_output() -> None:
    """`model logistic` beside `hidden 2` read as logistic regression: a network's model
    setting is the kind of its output unit."""
    for exercise_id, label in (("xor-network", "output"), ("blobs-logistic", "model")):
        app = PaneHost(exercise(exercise_id))
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            rows = [row for row in app.query(FieldRow) if row.spec.key == "model"]
            assert len(rows) == 1, exercise_id
            shown = str(rows[0].query_one(Label).render()).strip()
            assert shown == label, (exercise_id, shown)
