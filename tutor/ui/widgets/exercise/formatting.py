"""Numbers as a learner reads them, and thinning long series for plots."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any


def fmt(value: Any) -> str:
    """A number in at most 6 significant digits (`2.4`, `1.6e-07`, `inf`)."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return str(value)
    if math.isnan(number):
        return "nan"
    if math.isinf(number):
        return "inf" if number > 0 else "-inf"
    text = f"{number:.6g}"
    return "0" if text == "-0" else text


def fmt_point(values: Sequence[Any]) -> str:
    """One number alone, several as `(a, b)`."""
    values = list(values)
    if len(values) == 1:
        return fmt(values[0])
    return "(" + ", ".join(fmt(v) for v in values) + ")"


def fmt_named(names: Sequence[str], values: Sequence[Any]) -> str:
    """`x = 2.4` or `x = 1, y = 1`."""
    return ", ".join(f"{n} = {fmt(v)}" for n, v in zip(names, values))


def finite(values: Sequence[float]) -> list[float]:
    """The finite members of `values`."""
    return [v for v in values if isinstance(v, (int, float)) and math.isfinite(v)]


def head_tail(count: int, head: int = 5, tail: int = 5) -> list[int | None]:
    """Row indices for a table of `count` rows: all, or first/last with None as the gap."""
    if count <= head + tail + 1:
        return list(range(count))
    return [*range(head), None, *range(count - tail, count)]


TICK_WIDTH = 8
"""Most characters in an axis label: a plot keeps its width for the curve (`1e+34`)."""


def tick_label(value: float) -> str:
    """An axis label of at most TICK_WIDTH characters (`0.25`, `1.2e+34`, `-3e-07`)."""
    for digits in (4, 3, 2, 1):
        text = f"{value:.{digits}g}"
        if len(text) <= TICK_WIDTH:
            return "0" if text == "-0" else text
    return f"{value:.0e}"


def nice_ticks(low: float, high: float, most: int = 5) -> list[float]:
    """Round numbers from `low` to `high` (at most `most`), for a linear axis."""
    if not (math.isfinite(low) and math.isfinite(high)) or high <= low:
        return [low] if math.isfinite(low) else []
    raw = (high - low) / max(1, most - 1)
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    first = math.ceil(low / step)
    ticks = [k * step for k in range(first, math.floor(high / step) + 1)]
    return ticks or [low, high]
