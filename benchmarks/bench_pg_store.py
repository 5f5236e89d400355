"""Progress in PostgreSQL against SQLite files: what a learner's write costs, how fast the
queue lands, and how long the teacher's class read takes.

Runs a throwaway PostgreSQL cluster (tests/support/postgres.py, loopback, removed at the
end). Prints, for N attempts by one learner: the time `record_attempt` takes in the tutor
(median, p95) on SQLite and on PostgreSQL (there it is applied to the in-memory copy and
queued), the time until the PostgreSQL queue has landed (writes per second), and one class
read (`class_snapshots`) of LEARNERS learners x HISTORY attempts from each backend.

    python benchmarks/bench_pg_store.py [--attempts 300] [--learners 50] [--history 200]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from support.postgres import postgres_cluster  # noqa: E402
from tutor.progress import ProgressStore  # noqa: E402
from tutor.serve.report import class_snapshots  # noqa: E402


def _writes(store: ProgressStore, count: int) -> list[float]:
    took = []
    for n in range(count):
        started = time.perf_counter()
        store.record_attempt(f"l/e{n % 5}", {"rate": str(n)}, n % 7 == 0, "diverged")
        took.append(time.perf_counter() - started)
    return took


def _ms(values: list[float]) -> str:
    ordered = sorted(values)
    p95 = ordered[int(0.95 * (len(ordered) - 1))]
    return f"median {1000 * statistics.median(ordered):.2f} ms, p95 {1000 * p95:.2f} ms"


def _class(learners: int, history: int, open_store) -> None:
    for n in range(learners):
        with open_store(f"l{n:03}") as store:
            for i in range(history):
                store.record_attempt(f"l/e{i % 10}", {"rate": str(i)}, False, "diverged")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--attempts", type=int, default=300)
    parser.add_argument("--learners", type=int, default=50)
    parser.add_argument("--history", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, postgres_cluster() as cluster:
        url = cluster.create_database("bench")
        with ProgressStore.open(Path(tmp) / "one") as store:
            print(f"SQLite file, record_attempt:      {_ms(_writes(store, args.attempts))}")
        with ProgressStore.open(database=url, learner="one") as store:
            took = _writes(store, args.attempts)
            started = time.perf_counter()
            store.flush(60)
            print(f"PostgreSQL, record_attempt:       {_ms(took)}")
            print(f"PostgreSQL, queue landed: {args.attempts / (sum(took) + time.perf_counter() - started):.0f} writes/s")
        root = Path(tmp) / "class"
        _class(args.learners, args.history, lambda name: ProgressStore.open(root / "learners" / name))
        _class(args.learners, args.history, lambda name: ProgressStore.open(database=url, learner=name))
        for label, read in (("SQLite files", lambda: class_snapshots(root)),
                            ("PostgreSQL", lambda: class_snapshots(root, url))):
            best = min(_timed(read) for _ in range(3))
            print(f"class read, {args.learners} learners x {args.history} attempts, {label}: "
                  f"{best:.2f} s")


def _timed(read) -> float:
    started = time.perf_counter()
    read()
    return time.perf_counter() - started


if __name__ == "__main__":
    main()
