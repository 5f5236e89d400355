"""The whitelist tokenizer: every character of a typed function is checked here first.

Nothing the learner types reaches SymPy until each token has been recognised
as a number, an allowed variable name, an allowed function, a constant, an
operator or a parenthesis.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tutor.engine.errors import ParseError

MAX_LENGTH = 500
FUNCTIONS = ("sin", "cos", "tan", "exp", "log", "ln", "sqrt", "abs")
CONSTANTS = ("pi", "e")
_FUNCTION_LIST = ", ".join(FUNCTIONS)

_NUMBER = re.compile(r"(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_NAME = re.compile(r"[A-Za-z][A-Za-z0-9]*")
_VARIABLE = re.compile(r"[A-Za-z][0-9]*")  # ASCII only: no look-alike letters or digits
_OPERATORS = ("**", "+", "-", "*", "/", "^", "(", ")")
_SPACE = " \t\r\n"


@dataclass(frozen=True)
class Token:
    """One checked piece of the input.

    `kind` is one of "num", "var", "const", "func", "op", "(", ")", "end";
    `column` is 1-based.
    """

    kind: str
    text: str
    column: int


def tokenize(text: str) -> list[Token]:
    """Split `text` into checked tokens, or raise ParseError pointing at the first bad one."""
    if len(text) > MAX_LENGTH:
        raise ParseError(
            f"the function is {len(text)} characters long; the limit is {MAX_LENGTH}")
    tokens: list[Token] = []
    i = 0
    while i < len(text):
        if text[i] in _SPACE:
            i += 1
            continue
        token = _read_token(text, i)
        tokens.append(token)
        i += len(token.text)
    tokens.append(Token("end", "", len(text) + 1))
    return tokens


def _read_token(text: str, i: int) -> Token:
    """Read the one token that starts at index `i`."""
    column = i + 1
    number = _NUMBER.match(text, i)
    if number:
        return Token("num", number.group(), column)
    name = _NAME.match(text, i)
    if name:
        return _name_token(name.group(), column)
    for op in _OPERATORS:
        if text.startswith(op, i):
            kind = op if op in "()" else "op"
            return Token(kind, op, column)
    raise ParseError(f"unexpected character {text[i]!r} at column {column}; "
                     "use numbers, variables like x or y, + - * / ^ and parentheses", column)


def _name_token(name: str, column: int) -> Token:
    """Classify a run of letters and digits as a function, constant or variable."""
    if name in FUNCTIONS:
        return Token("func", name, column)
    if name in CONSTANTS:
        return Token("const", name, column)
    if _VARIABLE.fullmatch(name) and name[0] != "e":
        return Token("var", name, column)
    raise ParseError(f"unknown name {name!r} at column {column}{_name_hint(name)}; "
                     f"functions you can use: {_FUNCTION_LIST}", column)


def _name_hint(name: str) -> str:
    """A short extra hint for the commonest unknown names."""
    if name[0] == "e" and name[1:].isdigit():
        return " (e is Euler's number, so it cannot start a variable name)"
    if name.isalpha() and len(name) == 2:
        return f" (to multiply variables write {'*'.join(name)})"
    return ""
