"""Several features, logistic regression, batches, ridge and the split: known answers.

The references are independent: numpy.linalg.lstsq and NIST's certified Longley
values for least squares, the closed-form ridge solution, and a Newton (IRLS)
minimiser of the same log-loss written here with numpy.
"""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np
import pytest

from tutor.engine import DataError, EngineInputError, load_table_csv, train

DATA = Path(__file__).resolve().parents[2] / "lessons" / "data"
LONGLEY_X = ["deflator", "gnp", "unemployed", "armed_forces", "population", "year"]
# NIST StRD certified values for Longley (intercept, then x1..x6).
LONGLEY_CERTIFIED = [-3482258.63459582, 15.0618722713733, -0.358191792925910e-01,
                     -2.02022980381683, -1.03322686717359, -0.511041056535807e-01,
                     1829.15146461355]


def linear_data(n: int = 60, seed: int = 1) -> tuple[list[list[float]], list[float]]:
    """Three features on very different scales, y linear in them plus noise."""
    rng = random.Random(seed)
    cols = [[rng.uniform(500, 3000) for _ in range(n)],
            [float(rng.randint(1, 6)) for _ in range(n)], [rng.uniform(0, 80) for _ in range(n)]]
    ys = [40 + 0.12 * a + 9 * b - 0.7 * c + rng.gauss(0, 15) for a, b, c in zip(*cols)]
    return cols, ys


def lstsq(cols: list[list[float]], ys: list[float]) -> np.ndarray:
    design = np.column_stack([np.ones(len(ys)), *map(np.array, cols)])
    return np.linalg.lstsq(design, np.array(ys), rcond=None)[0]


def assert_digits(got: list[float], want: np.ndarray, digits: int) -> None:
    """Every value agrees to `digits` significant digits."""
    for g, w in zip(got, want):
        assert abs(g - w) <= 10.0 ** -digits * abs(w), (got, list(want))


def test_three_features_agree_with_lstsq_to_8_digits() -> None:
    cols, ys = linear_data()
    result = train(cols, ys, names=["size", "rooms", "age"], epochs=20_000, precision=1e-12)
    assert result.status == "converged" and result.model == "linear"
    assert result.names == ("size", "rooms", "age")
    assert_digits([result.intercept, *result.coefficients], lstsq(cols, ys), 8)
    design = np.column_stack([np.ones(60), *map(np.array, cols)])
    residuals = np.array(ys) - design @ lstsq(cols, ys)
    assert result.cost == pytest.approx(float(np.mean(residuals ** 2)), rel=1e-12)


def test_longley_agrees_with_lstsq_and_nist_to_8_digits() -> None:
    """Ill-conditioned (standardised Hessian condition number about 12,000): heavy-ball
    momentum with the textbook settings for that conditioning gets there in ~2,000 epochs."""
    table = load_table_csv(DATA / "longley.csv", LONGLEY_X, "employed")
    z = np.array(table.columns).T
    z = (z - z.mean(0)) / z.std(0)
    eig = np.linalg.eigvalsh(2 * z.T @ z / len(z))
    low, high = np.sqrt(eig[0]), np.sqrt(eig[-1])
    rate, beta = 4 / (low + high) ** 2, ((high - low) / (high + low)) ** 2
    result = train(table.columns, table.ys, names=table.x_names, method="momentum",
                   learning_rate=rate, hyper={"beta": beta}, epochs=20_000, precision=1e-10)
    assert result.status == "converged" and result.epochs < 5_000
    got = [result.intercept, *result.coefficients]
    assert_digits(got, lstsq(table.columns, table.ys), 8)
    assert_digits(got, np.array(LONGLEY_CERTIFIED), 8)


def test_ridge_agrees_with_the_closed_form() -> None:
    cols, ys = linear_data(40, seed=3)
    l2 = 0.5
    z = np.array(cols).T
    z = (z - z.mean(0)) / z.std(0)
    y = np.array(ys)
    weights = np.linalg.solve(z.T @ z / len(y) + l2 * np.eye(3), z.T @ (y - y.mean()) / len(y))
    result = train(cols, ys, l2=l2, epochs=20_000, precision=1e-12)
    assert_digits(list(np.array(result.params[1:])), weights, 8)
    plain = train(cols, ys, epochs=20_000, precision=1e-12)
    assert sum(w * w for w in result.params[1:]) < sum(w * w for w in plain.params[1:])
    assert result.cost == pytest.approx(result.train_cost + l2 * float(weights @ weights),
                                        rel=1e-9)


def newton_logistic(cols: list[list[float]], ys: list[float], l2: float = 0.0) -> np.ndarray:
    """Minimise mean log-loss + l2*|w|^2 (standardised weights, intercept free) by Newton."""
    z = np.array(cols).T
    z = (z - z.mean(0)) / z.std(0)
    x, y = np.column_stack([np.ones(len(ys)), z]), np.array(ys)
    penalty = 2 * l2 * np.diag([0.0] + [1.0] * z.shape[1])
    w = np.zeros(x.shape[1])
    for _ in range(100):
        p = 1 / (1 + np.exp(-x @ w))
        grad = x.T @ (p - y) / len(y) + penalty @ w
        hess = x.T @ (x * (p * (1 - p))[:, None]) / len(y) + penalty
        w = w - np.linalg.solve(hess, grad)
    return w


def class_data(n: int = 80, seed: int = 2) -> tuple[list[list[float]], list[float]]:
    """Hours studied and hours slept -> passed, overlapping classes (not separable)."""
    rng = random.Random(seed)
    cols = [[rng.uniform(0, 10) for _ in range(n)], [rng.uniform(4, 9) for _ in range(n)]]
    ys = [1.0 if rng.random() < 1 / (1 + np.exp(-(0.9 * a + 0.5 * b - 8))) else 0.0
          for a, b in zip(*cols)]
    return cols, ys


@pytest.mark.parametrize("l2", [0.0, 0.05])
def test_logistic_agrees_with_a_newton_minimiser_to_6_digits(l2: float) -> None:
    cols, ys = class_data()
    result = train(cols, ys, model="logistic", l2=l2, learning_rate=1.0, epochs=50_000,
                   precision=1e-12)
    assert result.status == "converged" and not result.separable
    assert_digits(list(result.params), newton_logistic(cols, ys, l2), 6)
    assert 0.6 < result.accuracy < 1.0
    assert "separable" not in result.message


def test_separable_classes_are_named_and_the_weights_keep_growing() -> None:
    cols, ys = [[1.0, 2.0, 3.0, 4.0, 5.0, 6.0]], [0.0, 0.0, 0.0, 1.0, 1.0, 1.0]
    short = train(cols, ys, model="logistic", epochs=200, learning_rate=1.0)
    long = train(cols, ys, model="logistic", epochs=2000, learning_rate=1.0)
    assert short.separable and long.separable and long.accuracy == 1.0
    assert abs(long.coefficients[0]) > abs(short.coefficients[0]) * 1.5
    assert "perfectly separable" in long.message and "grow without end" in long.message
    ridge = train(cols, ys, model="logistic", epochs=20_000, learning_rate=1.0, l2=0.01,
                  precision=1e-10)
    assert ridge.status == "converged" and "grow without end" not in ridge.message


def test_batches_epochs_and_seeds() -> None:
    cols, ys = linear_data(50)
    one = train(cols, ys, batch_size=1, epochs=3, seed=7, learning_rate=0.01, precision=0)
    again = train(cols, ys, batch_size=1, epochs=3, seed=7, learning_rate=0.01, precision=0)
    other = train(cols, ys, batch_size=1, epochs=3, seed=8, learning_rate=0.01, precision=0)
    assert one.nit == 150 and len(one.batch_costs) == 150 and len(one.train_costs) == 4
    assert one.params == again.params and one.batch_costs == again.batch_costs
    assert one.batch_costs != other.batch_costs and one.params != other.params
    mini = train(cols, ys, batch_size=16, epochs=3, precision=0)
    assert mini.nit == 3 * 4  # 16 + 16 + 16 + 2 rows per epoch
    full = train(cols, ys, epochs=30)
    assert train(cols, ys, epochs=30, batch_size=50).params == full.params
    assert train(cols, ys, epochs=30, batch_size=500, seed=9).params == full.params
    assert full.batch_costs == full.train_costs[:-1]


def test_a_test_split_records_both_costs_every_epoch() -> None:
    cols, ys = linear_data(50)
    result = train(cols, ys, test_fraction=0.2, epochs=40, seed=4)
    assert len(result.test_rows) == 10 and len(result.train_rows) == 40
    assert sorted(result.train_rows + result.test_rows) == list(range(50))
    assert len(result.train_costs) == len(result.test_costs) == 41
    rows = [[c[i] for c in cols] for i in result.test_rows]
    errors = [p - ys[i] for p, i in zip(result.predict(rows), result.test_rows)]
    assert result.test_cost == pytest.approx(sum(e * e for e in errors) / 10, rel=1e-9)
    assert train(cols, ys, test_fraction=0.2, epochs=40, seed=5).test_rows != result.test_rows


def test_a_callback_can_stop_training() -> None:
    cols, ys = linear_data(20)
    seen: list[int] = []
    result = train(cols, ys, epochs=100, callback=lambda r: seen.append(r.epoch) or r.epoch == 5)
    assert result.status == "stopped" and result.epochs == 5 and seen == [1, 2, 3, 4, 5]


def test_a_learning_rate_too_large_diverges_with_a_sentence() -> None:
    cols, ys = linear_data(20)
    result = train(cols, ys, learning_rate=5.0, epochs=10_000)
    assert result.status == "diverged" and result.message.startswith("Diverged")


@pytest.mark.parametrize(("kwargs", "words"), [
    ({"model": "logistic"}, "0 or 1, but y is .* in data row 1"),
    ({"model": "probit"}, "unknown model"),
    ({"batch_size": 0}, "batch size"),
    ({"epochs": -1}, "epochs"),
    ({"test_fraction": 0.95}, "test fraction"),
    ({"l2": -1.0}, "l2"),
    ({"hidden": 9}, "2 to 8 units"),
    ({"method": "newton"}, "unknown method"),
])
def test_bad_settings_are_one_sentence(kwargs: dict, words: str) -> None:
    cols, ys = linear_data(10)
    with pytest.raises(EngineInputError, match=words):
        train(cols, ys, **kwargs)


def test_a_feature_that_never_varies_and_one_class_only_are_refused() -> None:
    with pytest.raises(DataError, match="'b' never varies"):
        train([[1, 2, 3], [5, 5, 5]], [1, 2, 3], names=["a", "b"])
    with pytest.raises(DataError, match="nothing to tell apart"):
        train([[1, 2, 3]], [1, 1, 1], model="logistic")
    with pytest.raises(DataError, match="fewer than 2 to train on"):
        train([[1, 2, 3]], [1, 2, 3], test_fraction=0.5)


EXTREMES = [0.0, 1.0, -1.0, 3.0, 2.5e-8, 1e-300, 5e-324, 1e154, 1e300, -1e300, 1e308]


def test_extreme_values_give_a_result_or_one_sentence_never_a_crash() -> None:
    """Huge, tiny and subnormal values: scaling, costs and the exact answer must not overflow
    into an exception (a diverged run or a DataError sentence is fine)."""
    from tutor.engine import least_squares

    rng = random.Random(0)
    for _ in range(150):
        n, k = rng.randint(2, 6), rng.randint(1, 3)
        cols = [[rng.choice(EXTREMES) * rng.choice([1, 1.5, -2]) for _ in range(n)]
                for _ in range(k)]
        model = rng.choice(["linear", "logistic"])
        ys = ([float(rng.randint(0, 1)) for _ in range(n)] if model == "logistic"
              else [rng.choice(EXTREMES) for _ in range(n)])
        for attempt in (lambda: train(cols, ys, model=model, epochs=30,
                                      batch_size=rng.choice([None, 1]),
                                      l2=rng.choice([0.0, 0.1]), hidden=rng.choice([0, 2])),
                        lambda: least_squares(cols, ys)):
            try:
                attempt()
            except EngineInputError as exc:
                assert str(exc) and "\n" not in str(exc)


def test_batch_costs_are_capped_so_long_stochastic_runs_stay_small(monkeypatch) -> None:
    from tutor.engine import models

    monkeypatch.setattr(models, "MAX_BATCH_COSTS", 25)
    cols, ys = linear_data(10)
    result = train(cols, ys, batch_size=1, epochs=5, precision=0, learning_rate=0.01)
    assert result.nit == 50 and len(result.batch_costs) == 25 and len(result.train_costs) == 6
