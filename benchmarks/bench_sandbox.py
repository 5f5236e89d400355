"""From call to results for the article's gradient_descent, in the sandbox.

    python benchmarks/bench_sandbox.py [--repeat 10]

Times, interleaved and as medians of wall-clock seconds:
- floor: `python -I -c "import sympy"` started inside the same bubblewrap sandbox
  (same binds, namespaces and flags as a run);
- cold: `run_code` on the article's reference solution (x^2 from 3 at 0.1) with
  no spare: start bwrap and Python, import SymPy, run, read the 41 numbers;
- warm: the same call taking a spare child that is already warm (`prewarm`), as
  the tutor does when a code exercise is on screen.
Prints each median and its ratio to the floor (target: <= 1.5).
Without a usable bubblewrap it says so and times the unisolated path instead.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))  # support.article: the code the sandbox tests run

from support.article import ARTICLE_CASE, REFERENCE  # noqa: E402

from tutor.sandbox import Sandbox, prewarm, run_code  # noqa: E402
from tutor.sandbox.command import SANDBOX_SITE, bwrap_command, new_token  # noqa: E402

CASES = [ARTICLE_CASE]


def floor_argv(bwrap: str | None) -> list[str]:
    """`python -I -c "import sympy"` inside the sandbox (or bare, without bubblewrap)."""
    code = f"import sys; sys.path.insert(0, {SANDBOX_SITE!r}); import sympy"
    if bwrap is None:
        return [sys.executable, "-I", "-c", "import sympy"]
    argv = bwrap_command(bwrap, new_token())
    python = argv[argv.index("--") + 1]
    return argv[: argv.index("--") + 1] + [python, "-I", "-c", code]


def time_floor(argv: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def time_run() -> float:
    """Seconds from run_code's call to its results (checked: 41 guesses)."""
    start = time.perf_counter()
    result = run_code(REFERENCE, "gradient_descent", CASES)
    elapsed = time.perf_counter() - start
    assert result.ok and len(result.cases[0].value) == 41, result
    return elapsed


def time_warm() -> float:
    """As time_run, with a spare child already warm when the call is made."""
    if not prewarm(wait_s=60):
        raise SystemExit("the spare child did not warm up within 60 s")
    return time_run()


def main() -> int:
    """Time floor, cold and warm `--repeat` times (interleaved); print medians and ratios."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=10)
    args = parser.parse_args()
    info = Sandbox.detect()
    print("sandbox: bubblewrap" if info.usable else f"sandbox: NOT isolated ({info.reason})")
    floor = floor_argv(info.bwrap if info.usable else None)
    time_floor(floor), time_run()  # warm the file cache
    times: dict[str, list[float]] = {"floor: import sympy in the sandbox": [], "cold run": [],
                                     "warm run (spare ready)": []}
    for _ in range(args.repeat):
        for label, timer in zip(times, (lambda: time_floor(floor), time_run, time_warm)):
            times[label].append(timer())
    base = statistics.median(times["floor: import sympy in the sandbox"])
    print(f"median of {args.repeat} runs each")
    for label, values in times.items():
        median = statistics.median(values)
        print(f"  {label:36s} {median * 1000:7.1f} ms   x{median / base:.2f} of the floor")
    ratio = statistics.median(times["warm run (spare ready)"]) / base
    print(f"warm run / floor = {ratio:.2f} (target <= 1.5)")
    return 0 if ratio <= 1.5 else 1


if __name__ == "__main__":
    raise SystemExit(main())
