"""Show the Python: the current settings as a standalone SymPy script, in a modal view.

The script (tutor.practice.script) is shown read-only with line numbers so it can be
selected and copied; Esc or q closes it.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static, TextArea


class PythonScreen(ModalScreen[None]):
    """A read-only view of the script for the current settings."""

    DEFAULT_CSS = """
    PythonScreen { align: center middle; }
    PythonScreen > Vertical { width: 90%; height: 90%; border: round $accent; }
    PythonScreen TextArea { height: 1fr; }
    """
    BINDINGS = [Binding("escape", "dismiss_view", "Close"),
                Binding("q", "dismiss_view", "Close", show=False)]

    def __init__(self, script: str) -> None:
        super().__init__()
        self.script = script

    def compose(self) -> ComposeResult:
        """A title line and the script."""
        with Vertical():
            yield Static("The same run in Python (SymPy diff + lambdify). Select to copy; "
                         "Esc closes.", markup=False)
            yield TextArea.code_editor(self.script, language="python", read_only=True,
                                       id="python-script")

    def action_dismiss_view(self) -> None:
        """Close the view."""
        self.dismiss(None)
