"""A throwaway PostgreSQL cluster for tests: initdb in a temp dir, loopback only, always removed.

Use it as a context manager or through the pytest fixtures at the bottom:

    with postgres_cluster() as cluster:       # skips (pytest.skip) if PostgreSQL is absent
        url = cluster.create_database()       # postgresql://postgres@127.0.0.1:PORT/db_1
        cluster.restart()                     # same port, same data (for fault tests)

A test folder's conftest puts `tests/` on `sys.path` and re-exports the fixtures:

    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from support.postgres import postgres_server, postgres_url  # noqa: F401

Debian's binaries live in /usr/lib/postgresql/<version>/bin. initdb refuses to run
as root, so as root every server command runs as the `postgres` user through
`runuser`, in a temp dir owned by that user. The server listens on 127.0.0.1 and
on a Unix socket inside the temp dir only, trusts local connections (a throwaway
cluster, no password) and runs with fsync off (a clean stop still writes
everything; nothing here survives the test session anyway).
"""

from __future__ import annotations

import contextlib
import glob
import itertools
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

START_TIMEOUT = 30.0
"""Seconds pg_ctl waits for the server to accept connections."""


def find_bindir() -> Path | None:
    """The newest PostgreSQL server bin folder with initdb and pg_ctl, or None."""
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin"),
                        key=lambda p: _version_key(Path(p).parent.name), reverse=True)
    on_path = shutil.which("pg_ctl")
    if on_path:
        candidates.append(str(Path(on_path).parent))
    for folder in map(Path, candidates):
        if (folder / "initdb").exists() and (folder / "pg_ctl").exists():
            return folder
    return None


def missing_reason() -> str | None:
    """Why a cluster cannot be made here (one sentence), or None if it can."""
    if find_bindir() is None:
        return ("PostgreSQL is not installed (no initdb/pg_ctl in /usr/lib/postgresql/*/bin "
                "or on PATH); install Debian's postgresql package to run these tests")
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            return "running as root but there is no 'postgres' user to run initdb as"
        if shutil.which("runuser") is None:
            return "running as root but runuser is missing (initdb refuses root)"
    return None


class PostgresCluster:
    """One server on 127.0.0.1:`port` with its data and socket in `root` (made by `make`)."""

    def __init__(self, root: Path, bindir: Path) -> None:
        self.root = root
        self.bindir = bindir
        self.data = root / "data"
        self.port = _free_port()
        self._names = itertools.count(1)

    # ------------------------------------------------------------ life cycle

    def init(self) -> None:
        """Run initdb (trust auth, superuser `postgres`, UTF8)."""
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "-A", "trust",
                  "-E", "UTF8", "--no-sync", "--no-instructions")

    def start(self) -> None:
        """Start the server and wait until it accepts connections."""
        options = (f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 "
                   "-c fsync=off -c synchronous_commit=off -c full_page_writes=off")
        self._run("pg_ctl", "-D", str(self.data), "-o", options, "-l",
                  str(self.root / "server.log"), "-w", "-t", str(int(START_TIMEOUT)), "start")

    def stop(self, mode: str = "fast") -> None:
        """Stop the server (`fast`: disconnect clients, write everything, exit)."""
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop")

    def restart(self) -> None:
        """Stop and start again on the same port with the same data."""
        self.stop()
        self.start()

    def running(self) -> bool:
        """True while the server's postmaster.pid names a live process."""
        pid = self._postmaster_pid()
        return pid is not None and process_alive(pid)

    # ------------------------------------------------------------ databases

    def url(self, dbname: str = "postgres") -> str:
        """A libpq URL for `dbname` over TCP on loopback."""
        return f"postgresql://postgres@127.0.0.1:{self.port}/{dbname}"

    def create_database(self, name: str | None = None) -> str:
        """Create a fresh database (named `db_N` unless given) and return its URL."""
        name = name or f"db_{next(self._names)}"
        self.sql(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def sql(self, statement: str, dbname: str = "postgres") -> str:
        """Run one SQL statement with psql as the superuser; its unaligned output."""
        return self._run("psql", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1",
                         "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres",
                         "-d", dbname, "-c", statement).stdout

    # ------------------------------------------------------------ helpers

    def _run(self, program: str, *args: str) -> subprocess.CompletedProcess[str]:
        """Run a PostgreSQL binary (as `postgres` when we are root); raise with its output."""
        command = [str(self.bindir / program), *args]
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        done = subprocess.run(command, capture_output=True, text=True, cwd=self.root,
                              timeout=START_TIMEOUT + 30, stdin=subprocess.DEVNULL)
        if done.returncode != 0:
            raise RuntimeError(f"{program} failed ({done.returncode}): "
                               f"{done.stderr.strip() or done.stdout.strip()}\n{self._log_tail()}")
        return done

    def _postmaster_pid(self) -> int | None:
        try:
            return int((self.data / "postmaster.pid").read_text().split()[0])
        except (OSError, ValueError, IndexError):
            return None

    def _log_tail(self) -> str:
        try:
            return "\n".join((self.root / "server.log").read_text().splitlines()[-10:])
        except OSError:
            return ""

    def destroy(self) -> None:
        """Stop the server however it can be stopped, wait for it to exit, remove every file."""
        pid = self._postmaster_pid()
        if self.running():
            with contextlib.suppress(Exception):
                self.stop("immediate")
        if pid is not None and not _gone(pid, 5.0):
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
            _gone(pid, 5.0)
        shutil.rmtree(self.root, ignore_errors=True)


def process_alive(pid: int) -> bool:
    """True while `pid` is a live process (a zombie awaiting its reaper counts as gone)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


def _gone(pid: int, timeout: float) -> bool:
    """Wait (bounded) for `pid` to exit; True if it did."""
    deadline = time.monotonic() + timeout
    while process_alive(pid):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.02)
    return True


def _version_key(name: str) -> tuple[int, ...]:
    return tuple(int(part) for part in name.split(".") if part.isdigit())


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _make_root() -> Path:
    """A temp dir the server user owns (and can reach: /tmp is world-traversable)."""
    root = Path(tempfile.mkdtemp(prefix="gd-tutor-pg-"))
    if os.geteuid() == 0:
        entry = pwd.getpwnam("postgres")
        os.chown(root, entry.pw_uid, entry.pw_gid)
    root.chmod(0o700)
    return root


@contextlib.contextmanager
def postgres_cluster() -> Iterator[PostgresCluster]:
    """A started throwaway cluster; stopped and removed on exit, also on failure.

    Calls `pytest.skip` with the reason when PostgreSQL cannot be run here.
    """
    reason = missing_reason()
    if reason is not None:
        pytest.skip(reason)
    bindir = find_bindir()
    assert bindir is not None
    cluster = PostgresCluster(_make_root(), bindir)
    try:
        cluster.init()
        for attempt in range(3):  # the free port may be taken between probe and start
            try:
                cluster.start()
                break
            except RuntimeError:
                if attempt == 2:
                    raise
                cluster.port = _free_port()
        yield cluster
    finally:
        cluster.destroy()


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresCluster]:
    """One throwaway cluster for the whole test session (skips if PostgreSQL is absent)."""
    with postgres_cluster() as cluster:
        yield cluster


@pytest.fixture
def postgres_url(postgres_server: PostgresCluster) -> str:
    """A URL to a fresh, empty database on the session's cluster."""
    if not postgres_server.running():
        postgres_server.start()
    return postgres_server.create_database()
