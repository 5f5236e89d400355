"""Engine speed against a hand-written gradient-descent loop, in one process.

    python benchmarks/bench_engine.py [--repeat 5] [--updates 200000]

For x^2 (from 3, rate 0.1) and Rosenbrock (from (-1.2, 1), rate 0.001), each
with precision 0 so every run does exactly `--updates` updates, it times:

- engine: `minimize(objective, ...)` with the objective compiled beforehand
  (parsing, the SymPy derivative, lambdify and building the loop happen once
  per function; their time is printed separately as "compile");
- hand loop: the loop a person writes with a hand-coded gradient that gives the
  same answer and records the same path (position and cost per point, flat
  lists) and the same stopping test;
- bare loop: the same without recording the path (for reference).

It prints the median seconds and nanoseconds per update of each, and the ratio
engine / hand loop (target <= 1.2).
"""

from __future__ import annotations

import argparse
import math
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tutor.engine import compile_objective, minimize  # noqa: E402

SQUARE = "x^2"
ROSENBROCK = "(1-x)^2 + 100(y-x^2)^2"


def hand_square(n: int) -> tuple[float, list[float], list[float]]:
    """x^2 from 3 at rate 0.1 by hand, recording the path."""
    lr, precision = 0.1, 0.0
    x = 3.0
    xs, costs = [x], [x * x]
    for _ in range(n):
        g = 2 * x
        s = -lr * g
        x = x + s
        xs.append(x)
        costs.append(x * x)
        if abs(s) < precision:
            break
    return x, xs, costs


def bare_square(n: int) -> float:
    """x^2 by hand, nothing recorded."""
    lr, precision = 0.1, 0.0
    x = 3.0
    for _ in range(n):
        s = -lr * (2 * x)
        x = x + s
        if abs(s) < precision:
            break
    return x


def hand_rosenbrock(n: int) -> tuple[float, float, list[float], list[float], list[float]]:
    """Rosenbrock from (-1.2, 1) at rate 0.001 by hand, recording the path."""
    lr, precision = 0.001, 0.0
    x, y = -1.2, 1.0
    xs, ys, costs = [x], [y], [(1 - x) ** 2 + 100 * (y - x * x) ** 2]
    for _ in range(n):
        gx = -2 * (1 - x) - 400 * x * (y - x * x)
        gy = 200 * (y - x * x)
        sx, sy = -lr * gx, -lr * gy
        x, y = x + sx, y + sy
        xs.append(x)
        ys.append(y)
        costs.append((1 - x) ** 2 + 100 * (y - x * x) ** 2)
        if math.hypot(sx, sy) < precision:
            break
    return x, y, xs, ys, costs


def bare_rosenbrock(n: int) -> tuple[float, float]:
    """Rosenbrock by hand, nothing recorded."""
    lr, precision = 0.001, 0.0
    x, y = -1.2, 1.0
    for _ in range(n):
        gx = -2 * (1 - x) - 400 * x * (y - x * x)
        gy = 200 * (y - x * x)
        sx, sy = -lr * gx, -lr * gy
        x, y = x + sx, y + sy
        if math.hypot(sx, sy) < precision:
            break
    return x, y


def median_seconds(func: Callable[[], object], repeat: int) -> float:
    """Median wall time of `repeat` calls."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def compare(name: str, engine: Callable[[], object], hand: Callable[[], object],
            bare: Callable[[], object], n: int, repeat: int) -> float:
    """Time the three loops (interleaved per repeat) and print one block."""
    results = {"engine": [], "hand loop": [], "bare loop": []}
    for _ in range(repeat):
        for label, func in (("engine", engine), ("hand loop", hand), ("bare loop", bare)):
            results[label].append(median_seconds(func, 1))
    medians = {label: statistics.median(times) for label, times in results.items()}
    print(f"{name}: {n} updates, median of {repeat}")
    for label, seconds in medians.items():
        print(f"  {label:10s} {seconds:8.4f} s  {seconds / n * 1e9:7.1f} ns/update")
    ratio = medians["engine"] / medians["hand loop"]
    print(f"  ratio engine / hand loop = {ratio:.2f} (target <= 1.2); "
          f"engine / bare loop = {medians['engine'] / medians['bare loop']:.2f}")
    return ratio


def check_same_answers(n: int) -> None:
    """The engine and the hand loops must agree exactly before their speeds are compared."""
    result = minimize(SQUARE, 3, learning_rate=0.1, precision=0, max_iterations=n)
    assert result.x[0] == hand_square(n)[0] and result.nit == n
    result = minimize(ROSENBROCK, (-1.2, 1), learning_rate=0.001, precision=0,
                      max_iterations=n)
    x, y = hand_rosenbrock(n)[:2]
    assert math.isclose(result.x[0], x, rel_tol=1e-9)
    assert math.isclose(result.x[1], y, rel_tol=1e-9)


def compile_once(text: str) -> object:
    """Compile a function and its loop once, printing how long that took."""
    start = time.perf_counter()
    objective = compile_objective(text)
    objective.kernel(True)
    print(f"compile {text}: {(time.perf_counter() - start) * 1e3:.1f} ms (once per function)")
    return objective


def main() -> int:
    """Run both comparisons; exit 1 if a ratio misses the target."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--updates", type=int, default=200_000)
    args = parser.parse_args()
    n = args.updates
    check_same_answers(min(n, 5000))
    square, rosenbrock = compile_once(SQUARE), compile_once(ROSENBROCK)
    ratios = [
        compare("x^2", lambda: minimize(square, 3, learning_rate=0.1, precision=0,
                                        max_iterations=n),
                lambda: hand_square(n), lambda: bare_square(n), n, args.repeat),
        compare("Rosenbrock", lambda: minimize(rosenbrock, (-1.2, 1), learning_rate=0.001,
                                               precision=0, max_iterations=n),
                lambda: hand_rosenbrock(n), lambda: bare_rosenbrock(n), n, args.repeat),
    ]
    return 0 if max(ratios) <= 1.2 else 1


if __name__ == "__main__":
    raise SystemExit(main())
