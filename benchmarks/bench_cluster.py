"""Write latency and lost writes of a class on two nodes sharing PostgreSQL, vs SQLite on one.

    python benchmarks/bench_cluster.py [--learners 50] [--seconds 30] [--restart-at 10]

Each learner makes one judged attempt per second (`ProgressStore.record_attempt`, the
write the tutor makes when a learner presses Enter), for `--seconds`, on a fixed
schedule spread over the second. The store is used directly, not `gd-tutor check
--record`: that starts a Python process importing SymPy for every attempt (about 0.3 s
of CPU each), so 50 a second would measure process start-up on 15 cores, not writes.

- floor: SQLite on one node: one process, one thread and one SQLite file per learner
  (as `gd-tutor serve` keeps them); the latency is `record_attempt` (its commit).
- cluster: a throwaway PostgreSQL (initdb, default durability: fsync and synchronous
  commit on), two node processes with half the learners each, one store (and so one
  connection) per learner; the latency is `record_attempt` plus `flush()`: until the
  attempt is committed in PostgreSQL. `return` is what the tutor waits for (the
  write is queued and the screen moves on).
- `--restart-at S`: a third run restarts PostgreSQL S seconds in (writes wait, then land).

Lost writes: every attempt carries its own number; afterwards the numbers read back
from the store (SQLite files, or PostgreSQL's attempts table) are compared with those
written. Prints p50 / p95 / max, the ratio to the floor, lost (target 0) and the node
processes' CPU per attempt. Everything runs on 127.0.0.1 and is removed at the end.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import sqlite3
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests"))

KEY = "learning-rate/fastest-rate"


@dataclass
class Run:
    """What one configuration measured."""

    latencies: list[float] = field(default_factory=list)  # seconds until stored
    returns: list[float] = field(default_factory=list)  # seconds until the call returned
    written: dict[str, set[int]] = field(default_factory=dict)
    cpu: float = 0.0  # CPU seconds of the node processes during the run


def learner_loop(name: str, database: str | None, folder: Path, start: float, seconds: int,
                 offset: float, out: dict[str, object]) -> None:
    """One learner: an attempt a second from `start + offset`, timed until stored."""
    from tutor.progress import ProgressStore

    store = ProgressStore.open(folder / name, database=database, learner=name)
    lat, ret, numbers = [], [], []
    try:
        for n in range(seconds):
            time.sleep(max(0.0, start + offset + n - time.time()))
            begin = time.perf_counter()
            store.record_attempt(KEY, {"learning_rate": "1.5", "n": n}, False,
                                 "diverged_oscillating", "It diverged.")
            returned = time.perf_counter()
            store.flush(60.0)
            lat.append(time.perf_counter() - begin)
            ret.append(returned - begin)
            numbers.append(n)
    finally:
        store.close()
    out[name] = {"lat": lat, "ret": ret, "n": numbers}


def node_main(names: list[str], database: str | None, folder: str, start: float,
              seconds: int, total: int, first: int, queue: multiprocessing.Queue) -> None:
    """One node: a thread per learner; reports their timings and its CPU time."""
    out: dict[str, object] = {}
    threads = [threading.Thread(target=learner_loop, args=(
        name, database, Path(folder), start, seconds, (first + i) / total, out))
        for i, name in enumerate(names)]
    for thread in threads:
        thread.start()
    time.sleep(max(0.0, start - time.time()))  # the stores open before the class starts
    cpu = time.process_time()
    for thread in threads:
        thread.join()
    queue.put((out, time.process_time() - cpu))


def run_class(nodes: int, learners: int, seconds: int, database: str | None, folder: Path,
              during: Callable[[float], None] | None = None) -> Run:
    """Run `learners` split over `nodes` processes; `during(start)` runs meanwhile."""
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    names = [f"learner{i:03d}" for i in range(learners)]
    start = time.time() + 3.0  # every node has opened its stores by then
    share = -(-learners // nodes)
    procs = [context.Process(target=node_main, args=(
        names[k * share:(k + 1) * share], database, str(folder), start, seconds, learners,
        k * share, queue)) for k in range(nodes)]
    for proc in procs:
        proc.start()
    if during is not None:
        during(start)
    run = Run()
    for _ in procs:
        out, cpu = queue.get(timeout=seconds + 180)
        run.cpu += cpu
        for name, got in out.items():
            run.latencies += got["lat"]
            run.returns += got["ret"]
            run.written[name] = set(got["n"])
    for proc in procs:
        proc.join(30)
    return run


def stored_sqlite(folder: Path, names: list[str]) -> dict[str, list[int]]:
    """The attempt numbers each learner's SQLite file holds."""
    found = {}
    for name in names:
        with sqlite3.connect(folder / name / "progress.db") as conn:
            rows = conn.execute("SELECT inputs FROM attempts").fetchall()
        found[name] = [json.loads(row[0])["n"] for row in rows]
    return found


def stored_postgres(url: str) -> dict[str, list[int]]:
    """The attempt numbers PostgreSQL holds, by learner."""
    import psycopg

    found: dict[str, list[int]] = {}
    with psycopg.connect(url) as pg:
        for learner, inputs in pg.execute("SELECT learner, inputs FROM gd_attempts"):
            found.setdefault(learner, []).append(json.loads(inputs)["n"])
    return found


def lost_and_doubled(run: Run, found: dict[str, list[int]]) -> tuple[int, int]:
    """(attempts written but not stored, attempts stored twice)."""
    lost = sum(len(numbers - set(found.get(name, []))) for name, numbers in run.written.items())
    doubled = sum(len(got) - len(set(got)) for got in found.values())
    return lost, doubled


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0-100) of `values`, nearest rank."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered)) - 1))]


def line(label: str, run: Run, lost: tuple[int, int],
         floor: tuple[float, float] | None = None) -> str:
    """One printed result: p50 / p95 / max, the ratio to the floor, lost and CPU."""
    p50, p95 = statistics.median(run.latencies), percentile(run.latencies, 95)
    ratio = (f" ({p50 / floor[0]:.1f}x the floor's p50, {p95 / floor[1]:.1f}x its p95)"
             if floor else "")
    attempts = len(run.latencies)
    return (f"{label}: {attempts} attempts, stored p50 {p50 * 1000:.1f} ms, p95 "
            f"{p95 * 1000:.1f} ms, max {max(run.latencies) * 1000:.0f} ms{ratio}; call "
            f"returned p95 {percentile(run.returns, 95) * 1000:.2f} ms; lost {lost[0]}, "
            f"stored twice {lost[1]} (target 0); node CPU {run.cpu / attempts * 1000:.2f} ms "
            "per attempt")


def durable_cluster() -> Any:  # a support.postgres.PostgresCluster
    """A throwaway PostgreSQL with the default durability (the tests' turns fsync off)."""
    from support.postgres import PostgresCluster, _make_root, find_bindir, missing_reason

    reason = missing_reason()
    if reason is not None:
        sys.exit(f"bench_cluster: {reason}.")

    class Durable(PostgresCluster):
        def start(self) -> None:
            options = f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1"
            self._run("pg_ctl", "-D", str(self.data), "-o", options, "-l",
                      str(self.root / "server.log"), "-w", "-t", "60", "start")

    cluster = Durable(_make_root(), find_bindir())
    cluster.init()
    cluster.start()
    return cluster


def server_cpu(cluster: Any) -> float:
    """CPU seconds used so far by the PostgreSQL server: the postmaster with its reaped
    backends, plus the live ones (a restart starts a new count; not used across one)."""
    import os

    ticks = os.sysconf("SC_CLK_TCK")
    root = cluster._postmaster_pid()  # noqa: SLF001 - the fixture knows where it is
    total = 0
    for entry in Path("/proc").iterdir():
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if entry.name == str(root) or fields[1] == str(root):
            total += sum(int(value) for value in fields[11:15])  # utime stime cutime cstime
    return total / ticks


def restart_at(cluster: Any, seconds: float) -> Callable[[float], None]:
    """Restart PostgreSQL `seconds` after the class starts; returns how long it was away."""
    def during(start: float) -> None:
        time.sleep(max(0.0, start + seconds - time.time()))
        began = time.monotonic()
        cluster.restart()
        print(f"  PostgreSQL restarted {seconds:g} s in; away {time.monotonic() - began:.1f} s",
              flush=True)
    return during


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--learners", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--nodes", type=int, default=2)
    parser.add_argument("--restart-at", type=float, default=None,
                        help="a third run restarting PostgreSQL this many seconds in")
    args = parser.parse_args()
    names = [f"learner{i:03d}" for i in range(args.learners)]
    print(f"{args.learners} learners, one attempt a second each for {args.seconds} s", flush=True)
    with tempfile.TemporaryDirectory() as folder:
        floor = run_class(1, args.learners, args.seconds, None, Path(folder))
        floor_lost = lost_and_doubled(floor, stored_sqlite(Path(folder), names))
    p50 = (statistics.median(floor.latencies), percentile(floor.latencies, 95))
    print(line("floor, SQLite files on 1 node", floor, floor_lost), flush=True)
    cluster = durable_cluster()
    try:
        runs = [("", None)] + ([(" with a restart", args.restart_at)]
                               if args.restart_at is not None else [])
        for label, restart in runs:
            url = cluster.create_database()
            during = restart_at(cluster, restart) if restart is not None else None
            before = server_cpu(cluster)
            with tempfile.TemporaryDirectory() as folder:
                run = run_class(args.nodes, args.learners, args.seconds, url, Path(folder),
                                during)
            used = server_cpu(cluster) - before
            lost = lost_and_doubled(run, stored_postgres(url))
            print(line(f"PostgreSQL, {args.nodes} nodes{label}", run, lost, p50), flush=True)
            if restart is None:
                print(f"  PostgreSQL server CPU {used / len(run.latencies) * 1000:.2f} ms per "
                      "attempt (connections opened and closed included)", flush=True)
    finally:
        cluster.destroy()


if __name__ == "__main__":
    main()
