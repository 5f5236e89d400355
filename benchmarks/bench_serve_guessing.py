"""Password guessing against the class server: what it costs the guesser and everyone else.

    python benchmarks/bench_serve_guessing.py [--guessers 12] [--seconds 10]

Runs an in-process class server (stand-in tutor from tests/serve/fake_tutor.py,
one learner "dana" with an scrypt password) on 127.0.0.1 and measures:

- one connection trying 100 passwords: how many it gets, and how long that takes;
- the time of a "no" for a name with a password and for one without (median of 5);
- echo latency of a connected learner (key sent -> echo back) while `--guessers`
  clients, each from its own loopback address, guess passwords under ever new
  names (every guess a full scrypt hash until the address is throttled) for
  `--seconds` s, against the same learner with nobody guessing (the floor).
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import asyncssh  # noqa: E402

from tutor.serve.auth import Admission  # noqa: E402
from tutor.serve.passwords import hash_password  # noqa: E402
from tutor.serve.ssh import ServeConfig, start_ssh_server, stop_ssh_server  # noqa: E402

FAKE_TUTOR = Path(__file__).resolve().parents[1] / "tests" / "serve" / "fake_tutor.py"


def _options(port: int, **extra: object) -> dict[str, object]:
    return dict(host="127.0.0.1", port=port, known_hosts=None, client_keys=None,
                agent_path=None, **extra)


class Guesser(asyncssh.SSHClient):
    """Tries passwords one after another on one connection."""

    def __init__(self, count: int) -> None:
        self.left, self.tried = count, 0

    def password_auth_requested(self) -> str | None:
        if self.tried >= self.left:
            return None
        self.tried += 1
        return f"guess{self.tried}"


async def _guess_once(port: int, user: str, source: str) -> tuple[int, float]:
    guesser, started = Guesser(100), time.perf_counter()
    try:
        conn = await asyncssh.connect(**_options(port, username=user, local_addr=(source, 0)),
                                      client_factory=lambda: guesser)
        conn.close()
    except (asyncssh.Error, OSError):
        pass
    return guesser.tried, time.perf_counter() - started


async def _no_time(port: int, user: str) -> float:
    started = time.perf_counter()
    try:
        await asyncssh.connect(**_options(port, username=user, password="wrong"))
    except asyncssh.Error:
        pass
    return time.perf_counter() - started


async def _echo_latencies(port: int, seconds: float) -> list[float]:
    async with asyncssh.connect(**_options(port, username="dana", password="s3cret")) as conn:
        process = await conn.create_process(term_type="xterm", encoding=None)
        await process.stdout.readuntil(b"\n")
        found, deadline = [], time.monotonic() + seconds
        while time.monotonic() < deadline:
            started = time.perf_counter()
            process.stdin.write(b"z")
            await process.stdout.readuntil(b"key:z")
            found.append(time.perf_counter() - started)
            await asyncio.sleep(0.05)
        process.stdin.write(b"q")
    return found


async def _guess_for(port: int, source: str, seconds: float) -> None:
    """Guess under ever new names (each costs a full hash until the address is throttled)."""
    deadline, attempt = time.monotonic() + seconds, 0
    while time.monotonic() < deadline:
        attempt += 1
        await _guess_once(port, f"{source.replace('.', '-')}-{attempt}", source)


def _p95(values: list[float]) -> float:
    return sorted(values)[int(0.95 * (len(values) - 1))]


async def main(guessers: int, seconds: float) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        config = ServeConfig(data_dir=Path(tmp), host_key=asyncssh.generate_private_key(
            "ssh-ed25519"), admission=Admission(passwords={"dana": hash_password("s3cret")}),
            port=0, child_argv=(sys.executable, str(FAKE_TUTOR)), zygote=False)
        acceptor, classroom = await start_ssh_server(config)
        port = acceptor.get_port()
        tried, took = await _guess_once(port, "dana", "127.0.1.1")
        print(f"one connection, 100 passwords: {tried} tried in {took:.1f} s, then closed")
        known = statistics.median([await _no_time(port, "dana") for _ in range(5)])
        unknown = statistics.median([await _no_time(port, "nobody") for _ in range(5)])
        print(f"a wrong password: {known * 1000:.0f} ms (name with a password), "
              f"{unknown * 1000:.0f} ms (unknown name)")
        floor = await _echo_latencies(port, seconds / 2)
        load = asyncio.gather(*[_guess_for(port, f"127.0.2.{i + 1}", seconds)
                                for i in range(guessers)])
        busy = await _echo_latencies(port, seconds)
        await load
        print(f"echo p50/p95, nobody guessing: {statistics.median(floor) * 1000:.1f} / "
              f"{_p95(floor) * 1000:.1f} ms; {guessers} guessing: "
              f"{statistics.median(busy) * 1000:.1f} / {_p95(busy) * 1000:.1f} ms")
        await stop_ssh_server(acceptor, classroom)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--guessers", type=int, default=12)
    parser.add_argument("--seconds", type=float, default=10.0)
    args = parser.parse_args()
    asyncio.run(main(args.guessers, args.seconds))
