"""The help screen: every key the tutor answers to, collected from the live bindings."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.dom import DOMNode
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Label, Static

EXTRA_KEYS = (
    ("tab / shift+tab", "Move between the list, the reader and exercise fields"),
    ("up / down / pgup / pgdn", "Scroll the lesson, move in the list"),
    ("enter", "Open the highlighted lesson, or run the exercise you are typing in"),
)


@dataclass(frozen=True)
class KeyHelp:
    """One row of the help table: the key as displayed and what it does."""

    key: str
    description: str


def _tutor_node(node: DOMNode) -> bool:
    """True for nodes whose bindings belong to gd-tutor (not Textual's own widgets)."""
    return type(node).__module__.startswith("tutor.")


def collect_keys(app: App[object], screen: Screen[object]) -> list[KeyHelp]:
    """Every described binding of the app, the screen and gd-tutor's widgets on it."""
    nodes: list[DOMNode] = [app, screen]
    nodes += [n for n in screen.walk_children() if _tutor_node(n)]
    rows: list[KeyHelp] = [KeyHelp(app.get_key_display(Binding(app.COMMAND_PALETTE_BINDING, "")),
                                   "Command palette: go to a lesson, playground, reset, theme")]
    for node in nodes:
        rows += _node_keys(app, node)
    return _unique(rows)


def _node_keys(app: App[object], node: DOMNode) -> Iterable[KeyHelp]:
    for bindings in node._bindings.key_to_bindings.values():  # noqa: SLF001 - no public API
        for binding in bindings:
            if binding.description and not binding.system:
                yield KeyHelp(app.get_key_display(binding), binding.description)


def _unique(rows: Iterable[KeyHelp]) -> list[KeyHelp]:
    seen: set[tuple[str, str]] = set()
    out = []
    for row in rows:
        if (row.key, row.description) not in seen:
            seen.add((row.key, row.description))
            out.append(row)
    return out


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
        with VerticalScroll(id="help-box"):
            yield Label("gd-tutor keys", id="help-title")
            yield DataTable(id="help-keys", cursor_type="row", zebra_stripes=True)
            for key, text in EXTRA_KEYS:
                yield Static(f"{key}: {text}", classes="help-extra")
            yield Static("The mouse works too: click a lesson, a button or a field.",
                         classes="help-extra")
            yield Label("Press escape to close.", id="help-close")

    def on_mount(self) -> None:
        """Fill the table."""
        table = self.query_one(DataTable)
        table.add_columns("Key", "What it does")
        table.add_rows((row.key, row.description) for row in self.keys)
        table.focus()

    async def action_dismiss(self, result: None = None) -> None:
        """Close the help screen."""
        self.dismiss(result)
