"""The web server's Host/Origin policy, size clamping and preexec, without a server."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from tutor.errors import UserError
from tutor.serve.web import TutorAppService, bind, prepare_web_environment, web_size
from tutor.serve.web_guard import host_allowed, host_policy, origin_allowed, split_authority

LOOP = host_policy("127.0.0.1", 8000, ["tutor.school.example"])


@pytest.mark.parametrize("host", ["127.0.0.1:8000", "localhost:8000", "LOCALHOST.:8000",
                                  "[::1]:8000", "tutor.school.example", "tutor.school.example:443"])
def test_the_served_names_are_answered(host: str) -> None:
    assert host_allowed(host, LOOP)


@pytest.mark.parametrize("host", [None, "", "evil.example", "evil.example:8000", "127.0.0.1:8001",
                                  "127.0.0.1", "127.0.0.2:8000", "192.168.1.5:8000",
                                  "user@127.0.0.1:8000", "127.0.0.1:8000/x", "127.0.0.1:99999",
                                  "local host:8000", "[::1:8000"])
def test_other_names_are_refused(host: str | None) -> None:
    assert not host_allowed(host, LOOP)


def test_a_wildcard_bind_answers_any_address_but_no_foreign_name() -> None:
    policy = host_policy("0.0.0.0", 8000)
    assert host_allowed("192.168.1.5:8000", policy) and host_allowed("[fe80::1]:8000", policy)
    assert host_allowed("localhost:8000", policy)
    assert not host_allowed("evil.example:8000", policy)
    assert not host_allowed("192.168.1.5:8001", policy)
    specific = host_policy("192.168.1.5", 8000)
    assert host_allowed("192.168.1.5:8000", specific)
    assert not host_allowed("localhost:8000", specific) and not host_allowed("10.0.0.1:8000", specific)


@pytest.mark.parametrize(("origin", "host", "ok"), [
    (None, "127.0.0.1:8000", True),  # not a browser: nothing to protect
    ("http://127.0.0.1:8000", "127.0.0.1:8000", True),
    ("http://localhost:8000", "localhost:8000", True),
    ("https://tutor.school.example", "127.0.0.1:8000", True),
    ("http://evil.example", "127.0.0.1:8000", False),
    ("http://evil.example:8000", "127.0.0.1:8000", False),
    ("http://127.0.0.1:9999", "127.0.0.1:8000", False),  # another local site
    ("http://localhost:8000", "127.0.0.1:8000", False),
    ("null", "127.0.0.1:8000", False),
    ("file://", "127.0.0.1:8000", False),
    ("http://127.0.0.1:8000@evil.example", "127.0.0.1:8000", False),
    ("http://127.0.0.1:8000/x", "127.0.0.1:8000", False),
    ("http://[::1", "127.0.0.1:8000", False),
])
def test_origin_must_be_the_page_itself(origin: str | None, host: str, ok: bool) -> None:
    assert origin_allowed(origin, host, LOOP) is ok


@pytest.mark.parametrize("name", ["http://tutor.example", "tutor.example:443", "a b", "", "::1",
                                  "tutor.example/x"])
def test_allow_host_takes_only_a_host_name(name: str) -> None:
    with pytest.raises(UserError, match="--allow-host takes a host name"):
        host_policy("127.0.0.1", 8000, [name])
    assert host_policy("127.0.0.1", 8000, ["Tutor.Example.", "[::1]"]).extra == {"tutor.example",
                                                                               "::1"}


def test_authorities_are_normalised() -> None:
    assert split_authority("LocalHost.:80") == ("localhost", 80)
    assert split_authority("[::1]") == ("::1", 80)
    assert split_authority("a b") is None and split_authority("x:") is None


@pytest.mark.parametrize(("asked", "given"), [
    ((10000, 10000), (1000, 500)), ((120, 40), (120, 40)), ((0, 0), (80, 24)),
    ((-5, -1), (80, 24)), (("200", "60"), (200, 60)), (("wide", None), (80, 24)),
    ((10 ** 30, 1e300), (1000, 500)), ((float("nan"), float("inf")), (80, 24)),
])
def test_browser_sizes_are_clamped_as_ssh_does(asked: tuple[object, object],
                                                given: tuple[int, int]) -> None:
    assert web_size(*asked) == given


class _Pipe:
    """A stand-in for the tutor's stdin: keeps what is written."""

    def __init__(self) -> None:
        self.data = b""

    def write(self, data: bytes) -> None:
        self.data += data

    async def drain(self) -> None:
        return None


async def test_a_resize_reaches_the_tutor_clamped() -> None:
    service = TutorAppService(["true"], write_bytes=None, write_str=None, close=None,
                              download_manager=None)
    service._stdin = pipe = _Pipe()  # type: ignore[assignment]
    await service.set_terminal_size(10000, 10000)
    assert pipe.data[:1] == b"M"
    assert json.loads(pipe.data[5:]) == {"type": "resize", "width": 1000, "height": 500}
    env = service._build_environment(10000, 10000)
    assert (env["COLUMNS"], env["ROWS"]) == ("1000", "500")


def test_web_refuses_a_taken_port_and_keeps_progress_as_web(tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        with pytest.raises(UserError, match=f"Cannot listen on 127.0.0.1:{port}"):
            bind("127.0.0.1", port)
    with bind("127.0.0.1", 0) as free:
        assert free.getsockname()[1] > 0
    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.setenv("GD_TUTOR_DATA_DIR", "restored after the test")
    monkeypatch.setenv("GD_TUTOR_LEARNER", "restored after the test")
    store = prepare_web_environment(tmp_path)
    assert store == tmp_path / "learners" / "web" and store.is_dir()
    assert os.environ["GD_TUTOR_DATA_DIR"] == str(store) and "COLUMNS" not in os.environ


async def _until_ignored(pid: int, signum: int, timeout: float = 20.0) -> None:
    """Wait until process `pid` ignores `signum` (SigIgn in /proc/PID/status)."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        status = Path(f"/proc/{pid}/status").read_text()
        ignored = int(status.split("SigIgn:")[1].split()[0], 16)
        if ignored & (1 << (signum - 1)):
            return
        assert asyncio.get_running_loop().time() < deadline, "the child never set its handlers"
        await asyncio.sleep(0.02)


async def _nothing(*args: object) -> None:
    return None


@pytest.mark.parametrize(("ignore", "status"), [("", 128 + signal.SIGHUP), ("HUP", -9)])
async def test_a_tutor_that_does_not_quit_is_hung_up_on_then_killed(ignore: str, status: int) -> None:
    """A tab's close never waits for ever: quit, then SIGHUP (via the keeper), then SIGKILL."""
    from textual_serve.download_manager import DownloadManager

    code = ("import signal, sys, time\n"
            f"if '{ignore}': signal.signal(signal.SIGHUP, signal.SIG_IGN)\n"
            "signal.signal(signal.SIGTERM, signal.SIG_IGN)\n"
            "time.sleep(120)\n")
    service = TutorAppService([sys.executable, "-c", code], write_bytes=_nothing,
                              write_str=_nothing, close=_nothing,
                              download_manager=DownloadManager())
    service.stop_grace = 0.5
    await service.start(80, 24)
    assert service._process is not None
    keeper = service._process.pid
    await _until_ignored(keeper, signal.SIGINT)  # the keeper's handlers are set
    children = Path(f"/proc/{keeper}/task/{keeper}/children")
    while not children.read_text().split():
        await asyncio.sleep(0.02)
    await _until_ignored(int(children.read_text().split()[0]), signal.SIGTERM)  # the tutor's
    await asyncio.wait_for(service.stop(), 10)
    assert service._process.returncode == status


@pytest.mark.parametrize(("extra", "said"), [
    (["--allow-host", "http://tutor.example"], "--allow-host takes a host name such as"),
    (["--max-sessions", "0"], "--max-sessions must be at least 1."),
])
def test_bad_web_options_are_one_sentence(extra: list[str], said: str, tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    from tutor.cli import main

    assert main(["serve", "--web", "--port", "0", "--data-dir", str(tmp_path), *extra]) == 2
    err = capsys.readouterr().err
    assert err.startswith("gd-tutor: ") and said in err and err.count("\n") == 1
