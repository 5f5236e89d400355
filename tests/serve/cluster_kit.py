"""A class on several machines, on loopback: HAProxy in front of `gd-tutor serve` nodes.

`Balancer` runs Debian's `haproxy -db` in the foreground (mode tcp, balance leastconn, an
SSH-banner health check) on a third loopback port, with an admin socket in its temp dir
to drain or ready a node and to read which nodes are up. `ClassKeys` holds the one host
key every node shares, a known_hosts file naming it for the balancer's port, and the
learners' client keys. `learner_argv` is the real `ssh` a learner types, with strict host
key checking (cluster_screens.py runs it in tmux). Everything started here is stopped by
its owner's `stop()`, also on failure.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tutor.progress import ProgressStore

DOWN_PORT = 1
"""A loopback port where no database answers (connections are refused at once)."""
HEALTH_INTERVAL_MS = 200
"""How often HAProxy checks each node's SSH banner in the tests (production: 2 s)."""

needs_haproxy = pytest.mark.skipif(shutil.which("haproxy") is None,
                                   reason="HAProxy is not installed (Debian's haproxy package)")
needs_tmux = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")


def free_port() -> int:
    """A port that was free on 127.0.0.1 a moment ago."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def haproxy_config(bind: str, nodes: dict[str, str], admin: str,
                   interval: str = f"{HEALTH_INTERVAL_MS}ms") -> str:
    """The HAProxy configuration README.md shows (`nodes`: name -> host:port); the tests
    run it on loopback, and a test checks the README holds it with its own values."""
    servers = "".join(f"    server {name} {address} check inter {interval} fall 2 rise 1\n"
                      for name, address in nodes.items())
    return (
        "global\n"
        "    maxconn 1000\n"
        f"    stats socket {admin} mode 600 level admin\n"
        "defaults\n"
        "    mode tcp\n"
        "    timeout connect 5s\n"
        "    timeout client 2h\n"
        "    timeout server 2h\n"
        "    retries 2\n"
        "    option redispatch\n"
        "frontend class\n"
        f"    bind {bind}\n"
        "    default_backend nodes\n"
        "backend nodes\n"
        "    balance leastconn\n"
        "    option tcp-check\n"
        "    tcp-check connect\n"
        "    tcp-check expect rstring ^SSH-2\\.0-\n"
        + servers)


@dataclass
class Balancer:
    """`haproxy -f CFG -db` in the foreground, its port and its admin socket."""

    process: subprocess.Popen[bytes]
    port: int
    root: Path

    @property
    def admin(self) -> Path:
        """The admin socket (runtime API)."""
        return self.root / "admin.sock"

    @property
    def log(self) -> str:
        """What HAProxy printed so far (warnings as nodes go up and down)."""
        return (self.root / "haproxy.log").read_text(errors="replace")

    def command(self, line: str) -> str:
        """Send one runtime API command and return the answer."""
        with socket.socket(socket.AF_UNIX) as sock:
            sock.settimeout(5)
            sock.connect(str(self.admin))
            sock.sendall(line.encode() + b"\n")
            answer = b""
            while chunk := sock.recv(65536):
                answer += chunk
        return answer.decode(errors="replace")

    def states(self) -> dict[str, str]:
        """Each node's status as HAProxy sees it: UP, DOWN, DRAIN, MAINT, ..."""
        rows = self.command("show stat").splitlines()
        found = {}
        for row in rows:
            cells = row.split(",")
            if len(cells) > 17 and cells[0] == "nodes" and cells[1] not in ("BACKEND",):
                found[cells[1]] = cells[17]
        return found

    def wait_states(self, wanted: dict[str, str], timeout: float = 20.0) -> None:
        """Wait until every named node has the wanted status (e.g. {'a': 'UP'})."""
        deadline = time.monotonic() + timeout
        while True:
            states = self.states()
            if all(states.get(name, "").startswith(want) for name, want in wanted.items()):
                return
            if time.monotonic() > deadline or self.process.poll() is not None:
                raise AssertionError(f"HAProxy nodes are {states}, not {wanted}:\n{self.log}")
            time.sleep(0.05)

    def set_state(self, node: str, state: str) -> None:
        """`ready`, `drain` (no new learners) or `maint` for one node."""
        answer = self.command(f"set server nodes/{node} state {state}").strip()
        assert not answer, answer

    def stop(self) -> None:
        """Stop HAProxy (SIGTERM, then SIGKILL) and remove its files."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)
        shutil.rmtree(self.root, ignore_errors=True)


def start_balancer(root: Path, nodes: dict[str, int]) -> Balancer:
    """Start HAProxy on a free loopback port in front of `nodes`; wait until all are UP."""
    root.mkdir(parents=True, exist_ok=True)
    for attempt in range(3):  # the free port may be taken between probe and bind
        port = free_port()
        config = root / "haproxy.cfg"
        config.write_text(haproxy_config(f"127.0.0.1:{port}", {
            name: f"127.0.0.1:{node_port}" for name, node_port in nodes.items()},
            str(root / "admin.sock")))
        with (root / "haproxy.log").open("wb") as log:
            process = subprocess.Popen(["haproxy", "-f", str(config), "-db"], stdout=log,
                                       stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        balancer = Balancer(process, port, root)
        try:
            _wait_for_socket(balancer)
            balancer.wait_states({name: "UP" for name in nodes})
            return balancer
        except AssertionError:
            log = balancer.log
            balancer.stop()
            if attempt == 2 or "cannot bind" not in log:
                raise
            root.mkdir(parents=True, exist_ok=True)
    raise AssertionError("unreachable")


def _wait_for_socket(balancer: Balancer, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not balancer.admin.exists():
        if balancer.process.poll() is not None or time.monotonic() > deadline:
            raise AssertionError(f"HAProxy did not start:\n{balancer.log}")
        time.sleep(0.02)


@dataclass
class ClassKeys:
    """The host key all nodes share, known_hosts for the balancer, learners' keys."""

    folder: Path
    learners: dict[str, Path] = field(default_factory=dict)

    @property
    def host_key(self) -> Path:
        """The one private host key every node is started with (`--host-key`)."""
        return self.folder / "ssh_host_ed25519_key"

    @property
    def authorized_keys(self) -> Path:
        """Every learner's public key, its comment naming the learner."""
        return self.folder / "authorized_keys"

    def known_hosts(self, port: int) -> Path:
        """A known_hosts file that trusts the shared host key at 127.0.0.1:`port` only."""
        path = self.folder / f"known_hosts_{port}"
        if not path.exists():  # written once, whole (ssh clients read it concurrently)
            key = " ".join(self.host_key.with_suffix(".pub").read_text().split()[:2])
            draft = path.with_suffix(".draft")
            draft.write_text(f"[127.0.0.1]:{port} {key}\n")
            draft.rename(path)
        return path


def make_class_keys(folder: Path, names: list[str]) -> ClassKeys:
    """Generate the shared host key and one ed25519 key per learner (no passphrase)."""
    folder.mkdir(parents=True, exist_ok=True)
    keys = ClassKeys(folder)
    _keygen(keys.host_key, "gd-tutor class")
    for name in names:
        keys.learners[name] = folder / name
        _keygen(keys.learners[name], name)
    keys.authorized_keys.write_text("".join(keys.learners[n].with_suffix(".pub").read_text()
                                            for n in names))
    return keys


def _keygen(path: Path, comment: str) -> None:
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", comment, "-f",
                    str(path)], check=True)


def learner_argv(port: int, name: str, keys: ClassKeys) -> list[str]:
    """The real `ssh` a learner runs: their key only, no prompts, the host key checked."""
    return ["ssh", "-tt", "-p", str(port), "-i", str(keys.learners[name]),
            "-o", "BatchMode=yes", "-o", "IdentitiesOnly=yes",
            "-o", "StrictHostKeyChecking=yes",
            "-o", f"UserKnownHostsFile={keys.known_hosts(port)}",
            "-o", "GlobalKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR",
            "-o", "ConnectTimeout=20", f"{name}@127.0.0.1"]


def tutor_of(learner: str, pids: list[int]) -> int | None:
    """The pid among `pids` whose process is named `gd-tutor LEARNER`, if any."""
    for pid in pids:
        try:
            comm = Path(f"/proc/{pid}/comm").read_text().strip()
        except OSError:
            continue
        if comm == f"gd-tutor {learner}"[:15]:
            return pid
    return None


def alive(pid: int) -> bool:
    """True while `pid` runs (a zombie counts as gone)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return re.split(r"\)\s", stat, maxsplit=1)[1][:1] != "Z"


def kill_leftovers(pids: list[int]) -> None:
    """SIGKILL any of `pids` still running (a failed test must leave nothing behind)."""
    for pid in pids:
        if alive(pid):
            try:
                os.kill(pid, 9)
            except OSError:
                pass


def leave_unsaved(data_dir: Path, learner: str, url: str) -> None:
    """A tutor of `learner` on the node with `data_dir` records an attempt and quits while
    the database at `url` does not answer: the attempt waits in its journal there."""
    store = ProgressStore.open(data_dir / "learners" / learner, database=url, learner=learner)
    store.record_attempt("first-steps/first-run", {"learning_rate": "0.4"}, True)
    store.close()
    assert list((data_dir / "learners" / learner).glob("pending-*.jsonl")), "not journaled"
