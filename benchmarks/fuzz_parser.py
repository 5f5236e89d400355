"""Grammar fuzz of the function parser: random functions through parse, diff and compile.

    python benchmarks/fuzz_parser.py [--count 10000] [--seed 1] [--workers 2] [--limit 1.0]

Generates `--count` random functions from the parser's grammar (numbers from
0 to 400-digit integers, 1e-400 and 1e999, variables, + - * / ^ **, implicit
multiplication, brackets, sin cos tan exp log ln sqrt abs, pi, e, and the
shapes that once hung: deep chains, repeated constant factors, powers of
powers). Each one goes through `compile_objective`, `.text`,
`.derivative_text`, `.value`, `.gradient` and a 3-update `minimize`, the way
`gd-tutor run` and the playground use it, in worker processes that are killed
and replaced if one function takes longer than `--hard` seconds.

It prints how many functions were accepted, refused (ParseError or
EngineInputError, one sentence), took longer than `--limit` seconds (hangs)
or raised anything else (internal errors), with the max and median times and
the first few problem functions. The issue's bar: 0 hangs over 1 s, 0 internal
errors. `tests/engine/test_engine_fuzz.py` runs a small seeded share of it.
"""

from __future__ import annotations

import argparse
import math
import multiprocessing
import os
import random
import signal
import statistics
import sys
import time
from multiprocessing.connection import Connection
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

FUNCTIONS = ("sin", "cos", "tan", "exp", "log", "ln", "sqrt", "abs")
VARIABLES = ("x", "y", "z", "x1", "a", "t")
OPERATORS = ("+", "-", "*", "/", "^", "**", "", " ")
MAX_TEXT = 500


# ----------------------------------------------------------------------------- generator


def number(rng: random.Random) -> str:
    """A literal: mostly small, sometimes huge, tiny, long or in e-notation."""
    kind = rng.random()
    if kind < 0.45:
        return str(rng.randint(0, 12))
    if kind < 0.6:
        return f"{rng.randint(0, 99)}.{rng.randint(0, 999)}".rstrip("0") or "0.5"
    if kind < 0.7:
        return rng.choice([".5", "3.", "0.1", "1000", "10", "2"])
    if kind < 0.85:
        mantissa = rng.choice(["1", "2.5", "9.99", "1.7976931348623157", "4"])
        return f"{mantissa}e{rng.choice(['', '-', '+'])}{rng.choice([3, 10, 300, 308, 309, 320, 324, 400, 999])}"
    return rng.choice("123456789") + "".join(rng.choice("0123456789")
                                           for _ in range(rng.choice([20, 100, 300, 309, 400])))


def atom(rng: random.Random) -> str:
    """A number, a variable or a constant."""
    kind = rng.random()
    if kind < 0.4:
        return number(rng)
    if kind < 0.85:
        return rng.choice(VARIABLES)
    return rng.choice(("pi", "e"))


def expression(rng: random.Random, budget: int, heavy: bool = True) -> str:
    """A random expression with about `budget` more pieces allowed.

    `heavy` lets the shapes that once hung grow to the parser's limits (30
    levels, 60 repeats); without it they stay small, for a quick test run.
    """
    if budget <= 0 or rng.random() < 0.2:
        return atom(rng)
    kind = rng.random()
    if kind < 0.45:
        split = rng.randint(0, budget - 1)
        left = expression(rng, split, heavy)
        right = expression(rng, budget - 1 - split, heavy)
        return f"{left}{rng.choice(OPERATORS)}{right}"
    if kind < 0.6:
        return f"{rng.choice(FUNCTIONS)}({expression(rng, budget - 1, heavy)})"
    if kind < 0.7:
        return f"({expression(rng, budget - 1, heavy)})"
    if kind < 0.76:
        return f"-{expression(rng, budget - 1, heavy)}"
    if kind < 0.84:
        return f"{expression(rng, budget - 1, heavy)}^{power(rng)}"
    return motif(rng, budget, heavy)


def power(rng: random.Random) -> str:
    """An exponent: small, at the limit, fractional, negative or a variable."""
    return rng.choice(["2", "3", "-1", "0.5", "1000", "-1000", "1001", "(1/3)", "x", "-2",
                       "1e10", "(-1000)", "999", "(2^-1000)", "(1+2^-1000)", "y"])


def motif(rng: random.Random, budget: int, heavy: bool) -> str:
    """Shapes that once hung or crashed: chains, repeated factors, towers, huge constants."""
    inner = expression(rng, budget // 3, heavy)
    most = 30 if heavy else 5
    depth = rng.randint(2, most)
    kind = rng.randrange(7)
    if kind == 0:
        func, glue = rng.choice(FUNCTIONS), rng.choice(["", "1-", "x+", "x*", "2*", "1+"])
        return f"{func}({glue}" * depth + inner + ")" * depth
    if kind == 1:
        factor = rng.choice(["2^1000", "1e308", "(1+2^-1000)", "(10^300)^-1000", "1e-308",
                             "pi^300", "e^700", "10^-300", "(2^1000)^-1"])
        return inner + f"*{factor}" * rng.randint(1, 2 * most)
    if kind == 2:
        return f"({inner}*{rng.choice(['(10^300)^-1000', '10^300', '1e-300', '2'])})^{power(rng)}"
    if kind == 3:
        return "^".join([atom(rng) for _ in range(rng.randint(2, 9))])
    if kind == 4:
        return "".join(f"({inner}+{i})" for i in range(1, rng.randint(2, most + 10)))
    if kind == 5:
        return f"{inner}{rng.choice('+-')}" + "+".join(expression(rng, 2, heavy)
                                                      for _ in range(rng.randint(2, 20)))
    return "(" * depth + inner + ")" * depth


def random_function(rng: random.Random, heavy: bool = True) -> str:
    """One random function text of at most MAX_TEXT characters."""
    for _ in range(20):
        text = expression(rng, rng.choice([1, 2, 4, 8, 16, 32, 64]), heavy)
        if len(text) <= MAX_TEXT:
            return text
    return "x"


def functions(count: int, seed: int, heavy: bool = True) -> list[str]:
    """`count` random functions, the same list for the same seed."""
    rng = random.Random(seed)
    return [random_function(rng, heavy) for _ in range(count)]


# ----------------------------------------------------------------------------- checking


def check(text: str) -> tuple[str, str]:
    """("accepted" | "refused" | "internal", detail) for one function, as gd-tutor uses it."""
    from tutor.engine import EngineInputError, compile_objective, minimize

    try:
        objective = compile_objective(text)
        shown = objective.text + objective.derivative_text
        point = [0.7] * len(objective.variables)
        value, gradient = objective.value(point), objective.gradient(point)
        if not isinstance(value, float) or not all(isinstance(g, float) for g in gradient):
            return "internal", f"value/gradient not floats: {value!r} {gradient!r}"
        minimize(objective, point, learning_rate=0.1, max_iterations=3)
    except EngineInputError as exc:
        message = str(exc)
        if not message or "\n" in message:
            return "internal", f"refusal is not one sentence: {message!r}"
        return "refused", message
    except Exception as exc:  # noqa: BLE001 - counting them is the point
        return "internal", f"{type(exc).__name__}: {str(exc)[:200]}"
    return "accepted", shown[:80]


class _Overtime(BaseException):
    """Raised by the alarm when one function runs past the soft limit."""


def _alarm(signum: int, frame: object) -> None:
    raise _Overtime


def _worker(conn: Connection, soft: float) -> None:
    """Check each text sent down `conn`, answering (status, detail, seconds, CPU seconds)."""
    signal.signal(signal.SIGALRM, _alarm)
    check("x^2 + sin(y)")  # warm up imports so the first function is not charged for them
    while True:
        text = conn.recv()
        if text is None:
            return
        start, cpu = time.perf_counter(), time.process_time()
        signal.setitimer(signal.ITIMER_REAL, soft)
        try:
            status, detail = check(text)
        except _Overtime:
            status, detail = "hang", f"still running after {soft} s"
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
        conn.send((status, detail, time.perf_counter() - start, time.process_time() - cpu))


class _Slot:
    """One worker process and the function it is checking."""

    def __init__(self, soft: float) -> None:
        self.soft = soft
        self.conn, child = multiprocessing.Pipe()
        self.process = multiprocessing.Process(target=_worker, args=(child, soft), daemon=True)
        self.process.start()
        self.text: str | None = None
        self.sent = 0.0

    def send(self, text: str) -> None:
        self.text, self.sent = text, time.perf_counter()
        self.conn.send(text)

    def stop(self) -> None:
        self.process.kill()
        self.process.join()


Result = tuple[str, str, str, float, float]


def run(texts: list[str], workers: int, soft: float, hard: float) -> list[Result]:
    """(text, status, detail, seconds, CPU seconds) for each text, checked in `workers` processes."""
    results: list[Result] = []
    pending = list(reversed(texts))
    slots = [_Slot(soft) for _ in range(workers)]
    while pending or any(s.text is not None for s in slots):
        for i, slot in enumerate(slots):
            if slot.text is None and pending:
                slot.send(pending.pop())
            if slot.text is None:
                continue
            if slot.conn.poll(0.01):
                status, detail, seconds, cpu = slot.conn.recv()
                results.append((slot.text, status, detail, seconds, cpu))
                slot.text = None
            elif time.perf_counter() - slot.sent > hard:
                results.append((slot.text, "hang", f"killed after {hard} s", hard, hard))
                slot.stop()
                slots[i] = _Slot(soft)
    for slot in slots:
        slot.conn.send(None)
        slot.process.join(5)
    return results


def summary(results: list[Result], limit: float) -> str:
    """Counts, times and the first problem functions as text.

    A hang is a function that took over `limit` seconds of wall time; the
    count over `limit` CPU seconds is shown too, since on a busy machine wall
    time also measures the other processes.
    """
    times = [r[3] for r in results]
    slow = [r for r in results if r[3] > limit or r[1] == "hang"]
    slow_cpu = [r for r in results if r[4] > limit]
    cpus = sorted(r[4] for r in results)
    internal = [r for r in results if r[1] == "internal"]
    count = {s: sum(1 for r in results if r[1] == s) for s in ("accepted", "refused")}
    lines = [
        f"functions {len(results)}: hangs over {limit:g} s {len(slow)} (over {limit:g} s of CPU "
        f"{len(slow_cpu)}), internal errors {len(internal)}, refused {count['refused']}, "
        f"accepted {count['accepted']}",
        f"wall time per function: max {max(times):.3f} s, median "
        f"{statistics.median(times) * 1000:.1f} ms, p99 {_p99(sorted(times)):.3f} s",
        f"CPU time per function: max {cpus[-1]:.3f} s, median "
        f"{statistics.median(cpus) * 1000:.1f} ms, p99 {_p99(cpus):.3f} s",
    ]
    for title, rows in (("hangs", slow), ("internal errors", internal)):
        for text, status, detail, seconds, cpu in rows[:10]:
            lines.append(f"  {title}: {seconds:.2f} s (CPU {cpu:.2f} s) {text!r}: {status} {detail}")
    return "\n".join(lines)


def _p99(ordered: list[float]) -> float:
    """The 99th percentile of an ordered list."""
    return ordered[math.ceil(0.99 * len(ordered)) - 1]


def main() -> int:
    """Generate, check and report; exit status 1 when the bar is not met."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--limit", type=float, default=1.0, help="seconds that count as a hang")
    parser.add_argument("--hard", type=float, default=20.0, help="kill a worker after this")
    args = parser.parse_args()
    start = time.perf_counter()
    results = run(functions(args.count, args.seed), args.workers, soft=max(args.limit, 5.0),
                  hard=args.hard)
    print(summary(results, args.limit))
    print(f"wall time {time.perf_counter() - start:.0f} s with {args.workers} workers")
    bad = [r for r in results if r[1] in ("internal", "hang") or r[3] > args.limit]
    print(f"load average {' '.join(f'{v:.1f}' for v in os.getloadavg())}")
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
