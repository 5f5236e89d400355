"""First-paint latency and memory of `gd-tutor serve` with many learners at once.

    python benchmarks/bench_serve.py [--learners 20] [--floor-repeat 3] [--json]

Starts `gd-tutor serve` on a free loopback port with a fresh key per learner,
then:

- floor: one learner alone, `--floor-repeat` times; the median time from starting
  `ssh` to the tutor's first screen ("gd-tutor" ... "Lesson 1 of") on the client;
- load: `--learners` clients started at the same moment; first-paint p50/p95/max;
- memory: once the tutors are idle after their first paint (at most `--settle` s),
  with all still connected,
  RSS and PSS of the tutors under the server, per session (PSS splits the pages
  the tutors share with the warm zygote fairly; RSS counts them in every session).

It prints the medians, the ratio load p95 / floor, and the targets
(p95 <= 3 s, RSS <= 80 MiB per session). Traffic stays on 127.0.0.1.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tutor.serve.child import PtyChild  # noqa: E402

FIRST_SCREEN = re.compile(r"gd-tutor(?!:)[\s\S]*Lesson 1 of \d+")
ANSI = re.compile(rb"\x1b\[[0-9;?<>=]*[ -/]*[@-~]|\x1b[()][0-9A-Za-z]|\x1b[=>78]")
SSH_OPTIONS = ["-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null",
               "-o", "BatchMode=yes", "-o", "IdentitiesOnly=yes", "-o", "LogLevel=ERROR"]


def make_keys(folder: Path, names: list[str]) -> Path:
    """One ed25519 key per learner and the authorized_keys file naming them."""
    lines = []
    for name in names:
        subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", name, "-f",
                        str(folder / name)], check=True)
        lines.append((folder / f"{name}.pub").read_text())
    (folder / "authorized_keys").write_text("".join(lines))
    return folder / "authorized_keys"


def start_server(data_dir: Path, keys: Path, zygote: bool) -> tuple[subprocess.Popen[str], int]:
    """`gd-tutor serve` as a subprocess; returns it and its port."""
    env = dict(os.environ, GD_TUTOR_SERVE_ZYGOTE="1" if zygote else "0")
    proc = subprocess.Popen([sys.executable, "-m", "tutor.cli", "serve", "--port", "0",
                             "--data-dir", str(data_dir), "--authorized-keys", str(keys),
                             "--max-sessions", "200"], stdout=subprocess.PIPE, text=True, env=env)
    line = proc.stdout.readline() if proc.stdout else ""
    return proc, int(re.search(r"127\.0\.0\.1:(\d+)", line).group(1))  # type: ignore[union-attr]


async def first_paint(port: int, name: str, key: Path) -> tuple[float, PtyChild]:
    """Seconds from starting `ssh` to the tutor's first screen; the client stays open."""
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    env["TERM"] = "xterm-256color"
    started = time.perf_counter()
    client = await PtyChild.spawn(["ssh", "-tt", "-p", str(port), *SSH_OPTIONS, "-i", str(key),
                                   f"{name}@127.0.0.1"], env, columns=80, rows=24)
    seen = bytearray()
    painted = asyncio.get_running_loop().create_future()

    def got(data: bytes) -> None:
        seen.extend(data)
        if not painted.done() and FIRST_SCREEN.search(ANSI.sub(b"", seen).decode(errors="replace")):
            painted.set_result(time.perf_counter() - started)

    client.on_output = got
    client.on_exit = lambda: painted.done() or painted.set_exception(RuntimeError(seen[-300:]))
    client.start_reading()
    return await asyncio.wait_for(painted, 120), client


def descendants(root: int) -> list[int]:
    """Every live process below `root`, from /proc."""
    parent = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent[int(entry.name)] = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError):
                continue
    found, frontier = [], [root]
    while frontier:
        frontier = [pid for pid, ppid in parent.items() if ppid in frontier]
        found += frontier
    return found


def memory_kib(pid: int) -> tuple[int, int]:
    """(RSS, PSS) of one process in KiB."""
    rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
    value = {line.split(":")[0]: int(line.split()[1]) for line in rollup.splitlines()[1:]}
    return value.get("Rss", 0), value.get("Pss", 0)


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds used so far by one process."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def settle_down(server_pid: int, limit: float) -> None:
    """Wait until the processes under the server use under 5% of a core (at most `limit` s)."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        before = sum(cpu_seconds(pid) for pid in descendants(server_pid))
        await asyncio.sleep(1.0)
        if sum(cpu_seconds(pid) for pid in descendants(server_pid)) - before < 0.05:
            return


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered) + 0.5) - 1))]


async def measure(port: int, server_pid: int, keys: Path, learners: int, floor_repeat: int,
                  settle: float) -> dict:
    """Run the floor and the load phases against a running server."""
    floors = []
    for _ in range(floor_repeat):
        seconds, client = await first_paint(port, "floor", keys.parent / "floor")
        floors.append(seconds)
        await client.stop(grace=2.0)
    names = [f"b{i:03d}" for i in range(learners)]
    server_cpu = cpu_seconds(server_pid)
    results = await asyncio.gather(*[first_paint(port, n, keys.parent / n) for n in names])
    latencies = [seconds for seconds, _ in results]
    await settle_down(server_pid, settle)  # let each tutor finish its after-paint work
    zygotes = [pid for pid in descendants(server_pid)
               if b"tutor.serve.zygote" in Path(f"/proc/{pid}/cmdline").read_bytes()
               and Path(f"/proc/{pid}/comm").read_text().startswith("python")]
    tutors = [pid for pid in descendants(server_pid) if pid not in zygotes]
    server_cpu = cpu_seconds(server_pid) - server_cpu
    tutor_cpu = sum(cpu_seconds(pid) for pid in tutors) / learners
    rss, pss = (sum(memory_kib(pid)[i] for pid in tutors) / 1024 / learners for i in (0, 1))
    await asyncio.gather(*[client.stop(grace=2.0) for _, client in results])
    floor = statistics.median(floors)
    p95 = percentile(latencies, 95)
    return {"learners": learners, "floor_s": round(floor, 3), "p50_s": round(percentile(latencies, 50), 3),
            "p95_s": round(p95, 3), "max_s": round(max(latencies), 3), "ratio_p95_floor": round(p95 / floor, 2),
            "rss_mib_per_session": round(rss, 1), "pss_mib_per_session": round(pss, 1),
            "server_rss_mib": round(memory_kib(server_pid)[0] / 1024, 1),
            "zygote_rss_mib": round(sum(memory_kib(pid)[0] for pid in zygotes) / 1024, 1),
            "server_cpu_s_during_load": round(server_cpu, 2),
            "tutor_cpu_s_per_session": round(tutor_cpu, 2),
            "processes_per_session": round(len(tutors) / learners, 2),
            "p95_ok": p95 <= 3.0, "rss_ok": rss <= 80.0, "pss_ok": pss <= 80.0}


def main() -> int:
    """Parse options, run the benchmark, print the numbers."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=20)
    parser.add_argument("--floor-repeat", type=int, default=3)
    parser.add_argument("--settle", type=float, default=30.0,
                        help="at most this many seconds for the tutors to go idle after the "
                        "last first paint, before memory is measured")
    parser.add_argument("--no-zygote", action="store_true",
                        help="start each tutor as a plain subprocess (GD_TUTOR_SERVE_ZYGOTE=0)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-serve-") as tmp:
        folder = Path(tmp)
        keys = make_keys(folder, ["floor", *[f"b{i:03d}" for i in range(args.learners)]])
        server, port = start_server(folder / "data", keys, not args.no_zygote)
        try:
            report = asyncio.run(measure(port, server.pid, keys, args.learners,
                                         args.floor_repeat, args.settle))
        finally:
            server.terminate()
            report_exit = server.wait(60)
    report["server_exit"] = report_exit
    report["zygote"] = not args.no_zygote
    if args.json:
        print(json.dumps(report))
    else:
        for key, value in report.items():
            print(f"{key:24} {value}")
    return 0 if report["p95_ok"] and report["rss_ok"] and report_exit == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
