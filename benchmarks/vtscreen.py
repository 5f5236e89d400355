"""A minimal terminal screen for benchmarks: what a pty's output has painted, cell by cell.

Textual writes frames as cursor moves (`ESC[row;colH`), style changes (`ESC[...m`)
and text, so this is enough to know when a whole screen is on show, not merely
when some words went past in the byte stream. Styles are ignored; `ESC[2J` clears.
"""

from __future__ import annotations

import codecs
import re

from rich.cells import get_character_cell_size

_TOKEN = re.compile(r"\x1b\[([0-9;?]*)[ -/]*([@-~])|\x1b[^\[]|[^\x1b]+")
_PARTIAL = re.compile(r"\x1b(?:\[[0-9;?]*[ -/]*)?$")


class VtScreen:
    """A `cols` x `rows` grid fed with a terminal's output bytes."""

    def __init__(self, cols: int = 80, rows: int = 24) -> None:
        self.cols, self.rows = cols, rows
        self.grid = [[" "] * cols for _ in range(rows)]
        self.x = self.y = 0
        self._decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self._pending = ""

    def feed(self, data: bytes) -> None:
        """Apply more output (escape sequences may be split between calls)."""
        text = self._pending + self._decoder.decode(data)
        partial = _PARTIAL.search(text)
        self._pending = partial.group() if partial else ""
        if partial:
            text = text[:partial.start()]
        for match in _TOKEN.finditer(text):
            if match.group(2) is not None:
                self._control(match.group(1), match.group(2))
            elif not match.group().startswith("\x1b"):
                self._text(match.group())

    def _control(self, params: str, final: str) -> None:
        if final == "H":
            row, _, col = params.partition(";")
            self.y = min(max(int(row or 1) - 1, 0), self.rows - 1)
            self.x = min(max(int(col or 1) - 1, 0), self.cols)
        elif final == "J" and params == "2":
            self.grid = [[" "] * self.cols for _ in range(self.rows)]

    def _text(self, text: str) -> None:
        for char in text:
            if char == "\r":
                self.x = 0
            elif char == "\n":
                self.y = min(self.y + 1, self.rows - 1)
            elif char >= " ":
                width = get_character_cell_size(char)
                if width and self.x < self.cols:
                    self.grid[self.y][self.x] = char
                    if width == 2 and self.x + 1 < self.cols:
                        self.grid[self.y][self.x + 1] = ""
                self.x += width

    def lines(self, right_margin: int = 0) -> list[str]:
        """The text of every row (the last `right_margin` columns left out)."""
        end = self.cols - right_margin
        return ["".join(row[:end]).rstrip() for row in self.grid]
