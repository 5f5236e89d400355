"""The teacher's views over a synthesised class: how long one refresh takes.

    python benchmarks/bench_class.py [--learners 50] [--attempts 200] [--repeat 5]

Writes `--learners` stores under a temporary folder, each with `--attempts` judged
attempts (a fifth of them passes, the rest spread over ten exercises of lesson 5
and four diagnoses or none: the undiagnosed ones group by their answer), then times, as medians of wall-clock seconds:
- one dashboard refresh: every store opened read-only, read and turned into the
  `class_view` data (`tutor.commands.teacher.class_reader`);
- `class-report --json`'s work (snapshots, stuck, common mistakes);
- a learner's attempt (`record_attempt`, one commit) without and with a dashboard
  reader running in another process (refreshing every second, as `gd-tutor class`).
Targets (issue 14): a refresh of 50 learners x 200 attempts in at most 1 s; the
learner's attempt latency with the dashboard open within 1.1x of without.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tutor.commands.teacher import class_reader, lesson_keys
from tutor.progress import ProgressStore
from tutor.progress.history import append
from tutor.serve.insight import StuckRule, common_mistakes, stuck
from tutor.serve.report import class_snapshots

DIAGNOSES = ("diverged_oscillating", "too_slow", "answer_sign", "choice_2", None)


def synthesise(root: Path, learners: int, attempts: int) -> None:
    """Stores written through the store's own schema, the attempts in one transaction each."""
    for n in range(learners):
        with ProgressStore.open(root / "learners" / f"learner{n:03d}") as store:
            store.set_current_lesson("learning-rate")
            conn = store._conn  # noqa: SLF001 - bulk insert: 200 commits would time the disk
            with conn:
                for i in range(attempts):
                    key = f"learning-rate/ex{i % 10}"
                    conn.execute("INSERT OR IGNORE INTO exercises(key, updated) VALUES(?, ?)",
                                 (key, time.time()))
                    passed = i % 5 == 4
                    append(conn, key, json.dumps({"learning_rate": str(i)}), passed,
                           None if passed else DIAGNOSES[(n + i) % 5], "msg", time.time())


def median_seconds(work, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


READER = """
import sys, time
from pathlib import Path
from tutor.commands.teacher import class_reader, lesson_keys
from tutor.serve.insight import StuckRule
read = class_reader(Path(sys.argv[1]), lesson_keys(), StuckRule())
print("ready", flush=True)
while True:
    read()
    time.sleep(float(sys.argv[2]))
"""


def attempt_latency(root: Path, writes: int) -> float:
    """Median seconds of one learner's `record_attempt` (a commit each)."""
    times = []
    with ProgressStore.open(root / "learners" / "learner000") as store:
        for i in range(writes):
            start = time.perf_counter()
            store.record_attempt("learning-rate/ex0", {"learning_rate": str(i)}, False, "x")
            times.append(time.perf_counter() - start)
    return statistics.median(times)


def with_dashboard(root: Path, writes: int, interval: float) -> float:
    """The attempt latency while another process refreshes the class every `interval` s."""
    reader = subprocess.Popen([sys.executable, "-c", READER, str(root), str(interval)],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert reader.stdout is not None and reader.stdout.readline().strip() == "ready"
        return attempt_latency(root, writes)
    finally:
        reader.terminate()
        reader.wait(timeout=10)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--learners", type=int, default=50)
    parser.add_argument("--attempts", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        synthesise(root, args.learners, args.attempts)
        read = class_reader(root, lesson_keys(), StuckRule())
        view = read()
        assert len(view["learners"]) == args.learners
        refresh = median_seconds(read, args.repeat)

        def report() -> None:
            snapshots = class_snapshots(root)
            stuck(snapshots)
            common_mistakes(snapshots)

        exported = median_seconds(report, args.repeat)
        alone = attempt_latency(root, 600)
        watched = with_dashboard(root, 600, 1.0)
        alone_again = attempt_latency(root, 600)
    baseline = statistics.mean([alone, alone_again])
    print(f"attempt latency: {baseline * 1000:.2f} ms alone, {watched * 1000:.2f} ms with the "
          f"dashboard refreshing every 1 s ({watched / baseline:.2f}x; target <= 1.1x)")
    print(f"{args.learners} learners x {args.attempts} attempts: dashboard refresh "
          f"{refresh:.3f} s, class-report --json {exported:.3f} s (median of {args.repeat}; "
          "target <= 1 s)")


if __name__ == "__main__":
    main()
