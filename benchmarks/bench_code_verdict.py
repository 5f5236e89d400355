"""From the run key to the verdict for the article's exercise (lesson 6, write-it).

Times `tutor.practice.attempt` on the lesson's reference solution, the whole path the
pane's F5 takes (read, the engine's numbers and the mistakes' for the same cases, the
sandbox run with a spare child warm, as it is when a learner has been typing, and the
judging), median of --repeat, against the floor `python -I -c "import sympy"` started
inside the same sandbox (benchmarks/bench_sandbox.py). Target: at most 1.5x the floor.

    python benchmarks/bench_code_verdict.py --repeat 10
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_sandbox import floor_argv, time_floor  # noqa: E402

from tutor.lessons import default_lessons_dir, load_lessons  # noqa: E402
from tutor.practice import attempt  # noqa: E402
from tutor.sandbox import Sandbox, prewarm  # noqa: E402


def time_verdict(exercise: object, source: str) -> float:
    """Seconds from the run key to a PASS, with a spare child warm beforehand."""
    if not prewarm(wait_s=60):
        raise SystemExit("the spare child did not warm up within 60 s")
    start = time.perf_counter()
    done = attempt(exercise, {"code": source})  # type: ignore[arg-type]
    elapsed = time.perf_counter() - start
    assert done.verdict is not None and done.verdict.passed, done.verdict
    return elapsed


def main() -> int:
    """Time floor and verdict `--repeat` times (interleaved); print medians and the ratio."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=10)
    args = parser.parse_args()
    info = Sandbox.detect()
    print("sandbox: bubblewrap" if info.usable else f"sandbox: NOT isolated ({info.reason})")
    lesson = load_lessons(default_lessons_dir()).find("when-to-stop")
    exercise = next(e for e in lesson.exercises if e.id == "write-it")
    source = exercise.code.reference
    floor = floor_argv(info.bwrap if info.usable else None)
    time_floor(floor), time_verdict(exercise, source)  # file cache, SymPy, the engine's cache
    floors, verdicts = [], []
    for _ in range(args.repeat):
        floors.append(time_floor(floor))
        verdicts.append(time_verdict(exercise, source))
    base, median = statistics.median(floors), statistics.median(verdicts)
    print(f"median of {args.repeat}: floor {base * 1000:.0f} ms, run key -> verdict "
          f"{median * 1000:.0f} ms: x{median / base:.2f} of the floor (target <= 1.5)")
    return 0 if median / base <= 1.5 else 1


if __name__ == "__main__":
    raise SystemExit(main())
