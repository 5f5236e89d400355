"""Fitting a line: gradient descent agrees with numpy's least squares; CSV loading errors."""

from __future__ import annotations

import math
import os
import random
from pathlib import Path

import numpy as np
import pytest

from tutor.engine import DataError, EngineInputError, fit, least_squares_line, load_xy_csv
from tutor.engine.data import MAX_BYTES, MAX_ROWS

DATA = Path(__file__).resolve().parents[2] / "lessons" / "data"


def lstsq(xs: list[float], ys: list[float]) -> tuple[float, float]:
    """numpy's least-squares intercept and slope (the reference)."""
    design = np.column_stack([np.ones(len(xs)), np.asarray(xs, dtype=float)])
    (intercept, slope), *_ = np.linalg.lstsq(design, np.asarray(ys, dtype=float), rcond=None)
    return float(intercept), float(slope)


def same_digits(a: float, b: float, digits: int = 8) -> bool:
    """a and b agree to `digits` significant digits."""
    return math.isclose(a, b, rel_tol=0.5 * 10 ** (1 - digits))


@pytest.mark.parametrize("name", ["anscombe1.csv", "anscombe2.csv", "anscombe3.csv",
                                  "anscombe4.csv"])
def test_fit_agrees_with_numpy_lstsq_to_8_significant_digits(name: str) -> None:
    data = load_xy_csv(DATA / name)
    result = fit(data.xs, data.ys, precision=1e-12)
    intercept, slope = lstsq(data.xs, data.ys)
    assert result.status == "converged" and result.success and result.scaled
    assert same_digits(result.intercept, intercept) and same_digits(result.slope, slope)
    assert (round(result.slope, 3), round(result.intercept, 2)) == (0.5, 3.0)


def test_anscombe_one_converges_in_a_pinned_number_of_updates() -> None:
    data = load_xy_csv(DATA / "anscombe1.csv")
    result = fit(data.xs, data.ys)
    assert result.nit == 96 and result.status == "converged"
    assert len(result.costs) == result.nit + 1
    assert result.costs[0] == pytest.approx(sum(y * y for y in data.ys) / len(data.ys))
    assert result.cost == result.costs[-1]


def test_fit_on_random_data_agrees_with_numpy() -> None:
    rng = random.Random(20240601)
    xs = [rng.uniform(-50, 250) for _ in range(200)]
    ys = [7.25 - 0.375 * x + rng.gauss(0, 12) for x in xs]
    result = fit(xs, ys, precision=1e-12, max_iterations=100_000)
    intercept, slope = lstsq(xs, ys)
    assert same_digits(result.intercept, intercept) and same_digits(result.slope, slope)
    closed = least_squares_line(xs, ys)
    assert closed.intercept == pytest.approx(intercept, rel=1e-12)
    assert closed.slope == pytest.approx(slope, rel=1e-12)


def test_unscaled_descent_needs_a_smaller_rate_but_gets_there() -> None:
    data = load_xy_csv(DATA / "anscombe1.csv")
    too_fast = fit(data.xs, data.ys, scale=False)
    assert too_fast.status == "diverged" and not too_fast.scaled
    slow = fit(data.xs, data.ys, scale=False, learning_rate=0.01, max_iterations=100_000,
               precision=1e-12)
    intercept, slope = lstsq(data.xs, data.ys)
    assert slow.status == "converged" and slow.nit > 5000
    assert same_digits(slow.slope, slope) and same_digits(slow.intercept, intercept)


def test_one_fit_step_is_predict_error_learn() -> None:
    # From the line y = 0 on points (0, 1), (2, 3) without scaling:
    # errors -1, -3; d/da = 2*(-4)/2 = -4; d/db = 2*(0*-1 + 2*-3)/2 = -6.
    result = fit([0, 2], [1, 3], scale=False, learning_rate=0.1, max_iterations=1)
    assert result.intercept == pytest.approx(0.4) and result.slope == pytest.approx(0.6)
    assert result.costs == [5.0, pytest.approx(((0.4 - 1) ** 2 + (1.6 - 3) ** 2) / 2)]


def test_callback_can_stop_a_fit() -> None:
    seen = []
    result = fit([1, 2, 3], [2, 4, 7], callback=lambda s: seen.append(s.n) or s.n == 3)
    assert seen == [1, 2, 3] and result.status == "stopped" and result.nit == 3


def test_least_squares_line_exact_on_a_perfect_line() -> None:
    line = least_squares_line([1, 2, 3, 4], [5, 7, 9, 11])
    assert line == (3.0, 2.0) and line.intercept == 3.0 and line.slope == 2.0


@pytest.mark.parametrize(("xs", "ys", "message"), [
    ([1], [2], "at least 2 points"),
    ([1, 2], [1], "must pair up"),
    ([3, 3, 3], [1, 2, 3], "x must vary"),
    ([1, float("nan")], [1, 2], "finite"),
])
def test_unusable_data_raises_data_error(xs: list, ys: list, message: str) -> None:
    with pytest.raises(DataError, match=message):
        fit(xs, ys)


def test_bad_fit_settings_raise() -> None:
    with pytest.raises(EngineInputError):
        fit([1, 2], [1, 2], learning_rate="x")
    with pytest.raises(EngineInputError):
        fit([1, 2], [1, 2], max_iterations=-5)


# ------------------------------------------------------------------------ load_xy_csv


def write(tmp_path: Path, text: str, name: str = "data.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_header_is_detected_and_columns_chosen_by_name_or_number(tmp_path: Path) -> None:
    path = write(tmp_path, "size,rooms,price\n50,2,100\n80,3,160\n120,4,250\n")
    data = load_xy_csv(path)
    assert (data.xs, data.ys, data.x_name, data.y_name) == ([50, 80, 120], [2, 3, 4], "size",
                                                            "rooms")
    data = load_xy_csv(path, x="size", y="price")
    assert data.ys == [100, 160, 250] and data.y_name == "price"
    assert load_xy_csv(path, x=2, y="3").xs == [2, 3, 4]


def test_a_file_without_header_uses_numbered_columns(tmp_path: Path) -> None:
    data = load_xy_csv(write(tmp_path, "1,2\n3,4.5\n\n-1e3,6\n"))
    assert data.xs == [1, 3, -1000] and data.ys == [2, 4.5, 6]
    assert data.x_name == "column 1"


def test_semicolons_and_tabs_are_understood(tmp_path: Path) -> None:
    assert load_xy_csv(write(tmp_path, "x;y\n1;2\n3;4\n")).ys == [2, 4]
    assert load_xy_csv(write(tmp_path, "x\ty\n1\t2\n3\t4\n", "t.tsv")).xs == [1, 3]


@pytest.mark.parametrize(("text", "kwargs", "message"), [
    ("x,y\n1,2\n3,abc\n", {}, "line 3, column 'y' holds 'abc', which is not a number"),
    ("x,y\n1,2\n3\n", {}, "line 3, column 'y' is missing"),
    ("x,y\n\n1,2\n\n3,abc\n", {}, "line 5, column 'y' holds 'abc'"),  # blank lines count
    ("1,2\n3,4\n5,?\n", {}, "line 3, column 'column 2' holds '?'"),  # no header
    ("x,y\n1,2\n3,4\n", {"x": "z"}, "there is no column named 'z'; the columns are x, y"),
    ("x,y\n1,2\n3,4\n", {"y": 3}, "there is no column 3; the file has 2 columns"),
    ("x,y\n1,2\n", {}, "has 1 data row; a fit needs at least 2"),
    ("x,y\n", {}, "has 0 data rows"),
    ("x\n1\n2\n", {}, "at least 2 columns"),
    ("x,y\n1,inf\n2,3\n", {}, "only finite numbers"),
    ('x,y\n1,"2\n', {}, "not valid CSV"),
])
def test_bad_csv_gives_one_sentence(tmp_path: Path, text: str, kwargs: dict,
                                    message: str) -> None:
    with pytest.raises(DataError, match=message) as info:
        load_xy_csv(write(tmp_path, text), **kwargs)
    assert "\n" not in str(info.value)


def test_missing_binary_and_folder_paths(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="no such file"):
        load_xy_csv(tmp_path / "nope.csv")
    with pytest.raises(DataError, match="is a folder"):
        load_xy_csv(tmp_path)
    binary = tmp_path / "b.csv"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\xff\xfe")
    with pytest.raises(DataError, match="not a text CSV file"):
        load_xy_csv(binary)


# ------------------------------------------------------------------ limits and extremes


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_a_device_is_refused_at_once_without_reading_it(device: str) -> None:
    with pytest.raises(DataError, match="is not a regular file") as info:
        load_xy_csv(device)
    assert "\n" not in str(info.value)


def test_a_fifo_is_refused_without_waiting_for_a_writer(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    with pytest.raises(DataError, match="is not a regular file"):
        load_xy_csv(fifo)


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(tmp_path: Path) -> None:
    path = tmp_path / "huge.csv"
    with path.open("wb") as handle:  # sparse: no disk or memory is used
        handle.truncate(MAX_BYTES + 1)
    with pytest.raises(DataError, match=r"is larger than 10 MB, the most a fit reads"):
        load_xy_csv(path)


def test_more_rows_than_the_cap_are_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "x,y\n" + "1,2\n3,4\n" * (MAX_ROWS // 2) + "5,6\n")
    with pytest.raises(DataError, match=r"more than 100,000 data rows"):
        load_xy_csv(path)
    assert len(load_xy_csv(write(tmp_path, "x,y\n" + "1,2\n3,4\n" * (MAX_ROWS // 2))).xs) \
        == MAX_ROWS
    with pytest.raises(DataError, match=r"more than 100,000 data rows"):  # no header
        load_xy_csv(write(tmp_path, "1,2\n3,4\n" * (MAX_ROWS // 2) + "5,6\n"))


@pytest.mark.parametrize(("text", "message"), [
    ("x,y\n1,1e300\n2,3\n", "line 2, column 'y' holds '1e300', too large to fit"),
    ("x,y\n1e300,1\n-1e300,3\n", "line 2, column 'x' holds '1e300', too large to fit"),
    ("x,y\n1e-320,1\n2e-320,3\n", "the x values differ by too little to fit"),
    ("x,y\n1e-200,1\n2e-200,3\n", "the x values differ by too little to fit"),
])
def test_numeric_extremes_are_one_sentence(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(DataError, match=message) as info:
        data = load_xy_csv(write(tmp_path, text))
        fit(data.xs, data.ys)
    assert "\n" not in str(info.value)


@pytest.mark.parametrize(("xs", "ys"), [
    ([1e300, -1e300], [1, 3]),
    ([1e-320, 2e-320], [1, 3]),
    ([1, 2], [1e300, 3]),
])
def test_fit_and_least_squares_refuse_what_floats_cannot_hold(xs: list, ys: list) -> None:
    with pytest.raises(DataError):
        fit(xs, ys)
    with pytest.raises(DataError):
        least_squares_line(xs, ys)


def test_a_fit_diverging_past_the_largest_float_is_a_result() -> None:
    # After one update of rate 5000 every error is about 1e154: each square is a float,
    # their sum is not, and math.fsum raised OverflowError ("intermediate overflow").
    xs, ys = [0.0, 0.5, 1.0], [1e150, 1e150, 1e150]
    result = fit(xs, ys, scale=False, learning_rate=5000, max_iterations=3)
    assert result.status == "diverged" and result.reason == "nonfinite"
    assert result.nit == 1 and result.cost == math.inf
