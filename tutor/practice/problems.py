"""The one exception the practice layer raises for what a learner typed."""

from __future__ import annotations


class InputProblem(ValueError):
    """A typed value that cannot be used: one sentence for the learner, naming `field`."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field
