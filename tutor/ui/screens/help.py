"""The help screen: every key the tutor answers to, collected from the live bindings."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.events import Resize
from textual.screen import ModalScreen, Screen
from rich.table import Table
from textual.widgets import Label, Static

from tutor.ui.textual_compat import bindings_by_key
from tutor.ui.widgets.exercise import ExercisePane

EXTRA_KEYS = (
    ("tab / shift+tab", "Move between the list, the reader and exercise fields"),
    ("pgup / pgdn", "Scroll the lesson, wherever the cursor is"),
    ("up / down", "Scroll the lesson, move in the list or the options"),
    ("enter", "Open the highlighted lesson, or run the exercise you are typing in"),
)


@dataclass(frozen=True)
class KeyHelp:
    """One row of the help table: the key as displayed and what it does."""

    key: str
    description: str


def _own_bindings(cls: type) -> Iterable[Binding]:
    """Bindings declared by gd-tutor classes in `cls`'s MRO (not Textual's built-in widgets)."""
    for klass in cls.__mro__:
        declared = vars(klass).get("BINDINGS")
        if declared and klass.__module__.startswith("tutor."):
            yield from Binding.make_bindings(declared)


def collect_keys(app: App[object], screen: Screen[object]) -> list[KeyHelp]:
    """The app's keys, then those of the screen and every gd-tutor widget (exercise panes too)."""
    rows = [KeyHelp(app.get_key_display(Binding(app.COMMAND_PALETTE_BINDING, "")),
                    "Command palette: go to a lesson, playground, reset, theme")]
    for bindings in bindings_by_key(app).values():
        rows += [_row(app, b) for b in bindings if b.key != app.COMMAND_PALETTE_BINDING]
    classes = [type(screen)] + [type(node) for node in screen.walk_children()] + [ExercisePane]
    for cls in dict.fromkeys(classes):
        where = getattr(cls, "HELP_WHERE", " (in an exercise)" if issubclass(cls, ExercisePane)
                        else "")
        rows += [_row(app, binding, where) for binding in _own_bindings(cls)]
        rows += [KeyHelp(key, text) for key, text in getattr(cls, "HELP_ROWS", ())]
    return _unique(row for row in rows if row.description)


HELP_TEXT = {
    "back": "Back to the lessons (from the playground)",
    "cancel": "Stop a run that is under way",
}
"""Help rows that say more than the footer has room for (Esc means one of these, by place)."""


def _row(app: App[object], binding: Binding, where: str = "") -> KeyHelp:
    text = HELP_TEXT.get(binding.action, binding.description)
    return KeyHelp(app.get_key_display(binding), text + where if binding.description else "")


def _unique(rows: Iterable[KeyHelp]) -> list[KeyHelp]:
    seen: set[tuple[str, str]] = set()
    out = []
    for row in rows:
        if (row.key, row.description) not in seen:
            seen.add((row.key, row.description))
            out.append(row)
    return out


def key_table(keys: Iterable[KeyHelp]) -> Table:
    """Key and what it does, one row each; a long description wraps under itself (a
    table with one-line rows cut them off at 60 columns)."""
    table = Table("Key", "What it does", box=None, padding=(0, 1), expand=True,
                  header_style="bold")
    table.columns[0].no_wrap = True
    for row in keys:
        table.add_row(row.key, row.description)
    return table


class HelpScreen(ModalScreen[None]):
    """Lists the keys; escape, F1 or q closes it."""

    BINDINGS = [
        Binding("escape", "dismiss", "Close help"),
        Binding("f1", "dismiss", "Close help", show=False),
        Binding("q", "dismiss", "Close help", show=False),
    ]

    def __init__(self, keys: list[KeyHelp]) -> None:
        super().__init__()
        self.keys = keys

    def compose(self) -> ComposeResult:
        """A title, the key table and how to close."""
        with Vertical(id="help-box"):
            yield Label("gd-tutor keys", id="help-title")
            with VerticalScroll(id="help-body"):
                yield Static(key_table(self.keys), id="help-keys")
                for key, text in EXTRA_KEYS:
                    yield Static(f"{key}: {text}", classes="help-extra")
                yield Static("The mouse works too: click a lesson, a button or a field.",
                             classes="help-extra")
            yield Label("esc closes the help; arrows and pgup/pgdn scroll.",
                        id="help-close")

    def on_mount(self) -> None:
        """The scrolling body takes the keys (the close line stays put)."""
        self._fit(self.size.height)
        self.query_one("#help-body").focus()

    def on_resize(self, event: Resize) -> None:
        """Keep the close line on screen: the body scrolls in what is left."""
        self._fit(event.size.height)

    def _fit(self, height: int) -> None:
        # border (2), title (1), close line with its margin (2)
        self.query_one("#help-body").styles.max_height = max(3, height - 5)

    async def action_dismiss(self, result: None = None) -> None:
        """Close the help screen."""
        self.dismiss(result)
