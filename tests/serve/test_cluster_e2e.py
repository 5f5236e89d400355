"""A class on several machines, end to end with the real parts on loopback.

One throwaway PostgreSQL, two `gd-tutor serve --database URL` nodes sharing one host key,
HAProxy (mode tcp, balance leastconn) in front. Learners use the real `ssh` client with
strict host key checking against a known_hosts file naming the balancer's port, and type
into the real tutor. Progress must follow a learner from one node to the other, survive
a PostgreSQL restart during the class and the death of the node they were on; a node
sends what its tutors left unsaved while the database was away.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from cluster_kit import (DOWN_PORT, Balancer, ClassKeys, alive, kill_leftovers, leave_unsaved,
                         make_class_keys, needs_haproxy, needs_tmux, start_balancer, tutor_of)
from cluster_screens import Learner, Terminals
from serve_testkit import ServerProcess, needs_ssh, start_server

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from support.postgres import PostgresCluster, postgres_cluster  # noqa: E402

LESSONS = Path(__file__).resolve().parents[1] / "ui" / "fixtures" / "lessons"
CLASS = [f"l{i:02d}" for i in range(10)]
FAULTS = ["pg0", "pg1", "kill0", "kill1"]
RATES = {name: f"0.{30 + 2 * i}" for i, name in enumerate(CLASS + FAULTS)}  # all pass
LESSON_1_AFTER_PASS = r"Lesson 1 of 3 - 33%"
READY = "Press Enter to run"
FIRST, COUNTING = "first-steps/first-run", "counting/how-many"


# Without PostgreSQL the cluster fixture skips, saying so.
pytestmark = [needs_ssh, needs_haproxy, needs_tmux, pytest.mark.e2e]


@dataclass
class Cluster:
    """The running class: database, nodes by name, the balancer in front, the keys."""

    postgres: PostgresCluster
    url: str
    nodes: dict[str, ServerProcess]
    balancer: Balancer
    keys: ClassKeys
    terminals: Terminals

    def node_of(self, learner: str) -> str | None:
        """The node whose tutors include `learner`'s, if any."""
        for name, node in self.nodes.items():
            if node.process.poll() is None and tutor_of(learner, node.tutors()):
                return name
        return None

    async def connect(self, names: list[str], ready: str = READY) -> list[Learner]:
        """Connect `names` through the balancer at once; wait until each one sees `ready`."""
        learners = [await Learner.connect(n, self.balancer.port, self.keys, self.terminals)
                    for n in names]
        await asyncio.gather(*[learner.see(ready, timeout=90) for learner in learners])
        return learners

    def progress(self, learner: str) -> dict[str, object]:
        """`gd-tutor progress --json` for `learner`, read from the database."""
        env = dict(os.environ, GD_TUTOR_LESSONS_DIR=str(LESSONS), GD_TUTOR_LEARNER=learner,
                   GD_TUTOR_DATABASE=self.url)
        done = subprocess.run([sys.executable, "-m", "tutor.cli", "progress", "--json"],
                              capture_output=True, text=True, timeout=60, env=env)
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout)

    async def stored(self, learner: str, done: list[str], timeout: float = 30.0) -> None:
        """Wait until the database holds `done` as `learner`'s completed exercises."""
        deadline = time.monotonic() + timeout
        while sorted((found := await asyncio.to_thread(self.progress, learner))["completed"]) \
                != sorted(done):
            if time.monotonic() > deadline:
                raise AssertionError(f"{learner}: the database holds {found}, not {done}")
            await asyncio.sleep(0.2)

    def report(self) -> dict[str, dict[str, object]]:
        """`gd-tutor class-report --database URL --json`, by learner."""
        done = subprocess.run([sys.executable, "-m", "tutor.cli", "class-report", "--database",
                               self.url, "--json"], capture_output=True, text=True, timeout=60,
                              env=dict(os.environ, GD_TUTOR_LESSONS_DIR=str(LESSONS)))
        assert done.returncode == 0, done.stderr
        return {row["learner"]: row for row in json.loads(done.stdout)["learners"]}


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    """PostgreSQL, nodes a and b (one host key, one database), HAProxy; all stopped after."""
    root = tmp_path_factory.mktemp("cluster")
    keys = make_class_keys(root / "keys", CLASS + FAULTS)
    env = dict(os.environ, GD_TUTOR_LESSONS_DIR=str(LESSONS))
    with postgres_cluster() as postgres:
        url = postgres.create_database("class")
        leave_unsaved(root / "a", "ghost", url.replace(f":{postgres.port}/", f":{DOWN_PORT}/"))
        nodes: dict[str, ServerProcess] = {}
        balancer = None
        terminals = Terminals(f"gd-tutor-cluster-{os.getpid()}")
        try:
            terminals.start()
            for name in ("a", "b"):
                nodes[name] = start_server(root / name, "--host-key", str(keys.host_key),
                                           "--authorized-keys", str(keys.authorized_keys),
                                           "--database", url, env=env)
            for node in nodes.values():  # so no tutor pays ~0.15 s of CPU to import it
                [zygote] = node.zygotes()
                assert "psycopg" in Path(f"/proc/{zygote}/maps").read_text(), "not preloaded"
                said = f"kept in PostgreSQL at postgres@127.0.0.1:{postgres.port}/class"
                assert said in node.log, node.log
            balancer = start_balancer(root / "haproxy", {n: s.port for n, s in nodes.items()})
            yield Cluster(postgres, url, nodes, balancer, keys, terminals)
        finally:
            terminals.stop()
            if balancer is not None:
                balancer.stop()
            _stop_nodes(nodes)
        for node in nodes.values():
            assert "Traceback" not in node.log, node.log



def _stop_nodes(nodes: dict[str, ServerProcess]) -> None:
    """SIGTERM every live node and wait; anything left under a node is killed."""
    for node in nodes.values():
        left = node.descendants()
        if node.process.poll() is None:
            node.process.terminate()
        try:
            node.process.wait(30)
        except subprocess.TimeoutExpired:
            node.process.kill()
            node.process.wait(10)
        kill_leftovers(left)


async def _pass_first_exercise(learner: Learner) -> None:
    """Tab into the rate, type the learner's own passing rate, Enter: PASS."""
    rate = RATES[learner.name]
    await learner.press("Tab", "▶rate")
    await learner.press(rate, rf"rate  {rate}\b", literal=True)
    await learner.press("Enter", r"PASS")
    await learner.see(LESSON_1_AFTER_PASS)


async def _resumed(learner: Learner) -> None:
    """Back in lesson 1 at 33%, the cursor in the rate field holding the learner's rate."""
    await learner.see(LESSON_1_AFTER_PASS, timeout=90)
    await learner.see(rf"▶rate  {RATES[learner.name]}\b")


async def _wait_gone(pids: list[int], timeout: float = 20.0) -> None:
    for _ in range(int(timeout / 0.05)):
        if not any(alive(pid) for pid in pids):
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"still running: {[p for p in pids if alive(p)]}")


async def test_ten_learners_pass_leave_and_resume_on_the_other_node(cluster: Cluster) -> None:
    learners = await cluster.connect(CLASS)
    try:
        first = {learner.name: cluster.node_of(learner.name) for learner in learners}
        assert set(first.values()) == {"a", "b"}, f"leastconn used one node only: {first}"
        await asyncio.gather(*[_pass_first_exercise(learner) for learner in learners])
    finally:
        await asyncio.gather(*[(lr.quit() if i % 2 else lr.hang_up())
                               for i, lr in enumerate(learners)], return_exceptions=True)
    await _wait_gone([pid for node in cluster.nodes.values() for pid in node.tutors()])
    # Each learner comes back through the balancer to the node they were NOT on.
    for node, other in (("a", "b"), ("b", "a")):
        cluster.balancer.set_state(node, "drain")
        cluster.balancer.set_state(other, "ready")
        movers = [n for n in CLASS if first[n] == node]
        back = await cluster.connect(movers, LESSON_1_AFTER_PASS)
        try:
            assert {cluster.node_of(n) for n in movers} == {other}
            await asyncio.gather(*[_resumed(learner) for learner in back])
        finally:
            await asyncio.gather(*[learner.hang_up() for learner in back])
    cluster.balancer.set_state("a", "ready")
    rows = cluster.report()
    assert set(CLASS) <= set(rows), rows
    assert all(rows[n]["done"] == 1 for n in CLASS), rows
    await _dashboard_lists(cluster, CLASS)


async def _dashboard_lists(cluster: Cluster, names: list[str]) -> None:
    """`gd-tutor class --database URL` (the teacher's live view) shows every one of `names`."""
    teacher = await Learner.run("teacher", [sys.executable, "-m", "tutor.cli", "--lessons-dir",
                                            str(LESSONS), "class", "--database", cluster.url],
                                cluster.terminals)
    try:
        await teacher.see("(?s)" + "".join(rf"(?=.*\b{name}\b)" for name in names))
    finally:
        await teacher.hang_up()


def test_a_node_sends_what_its_tutors_left_unsaved(cluster: Cluster) -> None:
    """ghost's tutor on node a quit while the database was away (see the fixture): node a
    sent the attempt at its start, so ghost finds it on any node."""
    found = cluster.progress("ghost")
    assert found["completed"] == [FIRST] and found["attempts"] == {FIRST: 1}, found
    assert not list((cluster.nodes["a"].data_dir / "learners" / "ghost").glob("pending-*"))
    assert "sent 1 change(s)" in cluster.nodes["a"].log


async def test_learners_keep_working_while_postgresql_restarts(cluster: Cluster) -> None:
    learners = await cluster.connect(["pg0", "pg1"])
    try:
        await asyncio.gather(*[_pass_first_exercise(learner) for learner in learners])
        await asyncio.gather(*[cluster.stored(lr.name, [FIRST]) for lr in learners])
        cluster.postgres.stop()
        try:  # the database is away: the next lesson, its exercise passed, all on screen
            await asyncio.gather(*[_pass_counting(learner) for learner in learners])
        finally:
            cluster.postgres.start()
        await asyncio.gather(*[cluster.stored(lr.name, [FIRST, COUNTING]) for lr in learners])
    finally:
        await asyncio.gather(*[learner.hang_up() for learner in learners])
    for learner in learners:
        found = cluster.progress(learner.name)
        assert found["current_lesson"] == "counting", found
        assert found["attempts"] == {FIRST: 1, COUNTING: 1}, found


async def _pass_counting(learner: Learner) -> None:
    """Ctrl+N to lesson 2, F3 into its numeric exercise, answer 40, Enter: PASS."""
    await learner.press("C-n", r"Lesson 2 of 3")
    await learner.press("F3", r"▶")
    await learner.press("40", r"▶\S*\s*40\b", literal=True)
    await learner.press("Enter", r"PASS")


async def test_a_killed_node_s_learners_resume_on_the_other(cluster: Cluster) -> None:
    """Last in the module: node a stays dead."""
    names = ["kill0", "kill1"]
    cluster.balancer.set_state("b", "drain")
    try:
        learners = await cluster.connect(names)
    finally:
        cluster.balancer.set_state("b", "ready")
    assert {cluster.node_of(n) for n in names} == {"a"}
    await asyncio.gather(*[_pass_first_exercise(learner) for learner in learners])
    await asyncio.gather(*[cluster.stored(n, [FIRST]) for n in names])
    node = cluster.nodes["a"]
    doomed = [node.process.pid, *node.descendants()]
    for pid in doomed:  # the machine dies: server, zygote and tutors at once, no goodbyes
        os.kill(pid, signal.SIGKILL)
    node.process.wait(10)
    await asyncio.gather(*[learner.gone() for learner in learners])
    await _wait_gone(doomed)
    back = await cluster.connect(names, LESSON_1_AFTER_PASS)
    try:
        assert {cluster.node_of(n) for n in names} == {"b"}
        await asyncio.gather(*[_resumed(learner) for learner in back])
    finally:
        await asyncio.gather(*[learner.hang_up() for learner in back])
