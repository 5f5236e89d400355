"""`gd-tutor serve --web` on loopback with aiohttp: foreign Host/Origin, sizes, tab cap, kills.

Each test starts the real server (`python -m tutor.cli serve --web --port 0`) and
looks at its tutors in /proc: the terminal size a tutor was given is in its
environment (COLUMNS/ROWS, read by Textual's web driver).
"""

from __future__ import annotations

import asyncio
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path

import aiohttp
import pytest
from serve_testkit import ServerProcess

pytestmark = pytest.mark.e2e


def start_web(data_dir: Path, *args: str) -> ServerProcess:
    """`gd-tutor serve --web --port 0 ...`; the port is read from its first line."""
    data_dir.mkdir(parents=True, exist_ok=True)
    log = data_dir / "server.log"
    with log.open("w") as out:
        proc = subprocess.Popen([sys.executable, "-m", "tutor.cli", "serve", "--web", "--port", "0",
                                 "--data-dir", str(data_dir), *args],
                                stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.monotonic() + 60
    while not (match := re.search(r"http://127\.0\.0\.1:(\d+)/", log.read_text())):
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            raise AssertionError(f"the web server did not start: {log.read_text()}")
        time.sleep(0.05)
    return ServerProcess(proc, int(match.group(1)), data_dir)  # type: ignore[arg-type]


@pytest.fixture
def web(tmp_path: Path) -> Iterator[ServerProcess]:
    """A web server allowing 2 tabs and the extra name tutor.example; killed at the end."""
    server = start_web(tmp_path / "data", "--max-sessions", "2", "--allow-host", "tutor.example")
    try:
        yield server
    finally:
        if server.process.poll() is None:
            server.process.kill()
        server.process.wait(10)


@pytest.fixture
async def client() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


async def until(condition: Callable[[], object], timeout: float = 20.0) -> None:
    """Poll `condition` until it is true; AssertionError after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        await asyncio.sleep(0.05)


def alive(pids: list[int]) -> list[int]:
    """The PIDs that are still running (zombies count as gone)."""
    def running(pid: int) -> bool:
        try:
            return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
        except OSError:
            return False
    return [pid for pid in pids if running(pid)]


def tutors(server: ServerProcess) -> list[int]:
    """The tutor processes (`python -m tutor.cli`) below the server."""
    def argv(pid: int) -> bytes:
        try:
            return Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:
            return b""
    def is_tutor(pid: int) -> bool:  # not the keeper, nor a server fork not yet exec'd
        words = argv(pid).split(b"\0")
        return words[1:3] == [b"-m", b"tutor.cli"] and b"serve" not in words
    return [pid for pid in server.descendants() if is_tutor(pid)]


def size_given(pid: int) -> tuple[int, int]:
    """COLUMNS and ROWS from a tutor's environment."""
    env = dict(item.split(b"=", 1) for item in Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
               if b"=" in item)
    return int(env[b"COLUMNS"]), int(env[b"ROWS"])


async def open_tab(client: aiohttp.ClientSession, server: ServerProcess, query: str = "",
                   host: str | None = None) -> aiohttp.ClientWebSocketResponse:
    origin = f"http://{host or f'127.0.0.1:{server.port}'}"
    return await client.ws_connect(f"http://127.0.0.1:{server.port}/ws{query}",
                                   headers={"Origin": origin, **({"Host": host} if host else {})})


async def open_seat(client: aiohttp.ClientSession, server: ServerProcess,
                    timeout: float = 20.0) -> aiohttp.ClientWebSocketResponse:
    """A tab with a tutor, once a seat is free (a closing tab frees its seat a moment later)."""
    deadline = time.monotonic() + timeout
    while True:
        tab = await open_tab(client, server)
        message = await tab.receive(timeout=30)
        if b"the tutor is full" not in message.data:
            return tab
        await tab.close()
        assert time.monotonic() < deadline, "no seat came free"
        await asyncio.sleep(0.05)


async def first_screen(tab: aiohttp.ClientWebSocketResponse) -> None:
    """Wait until the tutor has drawn its first screen (it is idle after that)."""
    seen = b""
    while b"Lesson" not in seen:
        message = await tab.receive(timeout=30)
        assert message.type == aiohttp.WSMsgType.BINARY, message
        seen += message.data


async def test_foreign_host_and_origin_get_403_and_no_tutor(web: ServerProcess,
                                                             client: aiohttp.ClientSession) -> None:
    url = f"http://127.0.0.1:{web.port}"
    async with client.get(url + "/", headers={"Host": "evil.example"}) as reply:
        assert reply.status == 403  # DNS rebinding: the page names another site
    async with client.get(url + "/", headers={"Host": f"evil.example:{web.port}"}) as reply:
        assert reply.status == 403
    async with client.get(url + "/") as reply:
        assert reply.status == 200 and f"ws://127.0.0.1:{web.port}/ws" in await reply.text()
    async with client.get(url + "/", headers={"Host": "tutor.example"}) as reply:
        assert reply.status == 200 and "ws://tutor.example/ws" in await reply.text()
    for headers in ({"Origin": "http://evil.example"}, {"Host": "evil.example"},
                    {"Origin": "http://127.0.0.1:1"}, {"Origin": "null"}):
        with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
            await client.ws_connect(url + "/ws", headers=headers)
        assert refused.value.status == 403
    assert web.descendants() == []


async def test_tabs_are_clamped_capped_and_bounded(web: ServerProcess,
                                                 client: aiohttp.ClientSession) -> None:
    huge = await open_tab(client, web, "?width=10000&height=10000")
    await until(lambda: len(tutors(web)) == 1)
    first = tutors(web)[0]
    assert size_given(first) == (1000, 500)
    junk = await open_tab(client, web, "?width=-7&height=x", host="tutor.example")
    await until(lambda: len(tutors(web)) == 2)
    second = [pid for pid in tutors(web) if pid != first][0]
    assert size_given(second) == (80, 24)
    third = await open_tab(client, web)  # --max-sessions 2: told so, and no tutor
    message = await third.receive(timeout=10)
    assert message.type == aiohttp.WSMsgType.BINARY and b"the tutor is full" in message.data
    assert (await third.receive(timeout=10)).type == aiohttp.WSMsgType.CLOSE
    assert third.close_code == 1013 and len(tutors(web)) == 2
    await huge.close()  # a tab closed: its tutor ends and a seat is free again
    await until(lambda: not alive([first]))
    again = await open_seat(client, web)
    await until(lambda: len(tutors(web)) == 2)
    await junk.send_str("not json")  # a malformed message ends that tab only
    await until(lambda: not alive([second]))
    await again.send_str('["stdin", "%s"]' % ("x" * 100_000))  # over 64 KiB: refused
    while (message := await again.receive(timeout=10)).type == aiohttp.WSMsgType.BINARY:
        pass  # frames drawn before the message arrived
    assert message.type == aiohttp.WSMsgType.CLOSE and again.close_code == 1009
    await until(lambda: not web.descendants())
    async with client.get(f"http://127.0.0.1:{web.port}/") as reply:
        assert reply.status == 200


async def test_kill_9_of_the_server_leaves_no_tutor(web: ServerProcess,
                                                    client: aiohttp.ClientSession) -> None:
    tabs = [await open_tab(client, web), await open_tab(client, web)]
    for tab in tabs:
        await first_screen(tab)
    pids = web.descendants()
    assert len(tutors(web)) == 2
    os.kill(web.process.pid, signal.SIGKILL)
    web.process.wait(10)
    await until(lambda: not alive(pids), timeout=5.0)
    for tab in tabs:
        await tab.close()


async def test_sigterm_with_open_tabs_stops_quickly_and_leaves_no_tutor(
        web: ServerProcess, client: aiohttp.ClientSession) -> None:
    tab = await open_tab(client, web)
    await first_screen(tab)
    pids = web.descendants()
    assert len(tutors(web)) == 1
    started = time.monotonic()
    web.process.terminate()
    await until(lambda: web.process.poll() is not None, timeout=15.0)
    assert web.process.returncode == 0 and time.monotonic() - started < 15
    await until(lambda: not alive(pids), timeout=5.0)
    while (await tab.receive(timeout=10)).type == aiohttp.WSMsgType.BINARY:
        pass  # the last frames, then the close
    assert tab.closed
