"""Claims: numbers in lesson prose that `check-lessons` recomputes with the engine.

A claim is written `{{claim: run(f="x^2", start=3, lr=0.1).nit = 40}}`. A small
tokenizer reads it (no code is ever evaluated); the reader shows only the value
as written (`40`). This module only reads claims (the loader needs it);
`tutor.lessons.recompute` recomputes them with the engine and imports this one,
never the other way round.
"""

from __future__ import annotations

import re

from tutor.lessons.model import Claim

CLAIM_RE = re.compile(r"\{\{\s*claim\s*:(?P<body>.*?)\}\}")
"""A whole claim on one line; `body` is what the tokenizer reads."""

SOURCES = {
    "run": {"f", "start", "lr", "iterations", "precision", "method", "beta", "beta1",
            "beta2", "eps", "decay"},
    "deriv": {"f", "at", "wrt"},
    "value": {"f", "at"},
    "fit": {"data", "lr", "iterations", "precision", "scale", "x", "y"},
    "lstsq": {"data", "x", "y"},
    "train": {"data", "x", "y", "model", "lr", "epochs", "batch", "seed", "l2", "test",
              "hidden", "method", "precision"},
}
"""Each claim source and the argument names it accepts."""

_TOKEN_RE = re.compile(
    r"""\s*(?:(?P<string>"[^"]*"|'[^']*')
          |(?P<number>[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)
          |(?P<word>[A-Za-z_][A-Za-z0-9_]*)
          |(?P<punct>[().,=]))""",
    re.VERBOSE,
)


class ClaimError(ValueError):
    """A claim that cannot be read; the message is one sentence."""


def tokenize(body: str) -> list[tuple[str, str]]:
    """Split a claim body into (kind, text) tokens, or raise ClaimError."""
    tokens: list[tuple[str, str]] = []
    pos = 0
    body = body.rstrip()
    while pos < len(body):
        match = _TOKEN_RE.match(body, pos)
        if not match or match.end() == pos:
            raise ClaimError(f"cannot read the claim at '{body[pos:].strip()[:20]}'.")
        kind = match.lastgroup or ""
        tokens.append((kind, match.group(kind)))
        pos = match.end()
    return tokens


class _Reader:
    """A cursor over claim tokens for the tiny recursive-descent parser."""

    def __init__(self, tokens: list[tuple[str, str]]) -> None:
        self.tokens = tokens
        self.pos = 0

    def peek(self) -> tuple[str, str]:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else ("end", "")

    def take(self, kind: str, text: str | None = None) -> str:
        got_kind, got_text = self.peek()
        if got_kind != kind or (text is not None and got_text != text):
            want = repr(text) if text else f"a {kind}"
            shown = repr(got_text) if got_text else "the end"
            raise ClaimError(f"expected {want} but found {shown}.")
        self.pos += 1
        return got_text

    def at(self, kind: str, text: str | None = None) -> bool:
        got_kind, got_text = self.peek()
        return got_kind == kind and (text is None or got_text == text)


def _scalar(token: tuple[str, str]) -> str | float:
    kind, text = token
    if kind == "string":
        return text[1:-1]
    if kind == "number":
        return float(text)
    if kind == "word":
        return text
    raise ClaimError(f"expected a value but found {text!r}.")


def _read_args(reader: _Reader, source: str) -> dict[str, str | float]:
    args: dict[str, str | float] = {}
    reader.take("punct", "(")
    while not reader.at("punct", ")"):
        if args:
            reader.take("punct", ",")
        name = reader.take("word")
        if name not in SOURCES[source]:
            allowed = ", ".join(sorted(SOURCES[source]))
            raise ClaimError(f"{source}() has no argument '{name}' (it takes {allowed}).")
        reader.take("punct", "=")
        args[name] = _scalar(reader.peek())
        reader.pos += 1
    reader.take("punct", ")")
    return args


def parse_claim(text: str, line: int = 0) -> Claim:
    """Read one claim (`{{claim: ...}}` or just its body) into a Claim, or raise ClaimError."""
    match = CLAIM_RE.fullmatch(text.strip())
    body = match.group("body") if match else text
    reader = _Reader(tokenize(body))
    source = reader.take("word")
    if source not in SOURCES:
        raise ClaimError(f"unknown claim source '{source}' (use {', '.join(SOURCES)}).")
    args = _read_args(reader, source)
    quantity = None
    if reader.at("punct", "."):
        reader.take("punct", ".")
        quantity = reader.take("word")
    reader.take("punct", "=")
    kind, written = reader.peek()
    if kind not in ("number", "word", "string"):
        raise ClaimError("a claim needs a value after '=' (a number or a word).")
    reader.pos += 1
    if not reader.at("end"):
        raise ClaimError(f"unexpected {reader.peek()[1]!r} after the claimed value.")
    if "f" in SOURCES[source] and "f" not in args:
        raise ClaimError(f"{source}() needs f=\"...\", the function.")
    if source in ("fit", "lstsq", "train") and "data" not in args:
        raise ClaimError(f"{source}() needs data=\"file.csv\".")
    shown = written[1:-1] if kind == "string" else written
    return Claim(source, args, quantity, shown, text.strip(), line)
