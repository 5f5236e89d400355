"""`gd-tutor serve --web`: headless Chromium loads the page and shows the tutor's lesson."""

from __future__ import annotations

import asyncio
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from serve_cdp import CHROMIUM, Browser
from serve_testkit import ServerProcess

pytestmark = [pytest.mark.e2e,
              pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed")]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_http(url: str, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as reply:
                if reply.status == 200:
                    return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


@pytest.fixture
def web_server(tmp_path: Path):
    """`gd-tutor serve --web` on a free loopback port."""
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-m", "tutor.cli", "serve", "--web", "--port",
                             str(port), "--data-dir", str(tmp_path / "data")],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        _wait_http(f"http://127.0.0.1:{port}/")
        yield port, proc, tmp_path / "data"
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


async def test_browser_shows_the_first_lesson(web_server) -> None:
    port, proc, data_dir = web_server
    browser = Browser()
    try:
        await browser.start()
        await browser.open(f"http://127.0.0.1:{port}/")
        text = ""
        for _ in range(600):
            text = await browser.screen_text()
            if "gd-tutor" in text and "Lesson 1 of" in text:
                break
            await asyncio.sleep(0.1)
        assert "gd-tutor" in text and "Lesson 1 of" in text, text[-800:]
        assert (data_dir / "learners" / "web" / "progress.db").is_file()
        assert ServerProcess(proc, port, data_dir).descendants(), "the tutor runs under the server"
    finally:
        await browser.close()
    for _ in range(150):  # the tab is gone: its tutor must end too
        if not ServerProcess(proc, port, data_dir).descendants():
            break
        await asyncio.sleep(0.1)
    assert not ServerProcess(proc, port, data_dir).descendants()
