"""The iteration table: n, x, f(x), slope (or gradient) and step; first and last rows of long runs."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from rich.text import Text
from textual.widgets import Static

from tutor.ui.widgets.exercise.formatting import fmt, head_tail


@dataclass(frozen=True)
class IterationRow:
    """One point of the descent: where it was, its cost, the gradient there, the step taken."""

    n: int
    x: tuple[float, ...]
    cost: float
    gradient: tuple[float, ...] | None
    step: tuple[float, ...] | None


def rows_from_path(path: Any, gradient_at: Callable[[tuple[float, ...]], Sequence[float]],
                   head: int = 5, tail: int = 5) -> list[IterationRow | None]:
    """Rows for the first/last points of a result's path (None marks the skipped middle)."""
    rows: list[IterationRow | None] = []
    for i in head_tail(len(path), head, tail):
        if i is None:
            rows.append(None)
            continue
        point = path[i]
        nxt = path[i + 1].x if i + 1 < len(path) else None
        step = tuple(b - a for a, b in zip(point.x, nxt)) if nxt is not None else None
        rows.append(IterationRow(i, tuple(point.x), point.cost, tuple(gradient_at(point.x)), step))
    return rows


def rows_from_reports(reports: Sequence[Any], head: int = 5, tail: int = 5) -> list[IterationRow | None]:
    """Rows for single steps taken so far (StepReport: n, x, cost, gradient, update)."""
    out: list[IterationRow | None] = []
    for i in head_tail(len(reports), head, tail):
        if i is None:
            out.append(None)
            continue
        r = reports[i]
        out.append(IterationRow(int(r.n), tuple(r.x), r.cost, tuple(r.gradient), tuple(r.update)))
    return out


class IterationTable(Static):
    """A compact table of the descent, built from IterationRow values."""

    DEFAULT_CSS = "IterationTable { height: auto; padding: 0 1; }"

    def __init__(self) -> None:
        super().__init__("", id="iteration-table")
        self.rows: list[IterationRow | None] = []
        self.variables: int | Sequence[str] = 1

    def show_rows(self, rows: Sequence[IterationRow | None], variables: int | Sequence[str] = 1) -> None:
        """Replace the table's rows; 'slope' for one variable, 'gradient' for more.
        `variables` is their count or, better, their names (the column says `m`, not `x`)."""
        self.rows, self.variables = list(rows), variables
        self._draw()

    def _draw(self) -> None:
        width = self.content_region.width or TABLE_WIDTH
        self.update(Text(table_text(self.rows, self.variables, width)) if self.rows else "")

    def on_resize(self) -> None:
        """Fit the table to the new width (no line may wrap)."""
        if self.rows:
            self._draw()


TABLE_WIDTH = 74
"""Widest table that fits an 80-column screen beside the paddings and the scrollbar."""


def table_text(rows: Sequence[IterationRow | None], variables: int | Sequence[str] = 1,
               width: int = TABLE_WIDTH) -> str:
    """Right-aligned columns as plain text (cheap to repaint, the same without colour).
    Too wide for `width` (two variables, long numbers): numbers in 3 digits instead of 6,
    then points without the space after the comma, then without the step column (the next row's point shows where the step went)."""
    three = lambda v: fmt(float(f"{float(v):.3g}"))  # noqa: E731 - a one-line formatter
    for number, gap, comma, step in ((fmt, "  ", ", ", True), (three, " ", ", ", True),
                                     (three, " ", ",", True), (three, " ", ",", False)):
        text = _table(rows, variables, number, gap, step, comma)
        if max(len(line) for line in text.splitlines()) <= width:
            break
    return text


def _table(rows: Sequence[IterationRow | None], variables: int | Sequence[str],
           number: Callable[[float], str], gap: str = "  ", step: bool = True,
           comma: str = ", ") -> str:
    names = ["x"] * variables if isinstance(variables, int) else list(variables)
    one = len(names) == 1
    where = names[0] if one else "(" + ", ".join(names) + ")"
    header = ["n", where, f"f({where.strip('()')})" if one else "f",
              "slope" if one else "gradient", "step"]

    def point(values: Sequence[float] | None) -> str:
        if not values:
            return ""
        parts = [number(v) for v in values]
        return parts[0] if len(parts) == 1 else "(" + comma.join(parts) + ")"

    cells = [header]
    for row in rows:
        if row is None:
            cells.append(["..."] * len(header))
            continue
        cells.append([str(row.n), point(row.x), number(row.cost), point(row.gradient),
                      point(row.step)])
    if not step:
        cells = [line[:-1] for line in cells]
    widths = [max(len(line[i]) for line in cells) for i in range(len(cells[0]))]
    lines = [gap.join(c.rjust(w) for c, w in zip(line, widths)) for line in cells]
    lines.insert(1, "-" * len(lines[0]))
    return "\n".join(lines)
