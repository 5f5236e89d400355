"""Generate the made-up data sets of lessons 14 and 15 (run once; the CSVs are committed).

    python lessons/data/make_models_data.py

- `curve.csv`: 12 points on y = 1 - 2x^2 plus noise (gauss(0, 0.3), random.Random(4)),
  x evenly spaced from -1 to 1, with the polynomial features x2 ... x8 (x to the power
  2 ... 8, rounded to 6 decimals) for lesson 15's overfitting.
- `passed-separable.csv`: `passed.csv` without the two learners who break the pattern (3.5 h
  passed, 5 h failed), so that every learner who studied 4.5 h or more passed and every one
  who studied 4 h or less failed: perfectly separable, for lesson 14.
"""

from __future__ import annotations

import csv
import random
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEGREE = 8


def curve_rows() -> list[list[str]]:
    """Header and rows of curve.csv: x, y, then x^2 ... x^DEGREE."""
    rng = random.Random(4)
    n = 12
    xs = [round(-1 + 2 * i / (n - 1), 3) for i in range(n)]
    rows = [["x", "y"] + [f"x{k}" for k in range(2, DEGREE + 1)]]
    for x in xs:
        y = round(1 - 2 * x * x + rng.gauss(0, 0.3), 2)
        rows.append([f"{x:g}", f"{y:g}"] + [decimal(x ** k) for k in range(2, DEGREE + 1)])
    return rows


def decimal(value: float) -> str:
    """`value` to 6 decimals, without trailing zeros or a minus sign on zero."""
    text = f"{value:.6f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def separable_rows() -> list[list[str]]:
    """passed.csv without the rows (3.5, 1) and (5, 0)."""
    with open(HERE / "passed.csv", newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    return [rows[0]] + [r for r in rows[1:] if (r[0], r[1]) not in (("3.5", "1"), ("5", "0"))]


def write(name: str, rows: list[list[str]]) -> None:
    with open(HERE / name, "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)


if __name__ == "__main__":
    write("curve.csv", curve_rows())
    write("passed-separable.csv", separable_rows())
