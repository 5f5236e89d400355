"""Size checks on the exact numbers inside a SymPy expression, while the parser builds it.

The float shadow values in `constants.py` check every piece that is constant.
But a constant applied after a variable joins the variable's term, where
SymPy folds it exactly: `x*1e308*1e308` is `1.0e+616*x`, `x*2^1000*2^1000...`
grows a coefficient of thousands of digits, `(x*10^-300)^-1000` asks SymPy
for a 300,000-digit number. So every piece the parser builds is checked here
too: the constant factor of each term must fit in a double (its size as a
power of ten, so nothing overflows while measuring), every exact fraction
keeps at most MAX_DIGITS digits, and a power is measured before SymPy
computes it.
"""

from __future__ import annotations

import math
import sys

import sympy

from tutor.engine.errors import ParseError
from tutor.engine.tokens import Token

MAX_DIGITS = 400
MAX_EXACT_NODES = 8  # a constant piece with more SymPy nodes is kept as its float value
LARGEST = math.log10(sys.float_info.max)  # 308.25: 10^LARGEST is the largest double
SMALLEST = math.log10(sys.float_info.min)  # -307.65: smaller is subnormal or zero
_LOG10_2 = math.log10(2)


def check_piece(expr: sympy.Expr, token: Token) -> None:
    """Refuse a newly built piece whose terms or exact numbers would not fit.

    The pieces it was built from passed this check already, so a shallow look
    (the piece, its arguments and theirs) finds whatever SymPy just folded.
    """
    for term in sympy.Add.make_args(expr):
        _check_size(_term_size(term), token)
    for part in (expr, *expr.args, *(b for a in expr.args for b in a.args)):
        if isinstance(part, sympy.Rational):
            _check_digits(part, 1.0, token)
        elif isinstance(part, sympy.Float):
            _check_size(log10_size(part), token)


def settled(expr: sympy.Expr, value: float) -> sympy.Expr:
    """A constant piece, exact while it is small (pi/2, sqrt(2), exp(3)), else its float value.

    SymPy evaluates nested constants such as sin(2*sin(2*sin(2))) numerically
    whenever it asks whether they are zero or positive, at a cost that doubles
    with each level; the float is what evaluation computes anyway.
    """
    nodes = 0
    for _ in sympy.preorder_traversal(expr):
        nodes += 1
        if nodes > MAX_EXACT_NODES:
            return sympy.Float(value)
    return expr


def check_power(base: sympy.Expr, exponent: float, token: Token) -> None:
    """Before SymPy computes base^exponent: refuse when its constant part would not fit.

    SymPy raises the constant factor of the base to the power exactly, as in
    (c*x)^n = c^n * x^n, so c^n is measured first, by size and by digits.
    """
    factors = [f for f in sympy.Mul.make_args(base) if not f.free_symbols]
    if not factors:
        return
    size = sum(log10_size(f) for f in factors)
    _check_size(size * exponent, token)
    for factor in factors:
        if isinstance(factor, sympy.Rational):
            _check_digits(factor, abs(exponent), token)


def log10_size(number: sympy.Expr) -> float:
    """log10 |number| for a constant, without overflow; -inf for zero.

    Exact numbers are measured from their digits; powers and exponentials
    from their exponent; anything else (sin(1), pi + 1) is evaluated.
    """
    if isinstance(number, sympy.Rational):
        p, q = abs(number.p), number.q
        return -math.inf if p == 0 else math.log10(p) - math.log10(q)
    if isinstance(number, sympy.Float):
        _sign, mantissa, exponent, bits = number._mpf_
        return -math.inf if mantissa == 0 else (exponent + bits) * _LOG10_2
    if isinstance(number, sympy.exp):
        return _float(number.args[0]) / math.log(10)
    if isinstance(number, sympy.Pow):
        return _float(number.exp) * log10_size(number.base)
    if isinstance(number, sympy.Mul):
        return sum(log10_size(f) for f in number.args)
    value = abs(_float(number))
    return -math.inf if value == 0 else math.log10(value)


def _term_size(term: sympy.Expr) -> float:
    """log10 of the constant factor of one term (0 for a term with no constant factor)."""
    factors = [f for f in sympy.Mul.make_args(term) if not f.free_symbols]
    return sum(log10_size(f) for f in factors)


def _float(number: sympy.Expr) -> float:
    """A constant's float value; nan when it has none (such a piece is refused elsewhere)."""
    try:
        value = complex(number.evalf(17))
    except (TypeError, ValueError, ArithmeticError):
        return math.nan
    return value.real if value.imag == 0 else math.nan


def _check_size(size: float, token: Token) -> None:
    """A constant of 10^size must be zero or a normal double."""
    if size == -math.inf or math.isnan(size):
        return
    if size > LARGEST:
        raise ParseError(f"the number at column {token.column} is too large for the computer",
                         token.column)
    if size < SMALLEST:
        raise ParseError(f"the number at column {token.column} is too small for the computer "
                         "(it rounds to zero)", token.column)


def _check_digits(number: sympy.Rational, power: float, token: Token) -> None:
    """An exact fraction, raised to `power`, keeps at most MAX_DIGITS digits above and below."""
    digits = math.log10(max(abs(number.p), number.q))
    if digits * max(power, 1.0) > MAX_DIGITS:
        raise ParseError(f"the number at column {token.column} has too many digits for the "
                         f"computer (the limit is {MAX_DIGITS})", token.column)
