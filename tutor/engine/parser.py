"""The safe parser: typed text -> checked tokens -> a SymPy expression built by hand.

The text is never handed to `sympify`, `parse_expr`, `eval` or `exec`. The
whitelist tokenizer (`tokens.py`) checks every token, then this recursive
descent parser builds the expression from SymPy objects directly, refusing
power towers, huge exponents and deep nesting as it goes, so every parse
answers quickly.

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

import sympy

from tutor.engine.errors import ParseError
from tutor.engine.tokens import Token, tokenize

MAX_DEPTH = 30
MAX_STACKED_POWERS = 8
MAX_VARIABLES = 20
MAX_EXPONENT = 1000
MAX_DIGITS = 1000
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
    expr = real_parts(_Parser(tokenize(text)).parse())
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
        expr = self.sum()
        token = self.current
        if token.kind == ")":
            raise ParseError(f"unbalanced parenthesis at column {token.column}: "
                             "this ')' has no matching '('", token.column)
        if token.kind != "end":
            raise ParseError(f"unexpected {token.text!r} at column {token.column}", token.column)
        return expr

    def sum(self) -> sympy.Expr:
        """sum := product (("+" | "-") product)*"""
        expr = self.product()
        while self.current.text in ("+", "-") and self.current.kind == "op":
            op = self.advance()
            right = self.product()
            expr = _checked(expr + right if op.text == "+" else expr - right, op)
        return expr

    def product(self) -> sympy.Expr:
        """product := signed (("*" | "/") signed | juxtaposed signed)*"""
        expr = self.signed()
        while True:
            token = self.current
            if token.kind == "op" and token.text in ("*", "/"):
                self.advance()
                right = self.signed()
                expr = _checked(expr * right if token.text == "*" else expr / right, token)
            elif token.kind in _STARTS_ATOM:
                self._check_juxtaposed(token)
                expr = _checked(expr * self.signed(), token)
            else:
                return expr

    def _check_juxtaposed(self, token: Token) -> None:
        """Allow 2x, 3(x+1), (x+1)(x-1), x(x+1); refuse x y, 2 3, x 2."""
        before = self.tokens[self.pos - 1]
        if token.kind not in _JUXTAPOSE.get(before.kind, set()):
            raise ParseError(f"missing operator between {before.text!r} and {token.text!r} "
                             f"at column {token.column}; write {before.text}*{token.text} "
                             "to multiply", token.column)

    def signed(self) -> sympy.Expr:
        """signed := ("+" | "-")* power (a loop, so '-----x' cannot recurse deeply)."""
        negate = False
        while self.current.kind == "op" and self.current.text in ("+", "-"):
            negate ^= self.advance().text == "-"
        expr = self.power()
        return -expr if negate else expr

    def power(self) -> sympy.Expr:
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
        _check_power(base, exponent, token)
        return _checked(sympy.Pow(base, exponent), token)

    def atom(self) -> sympy.Expr:
        """atom := number | variable | constant | func "(" sum ")" | "(" sum ")"."""
        token = self.current
        if token.kind == "num":
            self.advance()
            return _number(token)
        if token.kind == "var":
            self.advance()
            return sympy.Symbol(token.text, real=True)
        if token.kind == "const":
            self.advance()
            return sympy.pi if token.text == "pi" else sympy.E
        if token.kind == "func":
            return self._call()
        if token.kind == "(":
            return self._group()
        raise _expected_error(token)

    def _call(self) -> sympy.Expr:
        """func "(" sum ")": one argument, brackets required."""
        name = self.advance()
        if self.current.kind != "(":
            raise ParseError(f"{name.text} needs brackets at column {self.current.column}: "
                             f"write {name.text}(x)", self.current.column)
        argument = self._group()
        return _checked(_FUNCTIONS[name.text](argument), name)

    def _group(self) -> sympy.Expr:
        """ "(" sum ")" with a nesting limit."""
        opening = self.advance()
        self._enter(opening)
        expr = self.sum()
        if self.current.kind != ")":
            if self.current.kind == "end":
                raise ParseError(f"unbalanced parenthesis at column {opening.column}: "
                                 "this '(' is never closed", opening.column)
            raise ParseError(f"unexpected {self.current.text!r} at column "
                             f"{self.current.column}; expected ')'", self.current.column)
        self.advance()
        self.depth -= 1
        return expr

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


def _number(token: Token) -> sympy.Expr:
    """A numeric literal: integers stay exact, decimals become floats as typed."""
    text = token.text
    if re.fullmatch(r"[0-9]+", text):
        if len(text) > MAX_DIGITS:
            raise ParseError(f"the number at column {token.column} is too long", token.column)
        return sympy.Integer(int(text))
    value = float(text)
    if not math.isfinite(value):
        raise ParseError(f"the number at column {token.column} is too large", token.column)
    return sympy.Float(value)


def _check_power(base: sympy.Expr, exponent: sympy.Expr, token: Token) -> None:
    """Refuse exponents and constant powers that would take too long to build or evaluate."""
    if not exponent.is_number:
        return
    size = _log10_size(exponent)
    if size is None or size > math.log10(MAX_EXPONENT):
        raise ParseError(f"the exponent after column {token.column} is too large; use exponents "
                         f"between -{MAX_EXPONENT} and {MAX_EXPONENT}", token.column)
    base_size = _log10_size(base) if base.is_number else None
    if base_size is not None and math.isfinite(base_size) and \
            abs(base_size) * 10.0 ** size > MAX_DIGITS:
        raise ParseError(f"the power at column {token.column} is too large a number",
                         token.column)


def _log10_size(value: sympy.Expr) -> float | None:
    """log10 of |value| (-inf for zero), or None when it cannot be estimated."""
    if value.is_Rational:
        p, q = abs(int(value.p)), int(value.q)
        if p == 0:
            return -math.inf
        return (p.bit_length() - q.bit_length()) * math.log10(2) if max(p, q) > 2**64 \
            else math.log10(p / q)
    try:
        number = abs(complex(value.evalf(15)))
    except (TypeError, ValueError, OverflowError):
        return None
    return math.log10(number) if number > 0 else -math.inf


def _checked(expr: sympy.Expr, token: Token) -> sympy.Expr:
    """Refuse a piece that is undefined everywhere (1/0, log(0), 0^-1).

    The pieces it is built from were checked already, so an undefined value can
    only have appeared here, at the top of the new piece or among its arguments
    (x/0 evaluates to zoo*x); a shallow look keeps parsing linear.
    """
    near = [expr, *expr.args, *(b for a in expr.args for b in a.args)]
    if any(part in _UNDEFINED for part in near):
        raise ParseError(f"the part at column {token.column} is undefined (a division by zero "
                         "or the log of zero)", token.column)
    return expr
