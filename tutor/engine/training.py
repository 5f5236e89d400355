"""The pieces of `models.train` that are not descent: checks, scaling, the split, sentences."""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from dataclasses import dataclass

from tutor.engine.errors import DataError
from tutor.wording import plural

MODEL_MESSAGES: dict[str, str] = {
    "converged": "Converged: an epoch moved the weights less than the precision {precision:g}, "
                 "after {epochs} ({updates}).",
    "max_iterations": "Stopped after all {epochs} ({updates}) before an epoch moved the weights "
                      "less than {precision:g}; allow more epochs or try another learning rate.",
    "all_iterations": "Ran all {epochs} ({updates}): with precision 0 training never stops "
                      "early.",
    "rising": "Diverged: the cost grew on each of the last 10 epochs; try a smaller "
              "learning rate.",
    "nonfinite": "Diverged: the weights or the cost became too large for the computer "
                 "(infinite or not a number) after {epochs}; try a smaller learning rate.",
    "stopped": "Stopped by request after {epochs} ({updates}).",
}
SEPARABLE = (" The two classes are perfectly separable (a line splits them with no mistakes), "
             "so without an l2 penalty the weights grow without end and the cost only creeps "
             "towards 0.")


@dataclass(frozen=True)
class Scaling:
    """z = (x - shift) / spread for every feature, measured on the training rows."""

    shifts: tuple[float, ...]
    spreads: tuple[float, ...]

    @classmethod
    def of(cls, cols: list[list[float]], names: Sequence[str]) -> Scaling:
        """Mean and population standard deviation of every column; a constant one is refused."""
        shifts, spreads = [], []
        for col, name in zip(cols, names):
            mean, spread = mean_and_spread(col)
            if not spread > 0:
                raise DataError(f"feature {name!r} never varies (every training value is "
                                f"{col[0]:g}), so it cannot be scaled or fitted; leave it out")
            shifts.append(mean)
            spreads.append(spread)
        return cls(tuple(shifts), tuple(spreads))

    def apply(self, cols: Sequence[Sequence[float]]) -> list[list[float]]:
        """Standardise raw columns (as v/s - m/s when v - m would overflow)."""
        return [[(v - m) / s if abs(v) < HUGE and abs(m) < HUGE else v / s - m / s for v in col]
                for col, m, s in zip(cols, self.shifts, self.spreads)]

    def to_original(self, params: Sequence[float]) -> tuple[float, list[float]]:
        """Intercept and coefficients in the data's units from standardised weights."""
        weights = [w / s for w, s in zip(params[1:], self.spreads)]
        return params[0] - careful_sum([w * m for w, m in zip(weights, self.shifts)]), weights


HUGE = 2.0 ** 1000


def careful_sum(values: Sequence[float]) -> float:
    """math.fsum, or a plain sum (inf or nan) where fsum would overflow or meet inf - inf."""
    try:
        return math.fsum(values)
    except (OverflowError, ValueError):
        return sum(values)


def mean_and_spread(values: Sequence[float]) -> tuple[float, float]:
    """Mean and population standard deviation without overflow: the values are scaled by
    a power of two (exactly) so their squares stay finite."""
    largest = max(abs(v) for v in values)
    if largest == 0:
        return 0.0, 0.0
    unit = 2.0 ** (math.frexp(largest)[1] - 1)
    scaled = [v / unit for v in values]
    mean = math.fsum(scaled) / len(scaled)
    spread = math.sqrt(math.fsum((v - mean) * (v - mean) for v in scaled) / len(scaled))
    return mean * unit, spread * unit


def check_columns(columns: Sequence[Sequence[float]], ys: Sequence[float],
                  names: Sequence[str] | None) -> tuple[list[list[float]], list[float], list[str]]:
    """Equally long columns of finite floats, at least one feature and two rows."""
    cols = [[float(v) for v in c] for c in columns]
    ys = [float(y) for y in ys]
    if not cols:
        raise DataError("a model needs at least one feature column")
    names = list(names) if names is not None else [f"x{i + 1}" for i in range(len(cols))]
    if len(names) != len(cols):
        raise DataError(f"{len(cols)} feature columns but {len(names)} names")
    for col, name in zip(cols, names):
        if len(col) != len(ys):
            raise DataError(f"feature {name!r} has {plural(len(col), 'value')} but y has "
                            f"{len(ys)}; they must pair up")
    if len(ys) < 2:
        raise DataError(f"a model needs at least 2 rows, got {len(ys)}")
    if not all(math.isfinite(v) for v in (*ys, *(v for c in cols for v in c))):
        raise DataError("every feature and y value must be a finite number")
    return cols, ys, names


def check_labels(ys: list[float]) -> None:
    """Logistic targets: every y 0 or 1, and both present."""
    for row, y in enumerate(ys, 1):
        if y not in (0.0, 1.0):
            raise DataError(f"a logistic model needs every y to be 0 or 1, but y is {y:g} in "
                            f"data row {row}")
    if len(set(ys)) < 2:
        raise DataError(f"every y is {ys[0]:g}, so there is nothing to tell apart; a logistic "
                        "model needs some 0s and some 1s")


def split_rows(n: int, fraction: float, rng: random.Random) -> tuple[list[int], list[int]]:
    """Training and test row numbers: a seeded shuffle, `fraction` of the rows held back."""
    count = round(fraction * n)
    if count == 0:
        return list(range(n)), []
    if n - count < 2:
        raise DataError(f"holding back {count} of {n} rows leaves fewer than 2 to train on; "
                        "use a smaller test fraction")
    order = list(range(n))
    rng.shuffle(order)
    return sorted(order[count:]), sorted(order[:count])


def take(values: Sequence[float], rows: Sequence[int]) -> list[float]:
    """The values at the given row numbers."""
    return [values[i] for i in rows]


def model_message(reason: str, *, epochs: int, nit: int, precision: float,
                  separable: bool) -> str:
    """The sentence a training run ends with (and the separable warning where it applies)."""
    if reason == "max_iterations" and precision == 0:
        reason = "all_iterations"
    text = MODEL_MESSAGES[reason].format(
        epochs=plural(epochs, "epoch"), updates=plural(nit, "update"),
        precision=precision)
    return text + SEPARABLE if separable else text
