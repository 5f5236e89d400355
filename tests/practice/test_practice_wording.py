"""Number agreement: one helper (`tutor.wording.plural`) says "1 guess" and "2 guesses", and
the code exercise's sentences use it."""

from __future__ import annotations

import pytest

from tutor.practice.codechecks import CHECKS, difference, path_expected
from tutor.wording import plural, plural_of


@pytest.mark.parametrize("count,word,said", [
    (1, "guess", "1 guess"), (0, "guess", "0 guesses"), (41, "guess", "41 guesses"),
    (1, "update", "1 update"), (2, "case", "2 cases"), (2, "entry", "2 entries"),
    (3, "day", "3 days"), (2, "box", "2 boxes"), (1.0, "second", "1 second"),
    (1.5, "second", "1.5 seconds"), (-1, "point", "-1 points"), (1500, "row", "1500 rows"),
    (1903, "epoch", "1903 epochs"), (1, "epoch", "1 epoch"),
])
def test_plural_agrees_with_the_count(count: float, word: str, said: str) -> None:
    assert plural(count, word) == said


def test_plural_takes_an_irregular_form_and_groups_big_counts() -> None:
    assert plural(2, "child", "children") == "2 children"
    assert plural(1, "child", "children") == "1 child"
    assert plural(1500, "row", grouped=True) == "1,500 rows"
    assert plural_of("process") == "processes"


def test_a_list_of_one_guess_is_said_in_the_singular() -> None:
    case = {"function": "x^2", "start": 3, "rate": 0.1}
    engine = path_expected(case)
    said = difference(CHECKS["path"], case, [3.0], engine)
    assert said == ("For x^2 from 3 at rate 0.1, your list holds only the initial guess; the "
                    "engine's has 41 guesses (40 updates): append each new guess to the list "
                    "inside the loop.")
    said = difference(CHECKS["path"], case, engine[:2], engine)
    assert "your list has 2 guesses (1 update); the engine's has 41 (40 updates)" in said
    case = {"function": "x^2", "start": 3, "rate": 0.1, "iterations": 1, "precision": 0.5}
    said = difference(CHECKS["path"], case, [3.0, 2.4, 1.92], [3.0, 2.4])
    assert "at most 1 update, your list has 3 guesses (2 updates); the engine's has 2 " \
           "(1 update)" in said


def test_one_number_too_few_and_one_point_are_singular() -> None:
    case = {"xs": [2], "ys": [1], "slope": 0, "intercept": 0, "rate": 0.1}
    said = difference(CHECKS["step"], case, [0.2], [0.2, 0.2])
    assert said == "For the line slope 0, intercept 0 on 1 point at rate 0.1, your function " \
                   "returned 1 number, not 2."


def test_a_negative_mse_asks_whether_the_errors_are_squared() -> None:
    case = {"xs": [1, 2, 3], "ys": [2, 3, 5], "slope": 0, "intercept": 0}
    said = difference(CHECKS["mse"], case, [-10.0], [38 / 3])
    assert said.endswith("your MSE is -10, the engine's 12.6667. A mean of squares is never "
                         "negative: is each error squared?")
