"""Reading two numeric columns from a CSV file, with one-sentence errors for people.

The file is bounded before it is parsed: only a regular file (not a device, pipe
or socket, which could be endless or block forever), at most MAX_BYTES, at most
MAX_ROWS rows. Rows are streamed twice (shape, then the two columns), so memory
stays near the file's size plus two lists of floats.
"""

from __future__ import annotations

import csv
import io
import math
import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass

from tutor.engine.errors import DataError
from tutor.engine.regression import MAX_MAGNITUDE
from tutor.wording import plural

MAX_BYTES = 10_000_000
MAX_ROWS = 100_000


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
    DataError with one sentence for a missing, special or oversized file, garbled
    CSV, a non-numeric or out-of-range cell (naming its row and column), an
    unknown column or fewer than 2 rows.
    """
    name = os.fspath(path)
    text = read_text(name)
    first_row, count, width = _shape(name, text)
    header = first_row if first_row and not all(is_number(c) for c in first_row) else None
    if count - (header is not None) > MAX_ROWS:
        raise DataError(f"{name} has more than {MAX_ROWS:,} data rows, the most a fit reads; "
                        "use a sample of its rows")
    names = header or [f"column {i + 1}" for i in range(width)]
    xi = column_index(x, 0, names, width)
    yi = column_index(y, 1, names, width)
    xs, ys = [], []
    body = numbered_rows(name, text)
    if header is not None:
        next(body)
    for number, row in body:  # the line an editor shows
        xs.append(cell_value(row, xi, number, names))
        ys.append(cell_value(row, yi, number, names))
    if len(xs) < 2:
        raise DataError(f"{name} has {plural(len(xs), 'data row')}; "
                        "a fit needs at least 2")
    return XYData(xs, ys, names[xi], names[yi])


def read_text(name: str) -> str:
    """The whole file as text, refusing what is not a regular file of at most MAX_BYTES.

    Opened without blocking (a FIFO would wait for a writer) and checked with
    fstat on the open file, so what is read is what was checked.
    """
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0)
    try:
        fd = os.open(name, flags)
    except FileNotFoundError:
        raise DataError(f"no such file: {name}") from None
    except OSError as exc:
        raise DataError(f"cannot read {name}: {exc.strerror or exc}") from None
    try:
        raw = _read_regular(name, fd)
    finally:
        os.close(fd)
    if len(raw) > MAX_BYTES:
        raise DataError(_too_large(name))
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise DataError(f"{name} is not a text CSV file (it is not UTF-8 text)") from None
    if "\0" in text:
        raise DataError(f"{name} is not a text CSV file (it contains binary data)")
    return text


def _read_regular(name: str, fd: int) -> bytes:
    """Up to MAX_BYTES + 1 bytes of an open file, after fstat says it is a regular file."""
    mode = os.fstat(fd)
    if stat.S_ISDIR(mode.st_mode):
        raise DataError(f"{name} is a folder, not a CSV file")
    if not stat.S_ISREG(mode.st_mode):
        raise DataError(f"{name} is not a regular file (it is a device, pipe or socket), "
                        "so it cannot be a CSV file")
    if mode.st_size > MAX_BYTES:
        raise DataError(_too_large(name))
    chunks, size = [], 0
    try:
        while size <= MAX_BYTES:
            chunk = os.read(fd, MAX_BYTES + 1 - size)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except OSError as exc:
        raise DataError(f"cannot read {name}: {exc.strerror or exc}") from None
    return b"".join(chunks)


def _too_large(name: str) -> str:
    """The sentence for a file over MAX_BYTES."""
    return (f"{name} is larger than {MAX_BYTES // 1_000_000} MB, the most a fit reads; "
            "use a sample of its rows")


def _shape(name: str, text: str) -> tuple[list[str] | None, int, int]:
    """The first row, the number of rows and the widest row's width (nothing else is kept)."""
    first: list[str] | None = None
    count = width = 0
    for _, row in numbered_rows(name, text):
        first = row if first is None else first
        count += 1
        width = max(width, len(row))
    return first, count, width


def numbered_rows(name: str, text: str) -> Iterator[tuple[int, list[str]]]:
    """The non-blank rows of the text, cells stripped, one at a time, each with its line
    number as an editor shows it (blank lines and the header count)."""
    reader = csv.reader(io.StringIO(text), delimiter=_delimiter(text), strict=True)
    try:
        for row in reader:
            cells = [c.strip() for c in row]
            if any(cells):
                yield reader.line_num, cells
    except csv.Error as exc:
        raise DataError(f"{name} is not valid CSV: {exc}") from None


def _delimiter(text: str) -> str:
    """Comma, unless the first line uses semicolons or tabs instead."""
    first = text.split("\n", 1)[0]
    if "," not in first:
        for candidate in (";", "\t"):
            if candidate in first:
                return candidate
    return ","


def is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


def column_index(wanted: str | int | None, default: int, names: list[str], width: int) -> int:
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
        raise DataError(f"there is no column {number}; the file has {plural(width, 'column')}")
    raise DataError(f"there is no column named {text!r}; the columns are {', '.join(names)}")


def cell_value(row: list[str], index: int, line: int, names: list[str]) -> float:
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
    if abs(value) > MAX_MAGNITUDE:
        raise DataError(f"{where} holds {row[index]!r}, too large to fit (its square overflows); "
                        f"numbers up to {_g(MAX_MAGNITUDE)} in size can be fitted, so rescale it")
    return value


def _g(value: float) -> str:
    """A number as people write it: 1e150, not 1e+150."""
    return f"{value:g}".replace("e+", "e")
