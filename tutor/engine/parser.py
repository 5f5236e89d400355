"""The safe parser: typed text -> checked tokens -> a SymPy expression built by hand.

The text is never handed to `sympify`, `parse_expr`, `eval` or `exec`. The
whitelist tokenizer (`tokens.py`) checks every token, then this recursive
descent parser builds the expression from SymPy objects directly. Each piece
carries the float value of its constant part (`constants.py`), so power towers,
huge numbers and undefined constants are refused before SymPy computes with
them; each piece is checked again once SymPy has folded it (`magnitudes.py`:
x*1e308*1e308 is a term no double holds). Nesting is limited, and the whole
parse runs under a CPU-time limit (`deadline.py`), so every parse answers quickly.

Grammar (implicit multiplication only where it cannot be misread)::

    sum     := product (("+" | "-") product)*
    product := signed (("*" | "/") signed | <juxtaposed> signed)*
    signed  := ("+" | "-")* power
    power   := atom (("^" | "**") signed)?          right-associative
    atom    := number | variable | pi | e | func "(" sum ")" | "(" sum ")"
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import NamedTuple

import sympy

from tutor.engine import constants, magnitudes
from tutor.engine.deadline import run_within
from tutor.engine.errors import ParseError
from tutor.engine.tokens import Token, tokenize

MAX_DEPTH = 30
MAX_STACKED_POWERS = 8
MAX_VARIABLES = 20
PARSE_SECONDS = 0.2
_FUNCTIONS = {
    "sin": sympy.sin, "cos": sympy.cos, "tan": sympy.tan, "exp": sympy.exp,
    "log": sympy.log, "ln": sympy.log, "sqrt": sympy.sqrt, "abs": sympy.Abs,
}
_UNDEFINED = (sympy.zoo, sympy.nan, sympy.oo, -sympy.oo)
# Which token kinds may be multiplied by writing them side by side (2x, 3(x+1), (x+1)(x-1)).
_JUXTAPOSE = {
    "num": {"var", "const", "func", "("},
    "var": {"const", "func", "("},
    "const": {"var", "const", "func", "("},
    ")": {"var", "const", "func", "("},
}
_STARTS_ATOM = {"num", "var", "const", "func", "("}


class _Node(NamedTuple):
    """A parsed piece: its SymPy expression and, when it is constant, its float value."""

    expr: sympy.Expr
    value: float | None


@dataclass(frozen=True)
class ParsedFunction:
    """A checked function: the text typed, its SymPy expression and its variables in order."""

    text: str
    expr: sympy.Expr
    variables: tuple[str, ...]


def real_parts(expr: sympy.Expr) -> sympy.Expr:
    """Drop the complex-number bookkeeping SymPy adds (re, im, conjugate, arg).

    SymPy cannot assume that, say, x^x is real, so abs(exp(x^x)) becomes
    exp(re(x^x)). Wherever the function has a real value (the only places a run
    can use), re(u) = conjugate(u) = u, im(u) = 0 and arg(u) = 0 or pi.
    """
    if not expr.has(sympy.re, sympy.im, sympy.conjugate, sympy.arg):
        return expr
    return (expr.replace(sympy.conjugate, lambda u: u).replace(sympy.re, lambda u: u)
            .replace(sympy.im, lambda u: sympy.S.Zero)
            .replace(sympy.arg, lambda u: sympy.pi * (1 - sympy.sign(u)) / 2))


def variable_sort_key(name: str) -> tuple[str, str, int]:
    """Order variable names alphabetically with natural numbers: x < x1 < x2 < x10."""
    digits = name[1:]
    return (name[0].lower(), name[0], int(digits) if digits else -1)


def parse_function(text: str) -> ParsedFunction:
    """Parse a cost function typed by a learner, e.g. '2x^2 - 3(x+1)' or 'exp(-x^2)'.

    Raises ParseError (one sentence, with `.column` when known) for anything
    outside the small whitelisted language.
    """
    if not isinstance(text, str):
        raise ParseError("the function must be text, like x^2")
    if not text.strip():
        raise ParseError("the function is empty; type one, for example x^2", 1)
    tokens = tokenize(text)
    expr = run_within(PARSE_SECONDS, "the function is too complicated to read quickly; try a "
                      "shorter or less nested one", lambda: real_parts(_Parser(tokens).parse()))
    names = sorted((s.name for s in expr.free_symbols), key=variable_sort_key)
    if not names:
        raise ParseError("the function has no variable; use x, y or another single letter "
                         "(such as x^2 + 1)")
    if len(names) > MAX_VARIABLES:
        raise ParseError(f"the function has {len(names)} variables; the limit is "
                         f"{MAX_VARIABLES}")
    return ParsedFunction(text, expr, tuple(names))


class _Parser:
    """Recursive descent over checked tokens, building SymPy objects directly."""

    def __init__(self, tokens: list[Token]) -> None:
        self.tokens = tokens
        self.pos = 0
        self.depth = 0
        self.powers = 0

    @property
    def current(self) -> Token:
        """The token under the cursor."""
        return self.tokens[self.pos]

    def advance(self) -> Token:
        """Consume and return the current token."""
        token = self.tokens[self.pos]
        self.pos += 1
        return token

    def parse(self) -> sympy.Expr:
        """Parse the whole input as one sum."""
        node = self.sum()
        token = self.current
        if token.kind == ")":
            raise ParseError(f"unbalanced parenthesis at column {token.column}: "
                             "this ')' has no matching '('", token.column)
        if token.kind != "end":
            raise ParseError(f"unexpected {token.text!r} at column {token.column}", token.column)
        return node.expr

    def sum(self) -> _Node:
        """sum := product (("+" | "-") product)*"""
        node = self.product()
        while self.current.text in ("+", "-") and self.current.kind == "op":
            op = self.advance()
            right = self.product()
            value = constants.fold(op.text, node.value, right.value, op)
            expr = node.expr + right.expr if op.text == "+" else node.expr - right.expr
            node = _checked(expr, value, op)
        return node

    def product(self) -> _Node:
        """product := signed (("*" | "/") signed | juxtaposed signed)*"""
        node = self.signed()
        while True:
            token = self.current
            if token.kind == "op" and token.text in ("*", "/"):
                self.advance()
                node = _multiply(node, self.signed(), token)
            elif token.kind in _STARTS_ATOM:
                self._check_juxtaposed(token)
                node = _multiply(node, self.signed(), token)
            else:
                return node

    def _check_juxtaposed(self, token: Token) -> None:
        """Allow 2x, 3(x+1), (x+1)(x-1), x(x+1); refuse x y, 2 3, x 2."""
        before = self.tokens[self.pos - 1]
        if token.kind not in _JUXTAPOSE.get(before.kind, set()):
            power = (f" or {before.text}^{token.text} for a power"
                     if before.kind == ")" and token.kind == "num" else "")
            raise ParseError(f"missing operator between {before.text!r} and {token.text!r} "
                             f"at column {token.column}; write {before.text}*{token.text} "
                             f"to multiply{power}", token.column)

    def signed(self) -> _Node:
        """signed := ("+" | "-")* power (a loop, so '-----x' cannot recurse deeply)."""
        negate = False
        while self.current.kind == "op" and self.current.text in ("+", "-"):
            negate ^= self.advance().text == "-"
        node = self.power()
        if not negate:
            return node
        return _Node(-node.expr, None if node.value is None else -node.value)

    def power(self) -> _Node:
        """power := atom (("^" | "**") signed)?, right-associative."""
        base = self.atom()
        token = self.current
        if not (token.kind == "op" and token.text in ("^", "**")):
            return base
        self.advance()
        self._enter(token)
        self.powers += 1
        if self.powers > MAX_STACKED_POWERS:
            raise ParseError(f"too many powers stacked at column {token.column}: at most "
                             f"{MAX_STACKED_POWERS} in a row", token.column)
        exponent = self.signed()
        self.powers -= 1
        self.depth -= 1
        return _power(base, exponent, token)

    def atom(self) -> _Node:
        """atom := number | variable | constant | func "(" sum ")" | "(" sum ")"."""
        token = self.current
        if token.kind == "num":
            self.advance()
            return _number(token)
        if token.kind == "var":
            self.advance()
            return _Node(sympy.Symbol(token.text, real=True), None)
        if token.kind == "const":
            self.advance()
            return _Node(sympy.pi, math.pi) if token.text == "pi" else _Node(sympy.E, math.e)
        if token.kind == "func":
            return self._call()
        if token.kind == "(":
            return self._group()
        raise _expected_error(token)

    def _call(self) -> _Node:
        """func "(" sum ")": one argument, brackets required."""
        name = self.advance()
        if self.current.kind != "(":
            raise ParseError(f"{name.text} needs brackets at column {self.current.column}: "
                             f"write {name.text}(x)", self.current.column)
        argument = self._group()
        value = constants.call(name.text, argument.value, name)
        return _checked(_FUNCTIONS[name.text](argument.expr), value, name)

    def _group(self) -> _Node:
        """ "(" sum ")" with a nesting limit."""
        opening = self.advance()
        self._enter(opening)
        node = self.sum()
        if self.current.kind != ")":
            if self.current.kind == "end":
                raise ParseError(f"unbalanced parenthesis at column {opening.column}: "
                                 "this '(' is never closed", opening.column)
            raise ParseError(f"unexpected {self.current.text!r} at column "
                             f"{self.current.column}; expected ')'", self.current.column)
        self.advance()
        self.depth -= 1
        return node

    def _enter(self, token: Token) -> None:
        """Count one more level of nesting; refuse more than MAX_DEPTH."""
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise ParseError(f"the function is nested too deeply at column {token.column} "
                             f"(more than {MAX_DEPTH} levels of brackets or powers)", token.column)


def _expected_error(token: Token) -> ParseError:
    """The error for a place where a number, variable or '(' was needed."""
    if token.kind == "end":
        return ParseError(f"the function ends too early at column {token.column}; "
                          "something is missing after the last operator", token.column)
    if token.kind == ")":
        return ParseError(f"unbalanced parenthesis at column {token.column}: "
                          "this ')' has nothing before it to close", token.column)
    return ParseError(f"unexpected {token.text!r} at column {token.column}; expected a "
                      "number, a variable or '('", token.column)


def _number(token: Token) -> _Node:
    """A numeric literal: integers stay exact, decimals become floats as typed."""
    value = constants.number_value(token)
    if re.fullmatch(r"[0-9]+", token.text):
        return _Node(sympy.Integer(int(token.text)), value)
    return _Node(sympy.Float(value), value)


def _multiply(left: _Node, right: _Node, token: Token) -> _Node:
    """left * right, or left / right when `token` is '/'."""
    divide = token.text == "/"
    if divide and right.value == 0:
        raise ParseError(f"the part at column {token.column} is undefined (a division by "
                         "zero)", token.column)
    value = constants.fold("/" if divide else "*", left.value, right.value, token)
    expr = left.expr / right.expr if divide else left.expr * right.expr
    return _checked(expr, value, token)


def _power(base: _Node, exponent: _Node, token: Token) -> _Node:
    """base ^ exponent, refusing huge exponents and numbers before SymPy builds them."""
    constants.check_exponent(exponent.value, token)
    value = constants.fold("^", base.value, exponent.value, token)
    if exponent.value is not None:
        magnitudes.check_power(base.expr, exponent.value, token)
    return _checked(sympy.Pow(base.expr, exponent.expr), value, token)


def _checked(expr: sympy.Expr, value: float | None, token: Token) -> _Node:
    """Refuse a piece that is undefined everywhere (1/0, log(0), 0^-1, x/(x-x)).

    The pieces it is built from were checked already, so an undefined value can
    only have appeared here, at the top of the new piece or among its arguments
    (x/0 evaluates to zoo*x); a shallow look keeps parsing linear.
    """
    near = [expr, *expr.args, *(b for a in expr.args for b in a.args)]
    if any(part in _UNDEFINED for part in near):
        raise ParseError(f"the part at column {token.column} is undefined (a division by zero "
                         "or the log of zero)", token.column)
    if value is None and expr.is_number:  # the variables cancelled out, as in x - x
        number = complex(expr.evalf(17))
        value = constants.checked(number.real if number.imag == 0 else number, token)
    if value is not None:
        expr = magnitudes.settled(expr, value)
    magnitudes.check_piece(expr, token)
    return _Node(expr, value)


def parse_number_expression(text: str) -> float:
    """The value of a typed constant sum such as '3-0.6', '1/3', '2*0.4' or 'pi/4'.

    The same whitelisted tokenizer and parser as `parse_function` (nothing is handed
    to `sympify` or `eval`); a letter that is not a constant, or a value that is not
    a finite real number, raises ParseError with one sentence.
    """
    if not isinstance(text, str) or not text.strip():
        raise ParseError("the answer is empty; type a number, like 12 or 0.5", 1)
    expr = real_parts(_Parser(tokenize(text)).parse())
    if expr.free_symbols:
        raise ParseError("the answer has a letter in it; type a number or a sum of numbers, "
                         "like 3-0.6")
    try:
        value = float(expr)
    except (TypeError, ValueError):
        raise ParseError("the answer is not a real number; type one, like 12 or 0.5") from None
    if not math.isfinite(value):
        raise ParseError("the answer is not a finite number; type one, like 12 or 0.5")
    return value
