"""Reading two numeric columns from a CSV file, with one-sentence errors for people."""

from __future__ import annotations

import csv
import io
import math
import os
from dataclasses import dataclass

from tutor.engine.errors import DataError

MAX_BYTES = 50_000_000


@dataclass(frozen=True)
class XYData:
    """Paired values read from a file, with the names of the columns they came from."""

    xs: list[float]
    ys: list[float]
    x_name: str
    y_name: str


def load_xy_csv(path: str | os.PathLike[str], x: str | int | None = None,
                y: str | int | None = None) -> XYData:
    """Read columns `x` and `y` (names or 1-based numbers; default the first two).

    The first row is a header when any of its cells is not a number. Raises
    DataError with one sentence for a missing file, garbled CSV, a non-numeric
    cell (naming its row and column), an unknown column or fewer than 2 rows.
    """
    numbered = _read_rows(path)
    rows = [cells for _, cells in numbered]
    header = rows[0] if rows and not all(_is_number(c) for c in rows[0]) else None
    body = rows[1:] if header is not None else rows
    width = max((len(r) for r in rows), default=0)
    names = header or [f"column {i + 1}" for i in range(width)]
    xi = _column(x, 0, names, width)
    yi = _column(y, 1, names, width)
    lines = [line for line, _ in numbered][1 if header is not None else 0:]
    xs = [_cell(r, xi, n, names) for n, r in zip(lines, body)]
    ys = [_cell(r, yi, n, names) for n, r in zip(lines, body)]
    if len(xs) < 2:
        raise DataError(f"{os.fspath(path)} has {len(xs)} data row{'s' if len(xs) != 1 else ''}; "
                        "a fit needs at least 2")
    return XYData(xs, ys, names[xi], names[yi])


def _read_rows(path: str | os.PathLike[str]) -> list[tuple[int, list[str]]]:
    """All non-blank rows of the file, cells stripped, each with its line number in the
    file (as an editor shows it: blank lines and the header count)."""
    name = os.fspath(path)
    if not os.path.exists(name):
        raise DataError(f"no such file: {name}")
    if os.path.isdir(name):
        raise DataError(f"{name} is a folder, not a CSV file")
    if os.path.getsize(name) > MAX_BYTES:
        raise DataError(f"{name} is larger than {MAX_BYTES // 1_000_000} MB")
    try:
        with open(name, newline="", encoding="utf-8-sig") as handle:
            text = handle.read()
    except UnicodeDecodeError:
        raise DataError(f"{name} is not a text CSV file (it is not UTF-8 text)") from None
    except OSError as exc:
        raise DataError(f"cannot read {name}: {exc.strerror or exc}") from None
    if "\0" in text:
        raise DataError(f"{name} is not a text CSV file (it contains binary data)")
    reader = csv.reader(io.StringIO(text), delimiter=_delimiter(text), strict=True)
    try:
        rows = [(reader.line_num, row) for row in reader]
    except csv.Error as exc:
        raise DataError(f"{name} is not valid CSV: {exc}") from None
    return [(n, [c.strip() for c in r]) for n, r in rows if any(c.strip() for c in r)]


def _delimiter(text: str) -> str:
    """Comma, unless the first line uses semicolons or tabs instead."""
    first = text.split("\n", 1)[0]
    if "," not in first:
        for candidate in (";", "\t"):
            if candidate in first:
                return candidate
    return ","


def _is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


def _column(wanted: str | int | None, default: int, names: list[str], width: int) -> int:
    """The 0-based index of a column given by name or 1-based number."""
    if wanted is None:
        if width <= default:
            raise DataError(f"the file needs at least 2 columns, it has {width}")
        return default
    text = str(wanted).strip()
    if text in names:
        return names.index(text)
    if text.isdigit():
        number = int(text)
        if 1 <= number <= width:
            return number - 1
        raise DataError(f"there is no column {number}; the file has {width} columns")
    raise DataError(f"there is no column named {text!r}; the columns are {', '.join(names)}")


def _cell(row: list[str], index: int, line: int, names: list[str]) -> float:
    """The number in one cell, or a DataError naming its line in the file and its column."""
    where = f"line {line}, column {names[index]!r}"
    if index >= len(row):
        raise DataError(f"{where} is missing (the row has only {len(row)} cells)")
    try:
        value = float(row[index])
    except ValueError:
        raise DataError(f"{where} holds {row[index]!r}, which is not a number") from None
    if not math.isfinite(value):
        raise DataError(f"{where} holds {row[index]!r}; only finite numbers can be fitted")
    return value
