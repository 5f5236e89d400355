"""`gd-tutor class`: the teacher's live dashboard (who is where, who is stuck, what goes wrong).

The app never opens a store itself: it is given `read`, a function returning the
class as plain data (`tutor.serve.insight.class_view`: lessons, learners with
their lesson marks and attempts, stuck, common mistakes), and calls it in a thread
every `interval` seconds, so a slow disk never freezes the screen and the reads
stay read-only (the command passes a reader that opens each store read-only).
Marks are words and letters, readable without colour; it fits 80x24.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import DataTable, Footer, Static

MARKS = {"done": "✓", "stuck": "!", "current": ">", "started": "~", "not started": "·"}
LEGEND = "✓ done  > current  ! stuck  ~ started  · not started"

ClassReader = Callable[[], dict[str, Any]]


def _number(view: dict[str, Any], slug: str) -> str:
    """The lesson's number in the grid's columns (its slug if unknown)."""
    return str(view["lessons"].index(slug) + 1) if slug in view["lessons"] else slug


PANEL_LINES = 8  # a panel's height (9) less its top border


def _spaced(text: str) -> str:
    """A grid cell with one space before it: the grid's only padding, so 17 lessons, hints and
    skips fit 80 columns (the default padding of one each side took 91)."""
    return " " + text


def _clip(lines: list[str], rows: int = PANEL_LINES) -> str:
    """At most `rows` lines; when some are left out the last says how many, so a teacher
    never takes the list shown for the whole class."""
    if len(lines) <= rows:
        return "\n".join(lines)
    return "\n".join(lines[:rows - 1] + [f" ... and {len(lines) - rows + 1} more"])


def stuck_lines(view: dict[str, Any], rows: int = PANEL_LINES) -> str:
    """The stuck list, longest first: who, lesson/exercise, failures in a row, minutes."""
    if not view["stuck"]:
        return "Stuck: nobody."
    lines = [f"Stuck ({len(view['stuck'])}): failed in a row, minutes"]
    for entry in view["stuck"]:
        lines.append(f" {entry['learner'][:10]:<10} {_number(view, entry['lesson'])}/"
                     f"{entry['exercise'][:14]:<14} {entry['failed_attempts']:>3}x "
                     f"{entry['minutes']:g}m")
    return _clip(lines, rows)


def mistake_lines(view: dict[str, Any], rows: int = PANEL_LINES) -> str:
    """The most common mistakes: learners, lesson/exercise, then the diagnosis, or the shared
    answer itself for mistakes the checks have no diagnosis for."""
    if not view["common_mistakes"]:
        return "Common mistakes: none yet."
    lines = ["Common mistakes (learners):"]
    for item in view["common_mistakes"]:
        what = item["diagnosis"] or "typed " + "".join(
            c if c.isprintable() else "?" for c in item.get("answer") or "")
        lines.append(f" {item['learners']:>3} {_number(view, item['lesson'])}/"
                     f"{item['exercise'][:14]}: {what}")
    return _clip(lines, rows)


def history_text(row: dict[str, Any]) -> str:
    """One learner's attempts, newest first, for the drill-down."""
    lines = [f"{row['learner']}: {row.get('attempts') or 0} attempts, "
             f"{row.get('hints') or 0} hints, {row.get('skips', 0)} skips (Esc: back)", ""]
    for attempt in reversed(row.get("history", [])):
        verdict = "PASS" if attempt["passed"] else "NOT YET"
        inputs = ", ".join(f"{k}={' '.join(str(v).split())}" for k, v in attempt["inputs"].items())
        inputs = "".join(c if c.isprintable() else "?" for c in inputs)[:60]
        lines.append(f"{attempt['at'][11:19]} {verdict:<7} {attempt['key']} "
                     f"{attempt['diagnosis'] or ''}\n    {inputs}")
    return "\n".join(lines) if row.get("history") else "\n".join(lines + ["No attempts yet."])


class LearnerAttempts(ModalScreen[None]):
    """The drill-down: one learner's attempts; Esc closes it."""

    BINDINGS = [Binding("escape,q", "dismiss", "Back")]
    DEFAULT_CSS = "LearnerAttempts { align: center middle; } " \
                  "LearnerAttempts > VerticalScroll { width: 78; height: 22; border: round $accent; " \
                  "background: $surface; }"

    def __init__(self, row: dict[str, Any]) -> None:
        super().__init__()
        self.row = row

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static(history_text(self.row), id="attempts", markup=False)


class ClassDashboard(App[None]):
    """Learners by lessons, the stuck list and the common mistakes, refreshed live."""

    TITLE = "gd-tutor class"
    BINDINGS = [Binding("q", "quit", "Quit"), Binding("enter", "drill", "Attempts")]
    DEFAULT_CSS = """
    #grid { height: 1fr; }
    #legend { height: 1; color: $text-muted; }
    #panels { height: 9; }
    #panels Static { height: 9; overflow: hidden; }
    #panels #stuck { width: 38; }
    #panels Static { width: 1fr; padding: 0 1; border-top: solid $accent; }
    """

    def __init__(self, read: ClassReader, interval: float = 1.0) -> None:
        super().__init__()
        self.read, self.interval = read, interval
        self.view: dict[str, Any] = {"lessons": [], "learners": [], "stuck": [],
                                     "common_mistakes": []}
        self.refreshes = 0
        self._reading = False

    def compose(self) -> ComposeResult:
        yield DataTable(id="grid", cursor_type="row", zebra_stripes=True, cell_padding=0)
        yield Static(LEGEND, id="legend")
        with Horizontal(id="panels"):
            yield Static("", id="stuck", markup=False)
            yield Static("", id="mistakes", markup=False)
        yield Footer()

    async def on_mount(self) -> None:
        await self.reload()
        self.set_interval(self.interval, self.reload)

    async def reload(self) -> None:
        """Read the class in a thread (skipped while a read is still going) and show it."""
        if self._reading:
            return
        self._reading = True
        try:
            view = await asyncio.to_thread(self.read)
        finally:
            self._reading = False
        self.show(view)

    def show(self, view: dict[str, Any]) -> None:
        """Redraw the grid and the two lists, keeping the highlighted row."""
        self.view = view
        base = self.screen_stack[0]  # the drill-down may be on top
        grid = base.query_one("#grid", DataTable)
        row_at = grid.cursor_row
        grid.clear(columns=True)
        labels = ["learner", *map(str, range(1, len(view["lessons"]) + 1)), "hints", "skips"]
        for label in labels:
            grid.add_column(_spaced(label))
        for row in view["learners"]:
            marks = [MARKS[mark] for mark in row["marks"]] if not row.get("note") else ["?"] * len(
                view["lessons"])
            cells = [row["learner"][:16], *marks, str(row.get("hints") or 0),
                     str(row.get("skips", 0))]
            grid.add_row(*map(_spaced, cells))
        if view["learners"]:
            grid.move_cursor(row=min(row_at, len(view["learners"]) - 1))
        base.query_one("#stuck", Static).update(stuck_lines(view))
        base.query_one("#mistakes", Static).update(mistake_lines(view))
        self.refreshes += 1

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        """Enter (or a click) on a learner's row opens their attempts."""
        event.stop()
        self.action_drill()

    def action_drill(self) -> None:
        """Open the highlighted learner's attempts."""
        grid = self.query_one("#grid", DataTable)
        if self.view["learners"] and not isinstance(self.screen, LearnerAttempts):
            self.push_screen(LearnerAttempts(self.view["learners"][grid.cursor_row]))
