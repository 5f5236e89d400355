"""Gradient descent: exact known answers, pinned iteration counts, divergence and faults."""

from __future__ import annotations

import math

import pytest

from tutor.engine import (
    Descent,
    EngineInputError,
    ParseError,
    compile_objective,
    minimize,
)


def by_hand(x: float, rate: float, updates: int) -> float:
    """x^2 descended by hand: new = old - rate * slope, slope = 2x."""
    for _ in range(updates):
        x = x - rate * (2 * x)
    return x


def test_x_squared_from_3_at_0_1_stops_after_exactly_40_updates() -> None:
    result = minimize("x^2", 3, learning_rate=0.1)
    assert result.nit == 40
    assert result.status == "converged" and result.success
    assert result.x == (by_hand(3.0, 0.1, 40),)
    assert result.x[0] == pytest.approx(3 * 0.8**40, rel=1e-12)
    assert result.fun == result.x[0] ** 2
    assert result.jac == (2 * result.x[0],)
    # The 40th step is the first shorter than the precision (and it is applied).
    assert 0.2 * abs(by_hand(3.0, 0.1, 39)) < 1e-4 <= 0.2 * abs(by_hand(3.0, 0.1, 38))


def test_precision_zero_runs_all_100_updates() -> None:
    result = minimize("x^2", 3, learning_rate=0.1, precision=0)
    assert result.nit == 100 and result.status == "max_iterations" and not result.success
    assert result.x == (by_hand(3.0, 0.1, 100),)
    assert result.x[0] == pytest.approx(3 * 0.8**100, rel=1e-12)


def test_defaults_are_100_iterations_and_precision_1e_4() -> None:
    result = minimize("x^2", 3, learning_rate=0.001)
    assert result.nit == 100 and result.status == "max_iterations"
    assert result.precision == 1e-4 and result.max_iterations == 100


def test_path_records_every_point_start_included() -> None:
    result = minimize("x^2", 3, learning_rate=0.1)
    path = result.path
    assert len(path) == result.nit + 1 == 41
    assert path[0].x == (3.0,) and path[0].cost == 9.0
    assert path[1].x == (2.4,) and path[1].cost == 2.4 * 2.4
    assert path[-1].x == result.x
    assert path.costs == [p.cost for p in path]
    assert path.column(0) == [by_hand(3.0, 0.1, n) for n in range(41)]
    assert path.gradients[:2] == [[6.0], [4.8]]
    assert [p.x for p in path[2:4]] == [path[2].x, path[3].x]


def test_the_recorded_path_is_a_trajectory_not_a_second_pathlib_path() -> None:
    """`tutor.engine` exports no `Path` that a reader could take for `pathlib.Path`."""
    import tutor.engine
    from tutor.engine import Trajectory, TrajectoryPoint

    path = minimize("x^2", 3, learning_rate=0.1, max_iterations=2).path
    assert isinstance(path, Trajectory) and isinstance(path[0], TrajectoryPoint)
    assert repr(path) == "Trajectory(3 points)"
    assert "Path" not in dir(tutor.engine) and not hasattr(tutor.engine, "Path")


def test_single_steps_follow_predict_error_learn_and_match_minimize_exactly() -> None:
    descent = Descent("x^2", 3, learning_rate=0.1)
    first = descent.step()
    assert (first.n, first.x, first.cost, first.gradient) == (1, (3.0,), 9.0, (6.0,))
    assert first.update == (-0.1 * 6.0,) and first.new_x == (3.0 - 0.1 * 6.0,)
    assert first.new_cost == first.new_x[0] ** 2 and first.step_size == abs(first.update[0])
    reports = [first]
    while not descent.done:
        reports.append(descent.step())
    whole = minimize("x^2", 3, learning_rate=0.1)
    assert descent.result().x == whole.x and descent.nit == whole.nit == len(reports)
    assert descent.path.costs == whole.path.costs
    assert [r.new_x for r in reports] == [p.x for p in whole.path[1:]]
    with pytest.raises(RuntimeError):
        descent.step()


def test_callback_sees_every_step_and_can_stop_the_run() -> None:
    seen = []
    result = minimize("x^2", 3, learning_rate=0.1, callback=lambda r: seen.append(r.n) or r.n == 5)
    assert seen == [1, 2, 3, 4, 5]
    assert result.status == "stopped" and result.nit == 5 and not result.success
    assert result.x == (by_hand(3.0, 0.1, 5),)


@pytest.mark.parametrize("rate", [1.1, 1.5])
def test_too_large_a_rate_diverges_after_ten_rising_steps(rate: float) -> None:
    result = minimize("x^2", 3, learning_rate=rate)
    assert result.status == "diverged" and result.reason == "rising"
    assert result.nit == 10
    # the engine says what happened; advice comes only from the checks, which try it first
    assert result.message == "Diverged: the cost grew on each of the last 10 steps."
    costs = result.path.costs
    assert all(b > a for a, b in zip(costs, costs[1:]))


def test_rate_one_bounces_and_stops_at_the_limit_without_diverging() -> None:
    result = minimize("x^2", 3, learning_rate=1)
    assert result.status == "max_iterations" and result.nit == 100
    assert result.path.column(0)[:4] == [3.0, -3.0, 3.0, -3.0]
    assert set(result.path.costs) == {9.0}


def test_overflowing_cost_is_a_divergence_not_an_exception() -> None:
    result = minimize("x^2", 1e154, learning_rate=1.5, max_iterations=1000)
    assert result.status == "diverged" and result.reason == "nonfinite"
    assert result.nit == 1 and result.fun == math.inf
    assert "too large for the computer" in result.message


def test_nonfinite_position_is_found_even_when_the_cost_stays_finite() -> None:
    # exp(-x^2) stays finite (0.0) as x runs off to -inf; the path stops at the first inf.
    result = minimize("exp(-x^2) - x", 1, learning_rate=1e306, max_iterations=10_000,
                      precision=0)
    assert result.status == "diverged" and result.reason == "nonfinite"
    assert not math.isfinite(result.x[0])
    assert all(math.isfinite(v) for v in result.path.column(0)[:-1])
    assert result.nit == len(result.path) - 1 < 10_000


@pytest.mark.parametrize(("fun", "start", "rate", "fault"), [
    ("log(x)", 1, 5, "math domain error"),        # x becomes -4: log of a negative
    ("1/x", 1e-200, 0.1, "division by zero"),     # the slope -1/x^2 divides by 0.0
    ("exp(x^2)", 3, 1, "overflow"),               # exp(9) slope, then exp(huge)
    ("-exp(x)", 1, 10, "overflow"),
    ("x^1.5", 1, 5, "not a real number"),         # a negative number to the power 1.5
    ("sqrt(x)", 0, 0.1, "division by zero"),      # slope 1/(2 sqrt(0)) at the start
])
def test_math_faults_end_the_run_with_a_clear_message(fun: str, start: float, rate: float,
                                                      fault: str) -> None:
    result = minimize(fun, start, learning_rate=rate)
    assert result.status == "diverged" and result.reason == "fault"
    assert fault in result.message and result.message.endswith(".")
    assert len(result.path) == result.nit + 1
    assert all(math.isfinite(c) for c in result.path.costs)


def test_a_start_where_the_function_is_undefined_is_reported() -> None:
    result = minimize("log(x)", -1, learning_rate=0.1)
    assert result.status == "diverged" and result.reason == "start_fault" and result.nit == 0
    assert result.message.startswith("Cannot start: at the starting point")


def test_fault_mid_run_keeps_the_points_before_it() -> None:
    result = minimize("log(x) + x^2", 3, learning_rate=0.45)
    # Known by hand: x -> x - 0.45*(1/x + 2x) goes 3 -> 0.15 -> -2.985 (log of negative).
    assert result.reason == "fault" and result.nit == 1
    assert result.path.column(0) == [3.0, 3.0 - 0.45 * (1 / 3 + 6.0)]


@pytest.mark.parametrize(("fun", "start", "rate", "nit", "minimum"), [
    # Booth: Hessian eigenvalues 18 and 2; the slow mode shrinks 0.9 per update, so the
    # step 0.05*2*sqrt(2)*0.9^(n-1) drops below 1e-10 at n = 201.
    ("(x + 2y - 7)^2 + (2x + y - 5)^2", (0, 0), 0.05, 201, (1, 3)),
    ("(x^2 + y - 11)^2 + (x + y^2 - 7)^2", (3.5, 2.5), 0.01, 69, (3.0, 2.0)),
    ("(x^2 + y - 11)^2 + (x + y^2 - 7)^2", (-2.5, 3.5), 0.01, 22, (-2.805118, 3.131312)),
    ("(x^2 + y - 11)^2 + (x + y^2 - 7)^2", (-3.5, -3), 0.01, 20, (-3.779310, -3.283186)),
    ("(x^2 + y - 11)^2 + (x + y^2 - 7)^2", (3.5, -2), 0.01, 60, (3.584428, -1.848126)),
    ("0.26(x^2 + y^2) - 0.48x*y", (5, -3), 1, 495, (0, 0)),
    ("(1.5 - x + x*y)^2 + (2.25 - x + x*y^2)^2 + (2.625 - x + x*y^3)^2", (1, 1), 0.01, 5371,
     (3, 0.5)),
])
def test_test_functions_reach_their_literature_minima(fun: str, start: tuple, rate: float,
                                                      nit: int, minimum: tuple) -> None:
    result = minimize(fun, start, learning_rate=rate, max_iterations=50_000, precision=1e-10)
    assert result.status == "converged"
    assert result.nit == nit
    assert result.x == pytest.approx(minimum, abs=1e-6)


def test_rosenbrock_reaches_1_1_with_plain_descent() -> None:
    result = minimize("(1-x)^2 + 100(y-x^2)^2", (-1.2, 1), learning_rate=0.001,
                      max_iterations=50_000, precision=1e-10)
    assert result.status == "converged" and result.nit == 37842
    assert result.x == pytest.approx((1, 1), abs=1e-6)
    assert result.variables == ("x", "y")


def test_rosenbrock_reaches_1_1_with_adam() -> None:
    result = minimize("(1-x)^2 + 100(y-x^2)^2", (-1.2, 1), learning_rate=0.01,
                      max_iterations=20_000, precision=1e-10, method="adam")
    assert result.status == "converged" and result.nit == 6062
    assert result.x == pytest.approx((1, 1), abs=1e-7)


def test_engine_agrees_with_a_hand_coded_rosenbrock_loop() -> None:
    x, y = -1.2, 1.0
    for _ in range(500):
        gx = -400 * x * (y - x * x) + 2 * x - 2
        gy = 200 * y - 200 * (x * x)
        x, y = x - 0.001 * gx, y - 0.001 * gy
    result = minimize("(1-x)^2 + 100(y-x^2)^2", (-1.2, 1), learning_rate=0.001,
                      max_iterations=500, precision=0)
    assert result.x == (x, y)


def test_objective_accepts_text_parsed_functions_and_compiled_objectives() -> None:
    objective = compile_objective("x^2 + y^2")
    assert objective.variables == ("x", "y")
    assert objective.value((3, 4)) == 25.0 and objective.gradient((3, 4)) == [6.0, 8.0]
    assert objective.derivative_text == "df/dx = 2*x, df/dy = 2*y"
    assert compile_objective("x^3").derivative_text == "f'(x) = 3*x^2"
    assert minimize(objective, (3, 4), learning_rate=0.1).nit == \
        minimize("x^2 + y^2", (3, 4), learning_rate=0.1).nit


def test_objective_never_raises_on_evaluation() -> None:
    objective = compile_objective("log(x) + 1/y")
    assert math.isnan(objective.value((-1, 1)))
    assert math.isnan(objective.value((1, 0)))
    assert all(math.isnan(g) for g in objective.gradient((1, 0)))
    assert compile_objective("exp(x)").value((1000,)) == math.inf
    assert math.isnan(compile_objective("x^0.5").value((-1,)))


def test_path_costs_equal_the_objective_at_every_point() -> None:
    objective = compile_objective("(1-x)^2 + 100(y-x^2)^2")
    result = minimize(objective, (-1.2, 1), learning_rate=0.001, max_iterations=200)
    assert [objective.value(p.x) for p in result.path] == result.path.costs
    assert result.jac == tuple(objective.gradient(result.x))


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"x0": (1, 2)}, "the start needs 1 value, one for each of x; got 2"),
    ({"x0": "3"}, "the start must be numbers"),
    ({"x0": float("nan")}, "finite"),
    ({"learning_rate": "fast"}, "the learning rate must be a number"),
    ({"learning_rate": math.inf}, "finite"),
    ({"max_iterations": 2.5}, "whole number"),
    ({"max_iterations": -1}, "whole number"),
    ({"precision": -1}, "cannot be negative"),
    ({"method": "newton"}, "unknown method 'newton'"),
    ({"beta": 0.5}, "gd has no setting 'beta'"),
])
def test_bad_settings_raise_engine_input_error(kwargs: dict, message: str) -> None:
    settings = {"x0": 3, "learning_rate": 0.1, **kwargs}
    with pytest.raises(EngineInputError, match=message):
        minimize("x^2", settings.pop("x0"), **settings)


def test_bad_text_raises_parse_error() -> None:
    with pytest.raises(ParseError):
        minimize("x^", 1, learning_rate=0.1)


def test_zero_iterations_returns_the_start() -> None:
    result = minimize("x^2", 3, learning_rate=0.1, max_iterations=0)
    assert result.nit == 0 and result.x == (3.0,) and result.status == "max_iterations"


def test_kernel_reports_the_same_numbers_as_the_objective_for_many_functions() -> None:
    functions = ["sin(x) + cos(y)^2", "exp(-x^2 - y^2) * (x - y)", "abs(x) + sqrt(y^2 + 1)",
                 "log(x^2 + 1) + tan(y / 4)", "x^4 - 3x^3 + 2", "(x - 1/3)^2 + pi*e*x",
                 "x1^2 + x2^2 + x10^2 - x1*x10"]
    for text in functions:
        objective = compile_objective(text)
        start = [0.3 + 0.1 * i for i in range(len(objective.variables))]
        for method in ("gd", "adam"):
            result = minimize(objective, start, learning_rate=0.05, precision=0,
                              max_iterations=25, method=method)
            points = result.path.points
            assert [objective.value(p) for p in points] == result.path.costs, text
            descent = Descent(objective, start, learning_rate=0.05, precision=0,
                              max_iterations=25, method=method)
            reports = [descent.step() for _ in range(25)]
            assert [r.gradient for r in reports] == [tuple(objective.gradient(p))
                                                     for p in points[:-1]], text


@pytest.mark.parametrize(("text", "derivative", "at", "slope"), [
    ("abs(x)", "f'(x) = sign(x)", 0.5, 1.0),
    ("abs(log(x))", "f'(x) = sign(log(x))/x", 0.5, -2.0),
    ("abs(x^x)", "f'(x) = x^x*(log(x) + 1)*sign(x^x)", 1.0, 1.0),
])
def test_abs_differentiates_as_sign_for_real_arguments(text: str, derivative: str, at: float,
                                                       slope: float) -> None:
    # SymPy's own Abs derivative brings re(), im() and arg(), which plain maths cannot run.
    objective = compile_objective(text)
    assert objective.derivative_text == derivative
    assert objective.gradient((at,)) == [slope]
    assert minimize(objective, at, learning_rate=0.01).status in {"converged", "max_iterations"}


def test_points_move_into_the_columns_up_to_the_first_non_real_value() -> None:
    from array import array

    from tutor.engine.kernel import move

    column, buffer = array("d", [0.5]), [1.0, 2.0]
    assert move(column, buffer) and column.tolist() == [0.5, 1.0, 2.0] and buffer == []
    column, buffer = array("d"), [1.0, 2.0, 1j, 3.0]
    assert not move(column, buffer) and column.tolist() == [1.0, 2.0] and buffer == []


def test_long_runs_cross_chunk_boundaries_exactly() -> None:
    from tutor.engine.kernel import CHUNK

    updates = 3 * CHUNK + 7
    x = 3.0
    xs = [x]
    for _ in range(updates):
        x = x - 0.001 * (2 * x)
        xs.append(x)
    result = minimize("x^2", 3, learning_rate=0.001, precision=0, max_iterations=updates)
    assert result.path.column(0) == xs and result.path.costs == [v * v for v in xs]


def test_messages_come_from_one_table_and_read_as_sentences() -> None:
    from tutor.engine.messages import MESSAGES

    seen = {
        minimize("x^2", 3, learning_rate=0.1).message,
        minimize("x^2", 3, learning_rate=0.001).message,
        minimize("x^2", 3, learning_rate=0.1, precision=0).message,
        minimize("x^2", 3, learning_rate=1.1).message,
        minimize("log(x)", 1, learning_rate=5).message,
    }
    assert "Stopped after all 100 updates: with precision 0 a run never stops early." in seen
    assert "Converged: the last step was shorter than the precision 0.0001 after 40 updates." \
        in seen
    assert all(m[0].isupper() and m.endswith(".") and "\n" not in m for m in seen)
    assert len(seen) == 5 and len(MESSAGES) >= 8
