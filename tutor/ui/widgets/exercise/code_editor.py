"""The code exercise's editor: the signature to keep, then a Python TextArea.

Tab indents inside the editor (4 spaces), Shift+Tab takes them off; Esc leaves it (focus
goes to the pane's Run button, so the keyboard reaches everything else), or while the code
runs, cancels the run (the sandbox child is killed); F5 runs the code (in the editor, and on
the pane's buttons too; Enter in the editor starts a new line). Both are plain keys that
reach an app over SSH and inside tmux, and both are in the footer while the editor has
focus. A key that edits the text brings the cursor's line into sight. Long lines wrap (soft
wrap): at 80 columns the editor never scrolls
sideways. The text is the pane's `code` input: saved with progress as it is typed,
restored on resume, and Reset puts the starter back.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from textual import events
from textual.app import ComposeResult
from textual.geometry import Region
from textual.widget import Widget
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Static

from tutor.ui.textual_compat import AutoIndentTextArea
from tutor.wording import plural

if TYPE_CHECKING:
    from tutor.lessons.model import Exercise

EDITOR_ID = "code-editor"
UNREADABLE = re.compile(r"\b(SyntaxError|IndentationError|TabError)\b")
"""Errors that mean Python could not read the code (so no case ran)."""
EDITING_KEYS = frozenset({"enter", "tab", "shift+tab", "backspace", "delete"})
"""Keys that change the text without typing a character."""
PRINTED_LINES = 6
PRINTED_WIDTH = 200
PRINTED_KEPT = 2000
"""What the pane shows of the learner's prints (the sandbox keeps the first 2,000 characters)."""


class CodeArea(AutoIndentTextArea):
    """A Python TextArea whose Esc leaves it; Enter keeps the line's indent (see
    `textual_compat.AutoIndentTextArea`); F5 asks the pane holding it to run."""

    BINDINGS = [
        Binding("f5", "run_code", "Run code"),
        Binding("escape", "leave", "Leave editor"),
        Binding("shift+tab", "dedent", "Remove 4 spaces of indent (Esc leaves)", show=False),
    ]
    HELP_WHERE = " (in the code editor)"
    """How the help screen qualifies this widget's keys."""
    HELP_ROWS = (("tab", "Indent 4 spaces (in the code editor)"),
                 ("⏎", "A new line, keeping the indent (in the code editor: F5 runs)"))
    """Keys the editor handles itself (not bindings), for the help screen."""

    def action_run_code(self) -> None:
        """F5: the pane that holds the editor runs the code."""
        for holder in self.ancestors:
            if hasattr(holder, "action_run_code"):
                holder.action_run_code()
                return

    def after_key(self, event: events.Key) -> None:
        """A key that edits the text brings the cursor's line back into sight (after PgUp
        scrolled the lesson away from it, typing must not land out of view)."""
        if not self.read_only and (event.is_printable or event.key in EDITING_KEYS):
            self.call_after_refresh(self._bring_cursor_into_sight)

    def _bring_cursor_into_sight(self) -> None:
        """Scroll the nearest scrolling ancestor (the lesson reader) so the cursor shows."""
        x, y = self.cursor_screen_offset
        for holder in self.ancestors:
            if isinstance(holder, Widget) and holder.allow_vertical_scroll:
                box = holder.content_region
                spot = Region(x - box.x + holder.scroll_offset.x,
                              y - box.y + holder.scroll_offset.y, 1, 1)
                holder.scroll_to_region(spot, animate=False, immediate=True)
                return

    def check_consume_key(self, key: str, character: str | None) -> bool:
        """Shift+Tab is the editor's (dedent), as Tab is: the screen's priority Tab /
        Shift+Tab (move between fields) do not take them from it."""
        return key == "shift+tab" and not self.read_only or \
            super().check_consume_key(key, character)

    def action_dedent(self) -> None:
        """Shift+Tab: take up to 4 leading spaces off the cursor's line (every selected line),
        as Python editors do; it stays in the editor (Esc is the key that leaves)."""
        self.dedent()

    def place_mark(self) -> str:
        """Where the cursor is, `row:column` (kept with the learner's place, see
        `screens.moving.place_text`), so a resume puts it back where they were typing."""
        row, column = self.cursor_location
        return f"{row}:{column}"

    def go_to_mark(self, mark: str) -> None:
        """Put the cursor back at a `place_mark()` (clamped into the text; junk is ignored)."""
        row, _, column = mark.partition(":")
        if not (row.isdigit() and column.isdigit()) or len(mark) > 20:
            return
        last = self.document.line_count - 1
        line = min(int(row), last)
        self.move_cursor((line, min(int(column), len(self.document.get_line(line)))),
                         center=True)

    def action_leave(self) -> None:
        """Esc: while its code runs, cancel the run (the sandbox child is killed); else move
        focus out of the editor, to its own exercise's Run button (a lesson has one per
        exercise: never another's), else to whatever comes next."""
        for holder in self.ancestors:
            if getattr(holder, "running", False) and hasattr(holder, "action_cancel"):
                holder.action_cancel()
                return
        for holder in self.ancestors:
            buttons = holder.query("#run-button")
            if buttons:
                buttons.first().focus()
                return
        self.screen.focus_next()


class CodeEditor(Vertical):
    """The signature line and the editor holding the learner's code."""

    DEFAULT_CSS = """
    CodeEditor { height: auto; padding: 0 1; }
    CodeEditor > #signature { color: $text-muted; }
    CodeEditor > CodeArea { height: 16; }
    """

    def __init__(self, text: str, starter: str, signature: str = "") -> None:
        super().__init__()
        self.text = text
        self.starter = starter
        self.signature = signature

    def compose(self) -> ComposeResult:
        """The signature (if any) and the editor."""
        if self.signature:
            yield Static(f"Keep this signature: {self.signature}", id="signature", markup=False)
        area = CodeArea.code_editor(self.text, language="python", tab_behavior="indent",
                                    show_line_numbers=True, soft_wrap=True, id=EDITOR_ID)
        area.indent_width = 4
        area.indent_type = "spaces"
        yield area

    @property
    def area(self) -> CodeArea:
        """The TextArea."""
        return self.query_one(CodeArea)

    def values(self) -> dict[str, str]:
        """The `code` input as typed."""
        return {"code": self.area.text}

    def reset(self) -> None:
        """Put the starter back."""
        self.area.load_text(self.starter)


class PrintedView(Static):
    """What the learner's code printed, under the verdict (plain text, never markup;
    hidden while there is nothing)."""

    DEFAULT_CSS = """
    PrintedView { color: $text-muted; padding: 0 1; display: none; }
    PrintedView.-shown { display: block; }
    """

    def __init__(self) -> None:
        super().__init__("", id="printed", markup=False)

    def show(self, text: str) -> None:
        """Show `text` (from `printed_text`), or hide the view when it is ''."""
        self.update(text)
        self.set_class(bool(text), "-shown")


def editor_for(exercise: Exercise, saved: Mapping[str, Any] | None) -> CodeEditor:
    """The editor for a code exercise: the learner's saved code, else the starter."""
    assert exercise.code is not None
    starter = exercise.code.starter
    text = saved.get("code") if saved else None
    return CodeEditor(text if isinstance(text, str) and text.strip() else starter, starter,
                      exercise.code.signature)


def is_code_outcome(outcome: Any) -> bool:
    """True for the outcome of a code exercise's run."""
    from tutor.practice.code import CodeOutcome

    return isinstance(outcome, CodeOutcome)


def describe_code_run(outcome: Any) -> str:
    """The status line after a run: how many cases gave numbers, how long, whether isolated
    (code Python could not read did not run at all: it says so)."""
    took = "under 0.1 s" if outcome.seconds < 0.1 else f"{outcome.seconds:.1f} s"
    runs = outcome.cases
    failed = next((run for run in runs if run.kind != "ok"), None)
    if failed is not None and failed.kind == "error" and UNREADABLE.search(failed.error or ""):
        text = "Python could not read your code, so it did not run."
    elif failed is not None:
        done = sum(run.kind == "ok" for run in runs)
        text = f"Ran your code in {took}: {done} of {plural(len(runs), 'case')} returned numbers."
    else:
        text = f"Ran your code on {plural(len(runs), 'case')} in {took}."
    if any(run.printed for run in runs):
        text += " What it printed is under the verdict."
    return f"{text} Note: {outcome.note}." if outcome.note else text


def printed_text(outcome: Any) -> str:
    """What the learner's code printed (the first case that printed), for the pane: a
    heading and at most PRINTED_LINES lines; '' when nothing was printed."""
    runs = outcome.cases
    number, run = next(((i, r) for i, r in enumerate(runs, 1) if r.printed), (0, None))
    if run is None:
        return ""
    lines = run.printed.rstrip("\n").split("\n")
    shown = [line[:PRINTED_WIDTH] for line in lines[:PRINTED_LINES]]
    if len(lines) > PRINTED_LINES or len(run.printed) >= PRINTED_KEPT:
        shown.append("... (the rest is not shown)")
    which = f" (case {number} of {len(runs)})" if len(runs) > 1 else ""
    return f"Your code printed{which}:\n" + "\n".join(shown)


def prepare_sandbox(served: bool) -> str | None:
    """Check the sandbox once and start a warm child for the first run (called from a worker
    thread when a code exercise is shown). Returns the line to show instead of the first
    prompt when code cannot run here: served without a working sandbox."""
    from tutor.sandbox import MESSAGES, Sandbox, SandboxError, prewarm

    info = Sandbox.detect()
    if served and not info.usable:
        return MESSAGES["refused"].format(reason=info.reason).capitalize() + "."
    try:
        prewarm(isolate="require" if served else "auto")
    except SandboxError:
        return None  # the run itself will say what is wrong
    return None
