"""Reading several feature columns and one target column from a CSV file.

The multi-column sibling of `data.load_xy_csv`: the same file checks and the same
one-sentence errors (it reuses data.py's reader), so a learner's file is read the
same way whether it is fitted with one feature or several.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass

from tutor.engine.data import MAX_ROWS, cell_value, column_index, is_number, read_text, numbered_rows
from tutor.engine.errors import DataError
from tutor.wording import plural

MAX_FEATURES = 50
"""The most feature columns one fit may use."""


@dataclass(frozen=True)
class Table:
    """Feature columns (one list per feature) and the target, with the columns' names."""

    columns: list[list[float]]
    ys: list[float]
    x_names: list[str]
    y_name: str

    @property
    def rows(self) -> int:
        """How many data rows the table has."""
        return len(self.ys)


def load_table_csv(path: str | os.PathLike[str], xs: Sequence[str | int] | None = None,
                   y: str | int | None = None) -> Table:
    """Read feature columns `xs` and target `y` (names or 1-based numbers).

    With no `xs`, the first column is the one feature and y defaults to the second,
    as `load_xy_csv` does. With several features and no `y`, y is the last column
    that is not a feature. A column may not be both a feature and the target, nor
    a feature twice.
    """
    name = os.fspath(path)
    numbered = list(numbered_rows(name, read_text(name)))  # a regular file of at most MAX_BYTES
    rows = [cells for _, cells in numbered]
    header = rows[0] if rows and not all(is_number(c) for c in rows[0]) else None
    if len(rows) - (header is not None) > MAX_ROWS:
        raise DataError(f"{name} has more than {MAX_ROWS:,} data rows, the most a fit reads; "
                        "use a sample of its rows")
    body = rows[1:] if header is not None else rows
    width = max((len(r) for r in rows), default=0)
    names = header or [f"column {i + 1}" for i in range(width)]
    wanted = list(xs or [])
    if len(wanted) > MAX_FEATURES:
        raise DataError(f"a fit may use at most {MAX_FEATURES} feature columns, "
                        f"not {len(wanted)}")
    x_index = [column_index(x, 0, names, width) for x in wanted] or [column_index(None, 0, names, width)]
    y_index = _target(y, x_index, names, width, several=len(x_index) > 1)
    _distinct(x_index, y_index, names)
    lines = [line for line, _ in numbered][1 if header is not None else 0:]
    columns = [[cell_value(r, i, n, names) for n, r in zip(lines, body)] for i in x_index]
    ys = [cell_value(r, y_index, n, names) for n, r in zip(lines, body)]
    if len(ys) < 2:
        raise DataError(f"{os.fspath(path)} has {plural(len(ys), 'data row')}; "
                        "a fit needs at least 2")
    return Table(columns, ys, [names[i] for i in x_index], names[y_index])


def _target(y: str | int | None, x_index: list[int], names: list[str], width: int,
            several: bool) -> int:
    """The target's column: as asked, else the second column (one feature) or the last
    column that is not a feature (several)."""
    if y is not None or not several:
        return column_index(y, 1, names, width)
    for index in range(width - 1, -1, -1):
        if index not in x_index:
            return index
    raise DataError("every column is a feature, so there is no column left for y; "
                    "name one with --y")


def _distinct(x_index: list[int], y_index: int, names: list[str]) -> None:
    """No feature twice, and the target not among the features."""
    seen: set[int] = set()
    for index in x_index:
        if index in seen:
            raise DataError(f"column {names[index]!r} is given as a feature twice")
        seen.add(index)
    if y_index in seen:
        raise DataError(f"column {names[y_index]!r} cannot be both a feature and y")
