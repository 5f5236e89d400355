"""Helpers for the serve tests: a PTY-driven `ssh`, a server subprocess, client keys."""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import asyncssh
import pytest

from tutor.serve.auth import Admission, load_authorized_keys
from tutor.serve.child import PtyChild
from tutor.serve.ssh import ServeConfig, start_ssh_server, stop_ssh_server

SSH_OPTIONS = ["-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null",
               "-o", "BatchMode=yes", "-o", "IdentitiesOnly=yes", "-o", "LogLevel=ERROR",
               "-o", "ConnectTimeout=20"]
FAKE_TUTOR = Path(__file__).with_name("fake_tutor.py")
ANSI = re.compile(rb"\x1b\[[0-9;?<>=]*[ -/]*[@-~]|\x1b[()][0-9A-Za-z]|\x1b[=>78]|\x1b\][^\x07]*\x07")

needs_ssh = pytest.mark.skipif(shutil.which("ssh") is None or shutil.which("ssh-keygen") is None,
                               reason="the OpenSSH client is not installed")


@pytest.fixture(scope="session")
def client_keys(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """ed25519 private keys for alice, bob and a stranger (no passphrase)."""
    folder = tmp_path_factory.mktemp("keys")
    keys = {}
    for name in ("alice", "bob", "stranger"):
        path = folder / name
        subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", name, "-f",
                        str(path)], check=True)
        keys[name] = path
    return keys


def write_authorized_keys(path: Path, keys: dict[str, Path], names: list[str]) -> Path:
    """An authorized_keys file holding the public keys of `names`, comment = name."""
    path.write_text("".join((keys[n].with_suffix(".pub")).read_text() for n in names))
    return path


class PtyClient:
    """A program (usually `ssh`) running in a PTY of a given size, as a person would."""

    def __init__(self, child: PtyChild) -> None:
        self.child = child
        self.output = b""
        self.exited = asyncio.Event()
        self._grew = asyncio.Event()
        child.on_output = self._got
        child.on_exit = self.exited.set
        child.start_reading()

    @classmethod
    async def start(cls, argv: list[str], columns: int = 80, rows: int = 24,
                    env: dict[str, str] | None = None) -> PtyClient:
        """Start `argv` in a fresh PTY with TERM=xterm-256color."""
        env = dict(env or os.environ, TERM="xterm-256color")
        env.pop("COLUMNS", None), env.pop("LINES", None)
        return cls(await PtyChild.spawn(argv, env, columns=columns, rows=rows))

    def _got(self, data: bytes) -> None:
        self.output += data
        self._grew.set()

    @property
    def text(self) -> str:
        """Everything received so far with escape sequences removed."""
        return ANSI.sub(b"", self.output).decode(errors="replace")

    async def expect(self, pattern: str, timeout: float = 30.0) -> str:
        """Wait until `pattern` (a regex) appears in the text; AssertionError on timeout."""
        deadline = time.monotonic() + timeout
        while not re.search(pattern, self.text):
            left = deadline - time.monotonic()
            if left <= 0 or (self.exited.is_set() and not self._grew.is_set()):
                raise AssertionError(f"{pattern!r} not seen; got: {self.text[-600:]!r}")
            self._grew.clear()
            try:
                await asyncio.wait_for(self._grew.wait(), min(left, 0.5))
            except asyncio.TimeoutError:
                pass
        return self.text

    async def wait(self, timeout: float = 30.0) -> int:
        """Wait for the program to exit and return its status."""
        return await asyncio.wait_for(self.child.process.wait(), timeout)

    async def close(self) -> None:
        """End the program if it still runs, and release the PTY."""
        await self.child.stop(grace=2.0)


def ssh_argv(port: int, user: str, key: Path | None, *extra: str) -> list[str]:
    """The `ssh` command line for a learner with a real terminal."""
    ident = ["-i", str(key)] if key else ["-o", "PasswordAuthentication=no"]
    return ["ssh", "-tt", "-p", str(port), *SSH_OPTIONS, *ident, *extra, f"{user}@127.0.0.1"]


@dataclass
class ServerProcess:
    """`gd-tutor serve` running as a subprocess on a free loopback port."""

    process: subprocess.Popen[str]
    port: int
    data_dir: Path

    @property
    def log(self) -> str:
        """What the server printed so far."""
        return (self.data_dir / "server.log").read_text()

    def descendants(self) -> list[int]:
        """PIDs of every live process below the server (from /proc)."""
        parents: dict[int, int] = {}
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    stat = (entry / "stat").read_text()
                except OSError:
                    continue
                parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
        found, frontier = [], [self.process.pid]
        while frontier:
            kids = [pid for pid, ppid in parents.items() if ppid in frontier]
            found += kids
            frontier = kids
        return found

    def zygotes(self) -> list[int]:
        """The server's warm tutor zygote (a direct child; it stays while the server runs)."""
        return [pid for pid in self.descendants() if _parent(pid) == self.process.pid
                and b"tutor.serve.zygote" in _cmdline(pid)]

    def tutors(self) -> list[int]:
        """Every process under the server except the zygote: the learners' tutors."""
        zygotes = self.zygotes()
        return [pid for pid in self.descendants() if pid not in zygotes]


def _parent(pid: int) -> int:
    try:
        return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
    except (OSError, ValueError):
        return -1


def _cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


def start_server(data_dir: Path, *args: str, env: dict[str, str] | None = None,
                 preexec_fn: Callable[[], None] | None = None) -> ServerProcess:
    """Start `python -m tutor.cli serve --port 0 ...` and read the port from its first line."""
    argv = [sys.executable, "-m", "tutor.cli", "serve", "--port", "0", "--data-dir",
            str(data_dir), *args]
    data_dir.mkdir(parents=True, exist_ok=True)
    log = data_dir / "server.log"  # a regular file, as when a teacher redirects the output
    with log.open("w") as out:
        proc = subprocess.Popen(argv, stdout=out, stderr=subprocess.STDOUT, text=True, env=env,
                                start_new_session=True,  # its own group, like a teacher's shell
                                preexec_fn=preexec_fn)
    deadline = time.monotonic() + 60
    while not (match := re.search(r"listening on 127\.0\.0\.1:(\d+)", log.read_text())):
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            raise AssertionError(f"server did not start: {log.read_text()}")
        time.sleep(0.05)
    return ServerProcess(proc, int(match.group(1)), data_dir)


def stop_server(server: ServerProcess, timeout: float = 30.0) -> int:
    """SIGTERM the server and return its exit status."""
    if server.process.poll() is None:
        server.process.terminate()
    return server.process.wait(timeout)


@pytest.fixture
async def make_class(tmp_path: Path, client_keys: dict[str, Path]):
    """Start in-process class servers (alice and bob admitted) running the fake tutor."""
    auth = tmp_path / "authorized_keys"
    auth.write_text("".join(client_keys[n].with_suffix(".pub").read_text()
                            for n in ("alice", "bob")))
    started = []

    async def make(*, argv_extra: tuple[str, ...] = (), **overrides):
        options = dict(data_dir=tmp_path / "data", admission=Admission(load_authorized_keys(auth)),
                       host_key=asyncssh.generate_private_key("ssh-ed25519"), port=0,
                       child_argv=(sys.executable, str(FAKE_TUTOR), *argv_extra), grace=1.0)
        options.update(overrides)
        acceptor, classroom = await start_ssh_server(ServeConfig(**options))
        started.append((acceptor, classroom))
        return acceptor.get_port(), classroom

    yield make
    for acceptor, classroom in started:
        await stop_ssh_server(acceptor, classroom)


async def until(predicate: Callable[[], object], timeout: float = 15.0,
                what: str = "condition") -> None:
    """Wait until `predicate()` is true, checking every 50 ms; AssertionError on timeout."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} not reached in {timeout:g} s")
        await asyncio.sleep(0.05)


def asyncssh_options(port: int, **extra: object) -> dict[str, object]:
    """asyncssh.connect() keywords for a test client of a loopback class server."""
    return dict(host="127.0.0.1", port=port, known_hosts=None, client_keys=None,
                agent_path=None, **extra)
