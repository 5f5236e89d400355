"""Exceptions the engine raises for bad input (never for a bad run)."""

from __future__ import annotations


class EngineInputError(ValueError):
    """Input the engine cannot work with; the message is one sentence for a person."""


class ParseError(EngineInputError):
    """A function the learner typed that the parser refuses.

    `column` is the 1-based column the message points at, or None when the
    problem is not at one place (for example, the text is too long).
    """

    def __init__(self, message: str, column: int | None = None) -> None:
        super().__init__(message)
        self.column = column


class DataError(EngineInputError):
    """A data file that cannot be used for a fit (missing, garbled, non-numeric, ...)."""
