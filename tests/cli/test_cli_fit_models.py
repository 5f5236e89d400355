"""`gd-tutor fit` with several features, a logistic model, batches, a seed and a split."""

from __future__ import annotations

import json
import random
from pathlib import Path

import numpy as np
import pytest

from tests.cli.test_cli_run_fit import DATA, gd, one_line_error

LINE_KEYS = {"status", "intercept", "slope", "cost", "iterations", "message", "success",
             "scaled", "learning_rate", "precision", "x_column", "y_column", "points",
             "least_squares"}


@pytest.fixture(scope="module")
def houses(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """size, rooms, age -> price, with noise; and a 0/1 column `sold`."""
    rng = random.Random(11)
    path = tmp_path_factory.mktemp("data") / "houses.csv"
    lines = ["size,rooms,age,flat,price,sold"]
    for _ in range(40):
        size, rooms, age = rng.uniform(50, 250), rng.randint(1, 6), rng.uniform(0, 90)
        price = 30 + 1.1 * size + 12 * rooms - 0.6 * age + rng.gauss(0, 20)
        sold = int(rng.random() < 1 / (1 + np.exp(-(price - 200) / 40)))
        lines.append(f"{size:.2f},{rooms},{age:.1f},1,{price:.2f},{sold}")
    path.write_text("\n".join(lines) + "\n")
    return path


def test_three_features_json_agrees_with_lstsq(houses: Path) -> None:
    done = gd("fit", str(houses), "--x", "size", "--x", "rooms", "--x", "age", "--y", "price",
              "--iterations", "20000", "--precision", "1e-12", "--json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert LINE_KEYS <= set(data) and data["model"] == "linear"
    assert list(data["coefficients"]) == ["size", "rooms", "age"]
    table = np.loadtxt(houses, delimiter=",", skiprows=1)
    design = np.column_stack([np.ones(40), table[:, :3]])
    want = np.linalg.lstsq(design, table[:, 4], rcond=None)[0]
    got = [data["intercept"], *data["coefficients"].values()]
    assert got == pytest.approx(list(want), rel=1e-8)
    exact = data["least_squares"]
    assert [exact["intercept"], *exact["coefficients"].values()] == pytest.approx(list(want),
                                                                                  rel=1e-10)
    assert data["status"] == "converged" and data["slope"] is None


def test_a_line_fit_keeps_its_keys_and_gains_coefficients() -> None:
    done = gd("fit", str(DATA / "anscombe1.csv"), "--json")
    data = json.loads(done.stdout)
    assert LINE_KEYS <= set(data) and data["model"] == "linear"
    assert data["coefficients"] == {data["x_column"]: data["slope"]}


def test_logistic_json_reports_accuracy_and_a_split(houses: Path) -> None:
    done = gd("fit", str(houses), "--x", "price", "--y", "sold", "--model", "logistic",
              "--epochs", "3000", "--lr", "1", "--test-fraction", "0.25", "--seed", "2",
              "--json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["model"] == "logistic" and 0.5 < data["accuracy"] <= 1
    assert data["test_rows"] == 10 and data["train_rows"] == 30
    assert data["train_cost"] > 0 and data["test_cost"] > 0 and data["least_squares"] is None
    assert set(data["coefficients"]) == {"price"} and data["coefficients"]["price"] > 0


def test_the_same_seed_gives_the_same_bytes_and_another_seed_does_not(houses: Path) -> None:
    args = ("fit", str(houses), "--x", "size", "--x", "age", "--y", "price", "--batch-size",
            "1", "--epochs", "20", "--lr", "0.01", "--test-fraction", "0.2", "--json")
    first, again = gd(*args, "--seed", "5"), gd(*args, "--seed", "5")
    other = gd(*args, "--seed", "6")
    assert first.returncode == 0 and first.stdout == again.stdout
    assert json.loads(other.stdout)["coefficients"] != json.loads(first.stdout)["coefficients"]


def test_the_text_report_shows_the_model_and_the_exact_answer(houses: Path) -> None:
    done = gd("fit", str(houses), "--x", "size", "--x", "rooms", "--x", "age", "--y", "price")
    assert done.returncode == 0, done.stderr
    assert "Linear model fitted to" in done.stdout and "exact least squares" in done.stdout
    assert "cost per epoch" in done.stdout
    assert max(len(line) for line in done.stdout.splitlines()) <= 80
    split = gd("fit", str(houses), "--x", "price", "--y", "sold", "--model", "logistic",
               "--test-fraction", "0.3", "--epochs", "200", "--batch-size", "8",
               env={"NO_COLOR": "1"})
    words = " ".join(split.stdout.split())
    assert "12 rows held back: training log-loss" in words and "test accuracy" in words
    assert "•• training" in split.stdout and "xx test" in split.stdout  # apart without colour
    assert "++ each batch" in split.stdout  # the noisy mini-batch costs beside them
    assert max(len(line) for line in split.stdout.splitlines()) <= 80


@pytest.mark.parametrize(("args", "words"), [
    (("--x", "size", "--y", "price", "--model", "logistic"), "needs every y to be 0 or 1"),
    (("--x", "size", "--x", "flat", "--y", "price"), "feature 'flat' never varies"),
    (("--x", "size", "--y", "price", "--batch-size", "0"), "--batch-size: the batch size"),
    (("--x", "size", "--y", "price", "--test-fraction", "2"), "--test-fraction:"),
    (("--x", "size", "--y", "price", "--model", "probit"), "--model: the model must be"),
    (("--x", "size", "--x", "age", "--no-scale"), "--no-scale:"),
    (("--x", "size", "--x", "size"), "given as a feature twice"),
    (("--x", "size", "--x", "depth"), "no column named 'depth'"),
    (("--x", "size", "--epochs", "-3"), "--epochs:"),
])
def test_bad_options_are_one_sentence_exit_2(houses: Path, args: tuple[str, ...],
                                             words: str) -> None:
    assert words in one_line_error(gd("fit", str(houses), *args))


def test_separable_classes_are_said_and_a_network_learns_xor(tmp_path: Path) -> None:
    xor = tmp_path / "xor.csv"
    xor.write_text("a,b,label\n0,0,0\n0,1,1\n1,0,1\n1,1,0\n")
    done = gd("fit", str(xor), "--x", "a", "--x", "b", "--model", "logistic", "--hidden", "3",
              "--method", "adam", "--epochs", "2000", "--seed", "1", "--json")
    data = json.loads(done.stdout)
    assert data["accuracy"] == 1.0 and data["hidden"] == 3 and data["coefficients"] == {}
    line = gd("fit", str(xor), "--x", "a", "--x", "b", "--model", "logistic", "--json")
    assert json.loads(line.stdout)["accuracy"] <= 0.75
    split = tmp_path / "split.csv"
    split.write_text("hours,passed\n1,0\n2,0\n3,0\n4,1\n5,1\n6,1\n")
    apart = json.loads(gd("fit", str(split), "--model", "logistic", "--epochs", "500",
                          "--json").stdout)
    assert apart["separable"] is True and "grow without end" in apart["message"]
