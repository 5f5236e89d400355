"""Float "shadow values" of the constant parts of a function, checked before SymPy sees them.

SymPy computes with constants exactly, which is what makes `exp(exp(100))`,
`9^9^9` or `sin(exp(1e308))` hang or blow up. While parsing, every constant
piece also gets its value as a Python float; a piece whose value is not a
finite real number (overflow, log of a negative, division by zero, a complex
power), or that is nonzero but rounds to 0 or to a subnormal (1e-400,
exp(-1000), (10^300)^-1000), is refused with its column, before any SymPy
object is built for it. So SymPy only ever holds constants that fit in a double.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Callable

from tutor.engine.errors import ParseError
from tutor.engine.tokens import Token

MAX_EXPONENT = 1000

_MATH: dict[str, Callable[[float], float]] = {
    "sin": math.sin, "cos": math.cos, "tan": math.tan, "exp": math.exp, "log": math.log,
    "ln": math.log, "sqrt": math.sqrt, "abs": abs,
}
# Functions that are zero only where their argument is (log(1) = 0, cos is never 0 in floats).
_ZERO_ONLY_AT_ZERO = ("sin", "tan", "sqrt", "abs")
_OPERATIONS: dict[str, Callable[[float, float], float]] = {
    "+": lambda a, b: a + b, "-": lambda a, b: a - b, "*": lambda a, b: a * b,
    "/": lambda a, b: a / b, "^": lambda a, b: a ** b,
}


def number_value(token: Token) -> float:
    """The float value of a numeric literal; refused when it does not fit in a double."""
    value = float(token.text)  # a float literal overflows to inf, never raises
    mantissa = token.text.lower().partition("e")[0]
    return checked(value, token, nonzero=any(digit in "123456789" for digit in mantissa))


def fold(op: str, a: float | None, b: float | None, token: Token) -> float | None:
    """a op b when both are constants (None means "depends on a variable")."""
    if a is None or b is None:
        return None
    nonzero = {"*": a != 0 and b != 0, "/": a != 0, "^": a != 0}.get(op, False)
    return _safely(lambda: _OPERATIONS[op](a, b), token, op, nonzero)


def call(name: str, a: float | None, token: Token) -> float | None:
    """name(a) when a is a constant."""
    if a is None:
        return None
    nonzero = name == "exp" or (name in _ZERO_ONLY_AT_ZERO and a != 0)
    return _safely(lambda: _MATH[name](a), token, name, nonzero)


def check_exponent(value: float | None, token: Token) -> None:
    """Constant exponents stay between -MAX_EXPONENT and MAX_EXPONENT."""
    if value is not None and not abs(value) <= MAX_EXPONENT:
        raise ParseError(f"the exponent after column {token.column} is too large; use exponents "
                         f"between -{MAX_EXPONENT} and {MAX_EXPONENT}", token.column)


def checked(value: float | complex, token: Token, nonzero: bool = False) -> float:
    """A finite real float that is 0 or a normal double, or a ParseError pointing at `token`.

    `nonzero` says the exact value cannot be 0, so a float 0 means it underflowed:
    1e-400, 10^-400 and exp(-1000) are refused rather than silently becoming 0.
    """
    if isinstance(value, complex):
        raise ParseError(f"the part at column {token.column} is not a real number "
                         "(a power of a negative number)", token.column)
    if not math.isfinite(value):
        raise ParseError(f"the number at column {token.column} is too large for the computer",
                         token.column)
    if (value == 0 and nonzero) or 0 < abs(value) < sys.float_info.min:
        raise ParseError(f"the number at column {token.column} is too small for the computer "
                         "(it rounds to zero)", token.column)
    return float(value)


def _safely(compute: Callable[[], float], token: Token, what: str, nonzero: bool) -> float:
    """Run a float computation, turning math errors into one-sentence ParseErrors."""
    try:
        value = compute()
    except ZeroDivisionError:
        raise ParseError(f"the part at column {token.column} is undefined (a division by "
                         "zero)", token.column) from None
    except OverflowError:
        raise ParseError(f"the number at column {token.column} is too large for the computer",
                         token.column) from None
    except ValueError:
        raise ParseError(f"{what} at column {token.column} is undefined here (such as the log "
                         "or square root of a negative number, or the log of zero)",
                         token.column) from None
    return checked(value, token, nonzero)
