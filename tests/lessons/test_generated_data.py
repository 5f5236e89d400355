"""The generated data sets are what their generator makes: lessons/data/README.md says how
each was made, and this keeps that true (a hand edit to a CSV fails here)."""

from __future__ import annotations

import csv
import importlib.util
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parents[2] / "lessons" / "data"


def _generator() -> object:
    spec = importlib.util.spec_from_file_location("make_models_data",
                                                  DATA / "make_models_data.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _rows(name: str) -> list[list[str]]:
    with open(DATA / name, newline="", encoding="utf-8") as handle:
        return list(csv.reader(handle))


@pytest.mark.parametrize(("name", "maker"), [("curve.csv", "curve_rows"),
                                             ("passed-separable.csv", "separable_rows")])
def test_each_generated_file_is_its_generators_output(name: str, maker: str) -> None:
    assert _rows(name) == getattr(_generator(), maker)()


def test_curve_columns_are_the_powers_of_x() -> None:
    header, *rows = _rows("curve.csv")
    assert header == ["x", "y"] + [f"x{k}" for k in range(2, 9)]
    for row in rows:
        x = float(row[0])
        for k, text in zip(range(2, 9), row[2:]):
            assert abs(float(text) - x ** k) <= 5e-7


def test_the_separable_class_is_split_by_one_threshold() -> None:
    rows = [(float(h), int(p)) for h, p in _rows("passed-separable.csv")[1:]]
    assert max(h for h, p in rows if p == 0) < min(h for h, p in rows if p == 1)
    assert len(rows) == len(_rows("passed.csv")) - 3  # its header and the two odd learners
