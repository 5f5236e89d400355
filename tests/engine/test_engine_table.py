"""Reading several feature columns: defaults, names and numbers, and one-sentence refusals."""

from __future__ import annotations

from pathlib import Path

import pytest

from tutor.engine import DataError, load_table_csv
from tutor.engine.table import MAX_FEATURES


@pytest.fixture
def csv(tmp_path: Path) -> Path:
    path = tmp_path / "h.csv"
    path.write_text("size,rooms,age,price\n100,2,5,200\n150,3,1,290\n120,2,30,210\n")
    return path


def test_one_feature_defaults_like_load_xy_csv(csv: Path) -> None:
    table = load_table_csv(csv)
    assert table.x_names == ["size"] and table.y_name == "rooms"
    assert table.columns == [[100.0, 150.0, 120.0]] and table.ys == [2.0, 3.0, 2.0]


def test_several_features_take_the_last_other_column_as_y(csv: Path) -> None:
    table = load_table_csv(csv, ["size", "3"])
    assert table.x_names == ["size", "age"] and table.y_name == "price" and table.rows == 3
    assert load_table_csv(csv, ["rooms", "age", "price"]).y_name == "size"


@pytest.mark.parametrize(("xs", "y", "words"), [
    (["size", "size"], None, "'size' is given as a feature twice"),
    (["size", "age"], "age", "'age' cannot be both a feature and y"),
    (["size", "depth"], None, "no column named 'depth'"),
    (["size", "9"], None, "there is no column 9"),
    (["size", "rooms", "age", "price"], None, "no column left for y"),
])
def test_bad_columns_are_one_sentence(csv: Path, xs: list[str], y: str | None,
                                      words: str) -> None:
    with pytest.raises(DataError, match=words):
        load_table_csv(csv, xs, y)


def test_too_many_features_and_a_missing_file_are_refused(csv: Path, tmp_path: Path) -> None:
    with pytest.raises(DataError, match=f"at most {MAX_FEATURES} feature columns"):
        load_table_csv(csv, ["size"] * (MAX_FEATURES + 1))
    with pytest.raises(DataError, match="no such file"):
        load_table_csv(tmp_path / "none.csv", ["a", "b"])
