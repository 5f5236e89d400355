"""parse_number_expression: constant arithmetic through the whitelisted parser (issue 12)."""

from __future__ import annotations

import math

import pytest

from tutor.engine.errors import ParseError
from tutor.engine.parser import parse_number_expression


@pytest.mark.parametrize(("text", "value"), [
    ("3-0.6", 2.4), ("1/3", 1 / 3), ("2*0.4", 0.8), ("2^10", 1024.0), ("-(1+2)", -3.0),
    ("pi/4", math.pi / 4), ("sqrt(4)", 2.0), ("  7 ", 7.0),
])
def test_constant_sums_have_their_value(text: str, value: float) -> None:
    assert parse_number_expression(text) == pytest.approx(value, rel=1e-15)


@pytest.mark.parametrize("text", [
    "x+1", "", "1/0", "__import__('os')", "9^9^9^9", "log(-1)", "1e999", "(1", "2**",
])
def test_anything_else_is_one_sentence(text: str) -> None:
    with pytest.raises(ParseError) as caught:
        parse_number_expression(text)
    assert "\n" not in str(caught.value) and str(caught.value)
