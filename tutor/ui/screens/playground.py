"""The playground: a free exercise pane, every field editable, no goal.

Focus starts in the function field; Tab goes to start, then learning rate; Enter runs.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Header

from tutor.ui.widgets.exercise import ExercisePane
from tutor.ui.widgets.tutor_footer import TutorFooter


class PlaygroundScreen(Screen):
    """Try any function, start and learning rate; step, compare and plot freely."""

    TITLE = "Playground"
    SUB_TITLE = "Enter runs, ^t steps, ^f compares"

    DEFAULT_CSS = """
    PlaygroundScreen > VerticalScroll { height: 1fr; }
    """

    def __init__(self, function: str | None = None, start: str | None = None,
                 lr: str | None = None) -> None:
        super().__init__()
        self.initial = {"function": function, "start": start, "learning_rate": lr}

    def compose(self) -> ComposeResult:
        """Header, the free pane in a scrolling column, footer with the keys."""
        yield Header()
        with VerticalScroll():
            yield ExercisePane(None, id="playground-pane", overrides=self.initial)
        yield TutorFooter()

    def on_mount(self) -> None:
        """Start typing in the function field."""
        self.query_one("#field-function").focus()

    @property
    def pane(self) -> ExercisePane:
        """The playground's exercise pane."""
        return self.query_one(ExercisePane)
