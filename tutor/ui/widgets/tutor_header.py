"""The one-line header: app name, the lesson being read and overall progress."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Static


def progress_text(position: int, total: int, percent: int) -> str:
    """Say where the learner is, e.g. "Lesson 3 of 10 - 42%"."""
    if total == 0:
        return "No lessons - 0%"
    if position <= 0:  # a notice is on show, not a lesson
        return f"{total} lessons - {percent}%"
    return f"Lesson {position} of {total} - {percent}%"


class TutorHeader(Horizontal):
    """Always shows `gd-tutor`, the current lesson title and overall progress."""

    def compose(self) -> ComposeResult:
        """Three one-line Statics: the name, the lesson title (shrinks first), the progress."""
        yield Static("gd-tutor", id="header-app-name")
        yield Static("", id="header-lesson")
        yield Static(progress_text(0, 0, 0), id="header-progress")

    @property
    def lesson_label(self) -> Static:
        """The label holding the current lesson's title."""
        return self.query_one("#header-lesson", Static)

    @property
    def progress_label(self) -> Static:
        """The label holding "Lesson N of M - P%"."""
        return self.query_one("#header-progress", Static)

    def show(self, *, title: str, position: int, total: int, percent: int,
             saving: bool = True) -> None:
        """Update everything the header displays in one go; `saving` False adds
        "- not saved" in the warning colour, for as long as progress cannot be saved."""
        self.lesson_label.update(title)
        shown = progress_text(position, total, percent)
        self.progress_label.update(shown if saving else f"{shown} - not saved")
        self.progress_label.set_class(not saving, "-not-saved")
