"""`engine.train` speed against a hand-written training loop, in one process.

    python benchmarks/bench_models.py [--repeat 5] [--epochs 1000] [--rows 1000]
                                      [--batch-size N]

For a 3-feature linear model (mean squared error) and a 3-feature logistic
model (log-loss), each run for exactly `--epochs` epochs (precision 0), it times:

- engine: `train(columns, ys, ...)` from raw columns (it checks and standardises
  them, builds the optimizer, records the cost of every epoch and batch);
- hand loop: the loop a person writes in plain Python with the same arithmetic
  (standardise, then per batch: predict column by column, errors, gradient,
  step; record each batch's cost and, with mini-batches, the training cost
  after each epoch, as `train` does; the same stopping test);
- bare loop: the hand loop recording nothing (for reference, the floor).

The engine and hand loop must give the same weights before their speeds are
compared. It prints the median seconds of each and the ratio engine / hand loop
(target <= 1.5; exit status 1 if a ratio misses it).
"""

from __future__ import annotations

import argparse
import math
import random
import statistics
import sys
import time
from collections.abc import Callable
from operator import mul
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tutor.engine import train  # noqa: E402
from tutor.engine.losses import log_loss, sigmoid  # noqa: E402

TARGET = 1.5
RATE = 0.1


def make_data(rows: int) -> tuple[list[list[float]], list[float], list[float]]:
    """Three features on different scales, a linear target and a 0/1 label."""
    rng = random.Random(1)
    cols = [[rng.uniform(50, 250) for _ in range(rows)],
            [float(rng.randint(1, 6)) for _ in range(rows)],
            [rng.uniform(0, 90) for _ in range(rows)]]
    ys = [30 + 1.1 * a + 12 * b - 0.6 * c + rng.gauss(0, 20) for a, b, c in zip(*cols)]
    labels = [1.0 if rng.random() < sigmoid((y - 200) / 40) else 0.0 for y in ys]
    return cols, ys, labels


def standardise(cols: list[list[float]]) -> list[list[float]]:
    """z = (x - mean) / population standard deviation, per column."""
    out = []
    for col in cols:
        mean = math.fsum(col) / len(col)
        spread = math.sqrt(math.fsum((v - mean) ** 2 for v in col) / len(col))
        out.append([(v - mean) / spread for v in col])
    return out


def hand(cols: list[list[float]], ys: list[float], epochs: int, logistic: bool,
         record: bool = True, size: int = 0) -> list[float]:
    """Train by hand: batches in a seeded shuffled order (none for a full batch)."""
    zs, n = standardise(cols), len(ys)
    size = size or n
    rng = random.Random(0)
    w = [0.0] * (len(zs) + 1)
    costs: list[float] = []
    for _ in range(epochs):
        before = list(w)
        if size < n:
            order = list(range(n))
            rng.shuffle(order)
            cz, cy = [[c[i] for i in order] for c in zs], [ys[i] for i in order]
        else:
            cz, cy = zs, ys
        for start in range(0, n, size):
            if size < n:
                bz, by = [c[start:start + size] for c in cz], cy[start:start + size]
            else:
                bz, by = cz, cy
            s = [w[0] + w[1] * z for z in bz[0]]
            for wj, col in zip(w[2:], bz[1:]):
                s = [a + wj * z for a, z in zip(s, col)]
            if logistic:
                errors = [sigmoid(a) - y for a, y in zip(s, by)]
                scale = 1.0 / len(by)
                if record:
                    costs.append(sum(map(log_loss, s, by)) / len(by))
            else:
                errors = [a - y for a, y in zip(s, by)]
                scale = 2.0 / len(by)
                if record:
                    costs.append(sum(map(mul, errors, errors)) / len(by))
            grad = [scale * sum(errors)] + [scale * sum(map(mul, errors, c)) for c in bz]
            w = [p - RATE * g for p, g in zip(w, grad)]
        if record and size < n:  # the training cost after the epoch, as train() records
            costs.append(full_cost(w, zs, ys, logistic))
        if math.sqrt(sum((a - b) * (a - b) for a, b in zip(w, before))) < 0.0:
            break
    return w


def full_cost(w: list[float], zs: list[list[float]], ys: list[float], logistic: bool) -> float:
    """The cost over all training rows (mini-batch runs record it once per epoch)."""
    s = [w[0] + w[1] * z for z in zs[0]]
    for wj, col in zip(w[2:], zs[1:]):
        s = [a + wj * z for a, z in zip(s, col)]
    if logistic:
        return sum(map(log_loss, s, ys)) / len(ys)
    errors = [a - y for a, y in zip(s, ys)]
    return sum(map(mul, errors, errors)) / len(ys)


def median_seconds(func: Callable[[], object]) -> float:
    start = time.perf_counter()
    func()
    return time.perf_counter() - start


def compare(name: str, funcs: dict[str, Callable[[], object]], epochs: int, repeat: int) -> float:
    """Time the three loops (interleaved per repeat) and print one block."""
    times: dict[str, list[float]] = {label: [] for label in funcs}
    for _ in range(repeat):
        for label, func in funcs.items():
            times[label].append(median_seconds(func))
    medians = {label: statistics.median(values) for label, values in times.items()}
    print(f"{name}: {epochs} epochs, median of {repeat}")
    for label, seconds in medians.items():
        print(f"  {label:10s} {seconds:8.4f} s  {seconds / epochs * 1e3:7.3f} ms/epoch")
    ratio = medians["engine"] / medians["hand loop"]
    print(f"  ratio engine / hand loop = {ratio:.2f} (target <= {TARGET}); "
          f"engine / bare loop = {medians['engine'] / medians['bare loop']:.2f}")
    return ratio


def main() -> int:
    """Run both comparisons; exit 1 if a ratio misses the target."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--epochs", type=int, default=1000)
    parser.add_argument("--rows", type=int, default=1000)
    parser.add_argument("--batch-size", type=int, default=0, help="0: full batch")
    args = parser.parse_args()
    cols, ys, labels = make_data(args.rows)
    size = args.batch_size or None
    ratios = []
    for name, target, logistic in (("linear", ys, False), ("logistic", labels, True)):
        model = "logistic" if logistic else "linear"

        def engine(target: list[float] = target, model: str = model) -> object:
            return train(cols, target, model=model, epochs=args.epochs, precision=0.0,
                         learning_rate=RATE, batch_size=size)

        result = engine()
        by_hand = hand(cols, target, args.epochs, logistic, size=args.batch_size)
        assert all(math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)
                   for a, b in zip(result.params, by_hand)), (result.params, by_hand)
        funcs = {"engine": engine,
                 "hand loop": lambda t=target, lg=logistic: hand(cols, t, args.epochs, lg,
                                                                 size=args.batch_size),
                 "bare loop": lambda t=target, lg=logistic: hand(cols, t, args.epochs, lg,
                                                                 record=False,
                                                                 size=args.batch_size)}
        batch = f"batches of {args.batch_size}" if args.batch_size else "full batch"
        ratios.append(compare(f"{name}, {args.rows} rows x 3 features, {batch}", funcs,
                              args.epochs, args.repeat))
    return 0 if max(ratios) <= TARGET else 1


if __name__ == "__main__":
    raise SystemExit(main())
