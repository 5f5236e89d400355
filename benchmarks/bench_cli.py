"""Start-up cost of the headless commands against importing SymPy alone.

    python benchmarks/bench_cli.py [--repeat 9]

Times, interleaved and as medians of wall-clock seconds:
- floor: `python -c "import sympy"` (the engine needs SymPy, so this is the floor);
- `gd-tutor run x^2 --start 3 --lr 0.1` (text report with table and plotext plot);
- the same with `--json`;
- `gd-tutor fit lessons/data/anscombe1.csv --json`.
Prints each median and its ratio to the floor (target for the text run: <= 1.3).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def gd_tutor() -> list[str]:
    """The installed console script next to this Python, else `python -m tutor.cli`."""
    script = Path(sys.executable).with_name("gd-tutor")
    return [str(script)] if script.exists() else [sys.executable, "-m", "tutor.cli"]


def commands() -> dict[str, list[str]]:
    """Label -> argv of everything timed."""
    gd = gd_tutor()
    return {
        "import sympy (floor)": [sys.executable, "-c", "import sympy"],
        "run x^2 (text)": [*gd, "run", "x^2", "--start", "3", "--lr", "0.1"],
        "run x^2 --json": [*gd, "run", "x^2", "--start", "3", "--lr", "0.1", "--json"],
        "fit anscombe1 --json": [*gd, "fit", str(ROOT / "lessons/data/anscombe1.csv"), "--json"],
    }


def wall_time(argv: list[str]) -> float:
    """Seconds for one run of `argv` (output discarded; must exit 0)."""
    start = time.perf_counter()
    subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True,
                   cwd=ROOT, env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"})
    return time.perf_counter() - start


def main() -> int:
    """Time every command `--repeat` times (interleaved) and print medians and ratios."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=9)
    args = parser.parse_args()
    runs = commands()
    for argv in runs.values():
        wall_time(argv)  # warm the file cache and bytecode
    times: dict[str, list[float]] = {label: [] for label in runs}
    for _ in range(args.repeat):
        for label, argv in runs.items():
            times[label].append(wall_time(argv))
    floor = statistics.median(times["import sympy (floor)"])
    print(f"median of {args.repeat} runs each")
    for label, values in times.items():
        median = statistics.median(values)
        print(f"  {label:22s} {median * 1000:7.1f} ms   x{median / floor:.2f} of the floor")
    ratio = statistics.median(times["run x^2 (text)"]) / floor
    print(f"run x^2 / import sympy = {ratio:.2f} (target <= 1.3)")
    return 0 if ratio <= 1.3 else 1


if __name__ == "__main__":
    raise SystemExit(main())
