"""Idle connections that never log in, against `gd-tutor serve` at systemd's open-file limit.

    python benchmarks/bench_serve_flood.py [--connections 1100] [--sources 1] [--seconds 40]

Starts `gd-tutor serve --open` with a hard open-file limit of 1,024 (systemd's
default soft limit; the server cannot raise it), opens `--connections` idle TCP
connections from `--sources` loopback addresses (127.0.3.x), then times a
learner's `ssh` from 127.0.0.2 to the tutor's first screen, and reports how much
the server's log grew in `--seconds` s. Traffic stays on loopback.
"""

from __future__ import annotations

import argparse
import re
import resource
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SSH = ["ssh", "-tt", "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null",
       "-o", "BatchMode=yes", "-o", "ConnectTimeout=30", "-b", "127.0.0.2"]


def _limit_open_files() -> None:
    resource.setrlimit(resource.RLIMIT_NOFILE, (1024, 1024))


def _start_server(data: Path) -> tuple[subprocess.Popen[bytes], int, Path]:
    log = data / "server.log"
    server = subprocess.Popen([sys.executable, "-m", "tutor.cli", "serve", "--port", "0",
                               "--data-dir", str(data), "--open"], stdout=log.open("w"),
                              stderr=subprocess.STDOUT, preexec_fn=_limit_open_files,
                              cwd=Path(__file__).resolve().parents[1])
    while not (match := re.search(r"listening on 127\.0\.0\.1:(\d+)", log.read_text())):
        time.sleep(0.1)
    return server, int(match.group(1)), log


def _first_screen(port: int, out: Path, timeout: float = 60.0) -> float | None:
    started = time.monotonic()
    with out.open("wb") as sink:
        client = subprocess.Popen([*SSH, "-p", str(port), "ann@127.0.0.1"], stdout=sink,
                                  stderr=subprocess.STDOUT, stdin=subprocess.PIPE)
    try:
        while time.monotonic() - started < timeout:
            if b"Lesson 1 of" in out.read_bytes():
                return time.monotonic() - started
            if client.poll() is not None:
                return None
            time.sleep(0.05)
        return None
    finally:
        client.kill()
        client.wait()


def main(connections: int, sources: int, seconds: float) -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, connections + 256), hard))
    with tempfile.TemporaryDirectory() as tmp:
        server, port, log = _start_server(Path(tmp))
        started, idle, before = time.monotonic(), [], log.stat().st_size
        for i in range(connections):
            sock = socket.socket()
            sock.bind((f"127.0.3.{1 + i % sources}", 0))
            sock.settimeout(2)
            try:
                sock.connect(("127.0.0.1", port))
            except OSError:
                pass
            idle.append(sock)
        took = _first_screen(port, Path(tmp) / "ssh.out")
        time.sleep(max(0.0, seconds - (time.monotonic() - started)))
        grew = log.stat().st_size - before
        print(f"{connections} idle connections from {sources} address(es): learner's first "
              f"screen {'never' if took is None else f'after {took:.1f} s'}; the log grew "
              f"{grew} bytes in {seconds:g} s")
        for sock in idle:
            sock.close()
        server.terminate()
        server.wait()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--connections", type=int, default=1100)
    parser.add_argument("--sources", type=int, default=1)
    parser.add_argument("--seconds", type=float, default=40.0)
    args = parser.parse_args()
    main(args.connections, args.sources, args.seconds)
