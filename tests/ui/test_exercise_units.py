"""Unit tests of the pane's pure helpers: parsing inputs, formatting, thinning, the level view."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tutor.lessons.model import Exercise
from tutor.ui.widgets.exercise.contour_plot import SHADES, level_lines, shade_grid
from tutor.ui.widgets.exercise.cost_plot import decade_ticks, use_log_scale
from tutor.practice.running import sample_indices
from tutor.ui.widgets.exercise.formatting import fmt, fmt_point, head_tail
from tutor.ui.widgets.exercise.hint_box import solution_text
from tutor.ui.widgets.exercise.specs import field_specs
from tutor.ui.widgets.exercise.step_view import describe_step

def test_formatting() -> None:
    assert fmt(3 * 0.8 ** 40) == "0.000398768"
    assert fmt(2.4000000000000004) == "2.4" and fmt(float("inf")) == "inf" and fmt(-0.0) == "0"
    assert fmt_point((1.0,)) == "1" and fmt_point((1.0, -2.5)) == "(1, -2.5)"


def test_thinning_keeps_first_and_last_and_bounds_the_count() -> None:
    picked = sample_indices(10_001, 160)
    assert picked[0] == 0 and picked[-1] == 10_000 and len(picked) <= 160
    assert sample_indices(5, 160) == [0, 1, 2, 3, 4]
    assert head_tail(41) == [0, 1, 2, 3, 4, None, 36, 37, 38, 39, 40]
    assert head_tail(11) == list(range(11))


def test_log_scale_and_decade_ticks() -> None:
    assert use_log_scale([[9.0, 1e-7]]) and not use_log_scale([[9.0, 1.0]])
    assert not use_log_scale([[9.0, -1.0]])
    ticks, labels = decade_ticks([[9.0, 1.6e-7]])
    assert ticks[0] <= 1.6e-7 and ticks[-1] >= 9 and len(ticks) <= 5
    assert labels[-1] == "10"


def test_shade_grid_ranks_values_low_to_high() -> None:
    grid = shade_grid([[float(v) for v in range(10)], [float("nan")] * 10])
    assert "".join(grid[0]) == SHADES and set(grid[1]) == {"!"}


def test_level_lines_mark_start_path_and_end_on_a_bowl() -> None:
    path = [(2.0, 1.0), (1.6, 0.4), (1.28, 0.16), (0.0, 0.0)]
    rows = level_lines(lambda p: p[0] ** 2 + 3 * p[1] ** 2, path, 30, 10)
    assert len(rows) == 10 and all(len(r) == 30 for r in rows)
    text = "\n".join(rows)
    assert text.count("S") == 1 and text.count("E") == 1 and text.count("o") == 2
    start_row = next(i for i, r in enumerate(rows) if "S" in r)
    end_row = next(i for i, r in enumerate(rows) if "E" in r)
    assert start_row < end_row  # y = 1 is drawn above y = 0
    assert rows[0][-1] == "@" and rows[0][0] in "#%@"  # far corners are high on a bowl


def test_step_description_has_the_three_steps() -> None:
    class Report:
        n, x, cost, gradient, update, new_x, new_cost = 1, (3.0,), 9.0, (6.0,), (-0.6,), (2.4,), 5.76
    text = describe_step(Report, 0.1, "gd", ("x",))
    assert "1 predict: x = 3, f(x) = 9" in text
    assert "2 calculate the error: slope = 6" in text
    assert "3 learn: x <- x - rate*slope = 3 - 0.1*6 = 2.4" in text
    adam = describe_step(Report, 0.1, "adam", ("x",))
    assert "x <- x + adam step = 3 + -0.6 = 2.4" in adam


def test_field_specs_follow_the_exercise() -> None:
    exercise = Exercise(id="e", lesson_slug="l", function="x^2", start=(-1.2, 1.0), learning_rate=0.001,
                        editable=("learning_rate",), solution={"learning_rate": 0.4})
    specs = {s.key: s for s in field_specs(exercise, saved={"learning_rate": "0.2", "function": "x"})}
    assert specs["start"].value == "-1.2,1" and not specs["start"].editable
    assert specs["learning_rate"].value == "0.2" and specs["learning_rate"].editable
    assert specs["function"].value == "x^2"
    free = {s.key: s for s in field_specs(None, overrides={"function": "x^4", "start": None})}
    assert free["function"].value == "x^4" and free["start"].value == "" and "compare" in free
    assert solution_text({"learning_rate": 0.4, "start": [1, 2]}) == "learning rate = 0.4, start = (1, 2)"
    code = "from sympy import symbols\nx = symbols('x')\n"
    assert solution_text({"code": code}) == "\nfrom sympy import symbols\nx = symbols('x')"


def test_importing_the_pane_and_playground_does_not_import_sympy() -> None:
    code = ("import sys; import tutor.ui.widgets.exercise, tutor.ui.screens.playground; "
            "print('sympy' in sys.modules, 'tutor.engine' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


def test_iteration_ticks_are_round_whole_numbers() -> None:
    from tutor.ui.widgets.exercise.cost_plot import iteration_ticks

    assert iteration_ticks(40) == [0, 10, 20, 30, 40]
    assert iteration_ticks(10_000) == [0, 5000, 10000]
    assert iteration_ticks(3) == [0, 1, 2, 3] and iteration_ticks(0) == [0]


def test_offers_follow_the_exercise_kind() -> None:
    from tutor.ui.widgets.exercise.specs import offers

    free = [a for a in ("run", "step", "compare", "hint", "skip", "cancel") if offers(None, a)]
    assert free == ["run", "step", "compare", "cancel"]
    quiz = Exercise(id="q", lesson_slug="l", kind="numeric", goal={"answer": 1}, hints=("h",))
    assert [a for a in ("run", "step", "compare", "hint", "skip", "cancel") if offers(quiz, a)] == [
        "hint", "skip"]
    fit = Exercise(id="f", lesson_slug="l", kind="fit", data="a.csv")
    assert offers(fit, "run") and not offers(fit, "step") and not offers(fit, "compare")


def test_status_words_count_updates_like_the_verdict() -> None:
    """The status line and the check's verdict name the same count with the same word."""
    from tutor.ui.widgets.exercise.status import status_words

    assert status_words("converged", 40) == "converged in 40 updates"
    assert status_words("converged", 1) == "converged in 1 update"
    assert status_words("max_iterations", 100) == "stopped at the iteration limit (100 updates)"
    assert status_words("stopped", 658_489) == "cancelled after 658,489 updates"
    assert status_words("diverged", 10) == "diverged after 10 updates"


def test_iteration_table_text_lines_up_in_columns() -> None:
    from tutor.ui.widgets.exercise.iteration_table import IterationRow, table_text

    rows = [IterationRow(0, (3.0,), 9.0, (6.0,), (-0.6,)), None,
            IterationRow(40, (0.000398768,), 1.59e-07, (0.000797537,), None)]
    lines = table_text(rows).splitlines()
    assert lines[0].split() == ["n", "x", "f(x)", "slope", "step"]
    assert set(lines[1]) == {"-"} and len({len(line) for line in lines}) == 1
    assert lines[2].split() == ["0", "3", "9", "6", "-0.6"]
    assert lines[3].split() == ["..."] * 5
    assert lines[4].split() == ["40", "0.000398768", "1.59e-07", "0.000797537"]


def test_a_two_variable_table_fits_80_columns_and_keeps_short_numbers_whole() -> None:
    from tutor.engine import compile_objective, minimize
    from tutor.ui.widgets.exercise.iteration_table import rows_from_path, table_text

    ravine = compile_objective("x^2 + 100y^2")
    result = minimize(ravine, [1.0, 1.0], learning_rate=0.009, max_iterations=1000)
    lines = table_text(rows_from_path(result.path, ravine.gradient), ("x", "y")).splitlines()
    assert max(len(line) for line in lines) <= 74  # the pane's width at 80 columns
    assert lines[0].split() == ["n", "(x,", "y)", "f", "gradient", "step"]
    assert lines[2].split() == ["0", "(1,1)", "101", "(2,200)", "(-0.018,-1.8)"]
    assert lines[-1].split()[:2] == ["287", "(0.00544,-1.54e-28)"]  # 3 digits where 6 wrap
    bowl = compile_objective("x^2")
    one = table_text(rows_from_path(minimize(bowl, [3.0], learning_rate=0.1).path, bowl.gradient))
    assert "0.000398768" in one  # one variable keeps 6 digits


def test_a_diverged_two_variable_table_fits_the_pane_at_80_columns() -> None:
    from tutor.engine import compile_objective, minimize
    from tutor.ui.widgets.exercise.iteration_table import TABLE_WIDTH, rows_from_path, table_text

    ravine = compile_objective("x^2 + 100y^2")
    result = minimize(ravine, [-1.5, 1.25], learning_rate=0.5, max_iterations=60)
    assert result.status == "diverged"
    text = table_text(rows_from_path(result.path, ravine.gradient), ("x", "y"))
    assert max(len(line) for line in text.splitlines()) <= TABLE_WIDTH <= 74
    narrow = table_text(rows_from_path(result.path, ravine.gradient), ("x", "y"), 60)
    assert max(len(line) for line in narrow.splitlines()) <= 60


def test_axis_labels_are_short_and_the_legend_is_the_title() -> None:
    from tutor.ui.widgets.exercise.cost_plot import legend_title, use_log_scale
    from tutor.ui.widgets.exercise.formatting import nice_ticks, tick_label

    assert [tick_label(v) for v in (1.234567e34, -1.234567e34, 0.25, 3e-7, 0.0)] == [
        "1.23e+34", "-1.2e+34", "0.25", "3e-07", "0"]
    assert all(len(tick_label(t)) <= 8 for t in nice_ticks(-3.0, 1.7e34))
    assert all(len(tick_label(t)) <= 8 for t in nice_ticks(0.0, 1e-17))
    assert legend_title(["0.1", "0.5", "0.9"]) == "— 0.1  + 0.5  x 0.9"
    assert use_log_scale([[9.0, 1e-3, 1e-12, 0.0]])  # precision 0: the cost reaches exactly 0


def test_a_blown_up_run_draws_only_the_guesses_before_it_blew_up() -> None:
    from tutor.ui.widgets.exercise.function_plot import sensible_count

    assert sensible_count([3.0, -3.6, 4.3, -5.2]) == 4
    assert sensible_count([3.0, -30.0, 300.0, -3000.0, 3e4, float("inf")]) == 4
    assert sensible_count([0.0, 5000.0]) == 1


def test_the_unticked_scale_box_draws_no_cross() -> None:
    from tutor.ui.widgets.exercise.fields import ScaleToggle

    box = ScaleToggle(False)
    assert box.BUTTON_INNER == " " and ScaleToggle(True).BUTTON_INNER == "X"
    box.value = True
    assert box.BUTTON_INNER == "X"


def test_a_fit_line_is_written_in_the_columns_names_with_its_own_sign() -> None:
    from types import SimpleNamespace

    from tutor.ui.widgets.exercise.status import describe_fit

    falling = SimpleNamespace(intercept=323.811, slope=-1.45171, cost=12.5, status="converged",
                              nit=40)
    said = describe_fit(falling, "age_years", "price_k")
    assert "price_k = 323.811 - 1.45171*age_years" in said and "+ -" not in said
    rising = SimpleNamespace(intercept=-2.0, slope=0.5, cost=1.0, status="converged", nit=3)
    assert "y = -2 + 0.5*x" in describe_fit(rising)


def test_level_view_caption_wraps_and_names_the_blank_lowest_level() -> None:
    """At 60 columns the caption lost `@ high` and the w range; `.` is not the lowest glyph."""
    from tutor.ui.widgets.exercise.contour_plot import SHADES, caption_lines

    legend, axes = caption_lines(("b", "w"), (-0.5, 1.5), (-0.5, 2.25), 26)
    assert all(len(line) <= 26 for line in legend + axes)
    assert " ".join(legend) == "S start o path E end; blank low @ high"
    assert " ".join(axes) == "b -0.5..1.5 across, w -0.5..2.25 up"
    assert SHADES[0] == " "  # the lowest level is drawn blank, as the legend says


def test_compare_names_the_curves_the_plot_cannot_show_apart() -> None:
    """Lesson 5's four rates on x^2: 0.1 and 0.9 draw one over the other, 0.5 hits 0."""
    from tutor.engine.descent import minimize
    from tutor.ui.widgets.exercise.cost_plot import hidden_curves

    series = [(f"rate {lr}", [p.cost for p in minimize("x^2", (3.0,), learning_rate=lr).path])
              for lr in (0.01, 0.1, 0.5, 0.9)]
    assert hidden_curves(series) == ("On the plot (cost, log scale): rate 0.1 and 0.9 have the "
                                     "same costs; rate 0.5 reaches 0, below the log scale.")
    assert hidden_curves(series[:1]) == ""
