"""`gd-tutor serve --web`: the same tutor in a browser, through textual-serve.

Every browser tab gets its own tutor process, and all of them share one
learner, `web`, whose progress lives in `<data-dir>/learners/web` (a demo or a
projector at the front of the room; use the SSH server for per-learner progress).

textual-serve's `Server` is kept for its page, static files and message loop;
`GuardedServer` adds what a server on a network needs: Host and Origin checks
(web_guard.py), terminal sizes clamped as the SSH server clamps them, a cap on
tabs at once, and tutors that end when the server ends, however it ends: each
runs under a keeper (web_tab.py) that the kernel tells when the server dies.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import shlex
import signal
import socket
import sys
from pathlib import Path
from typing import Any

from aiohttp import WSCloseCode, web
from textual_serve.app_service import AppService
from textual_serve.server import Server, to_int

from tutor.errors import UserError
from tutor.serve.child import MAX_PENDING_INPUT, child_command, clamp_size
from tutor.serve.web_guard import HostPolicy, check_allowed_name, guard_middleware, host_policy
from tutor.serve.web_tab import die_with_parent

WEB_LEARNER = "web"
SHUTDOWN_GRACE = 5.0
log = logging.getLogger("textual-serve")


def prepare_web_environment(data_dir: Path) -> Path:
    """Point every web session's tutor at the shared `web` learner's store."""
    store = data_dir / "learners" / WEB_LEARNER
    store.mkdir(parents=True, exist_ok=True)
    os.environ["GD_TUTOR_DATA_DIR"] = str(store)
    os.environ["GD_TUTOR_LEARNER"] = WEB_LEARNER
    for name in ("COLUMNS", "LINES"):
        os.environ.pop(name, None)
    return store


def web_size(width: object, height: object) -> tuple[int, int]:
    """A browser's requested size as the SSH server would allow it (junk or <= 0: 80x24)."""
    def number(value: object) -> int:
        try:
            return max(int(value), 0)  # type: ignore[call-overload]
        except (TypeError, ValueError, OverflowError):
            return 0
    return clamp_size(number(width), number(height))


class TutorAppService(AppService):
    """One tab's tutor: started without a shell, at a clamped size, under its keeper."""

    stop_grace = 3.0

    def __init__(self, argv: list[str], **kwargs: Any) -> None:
        super().__init__(shlex.join(argv), **kwargs)
        self.argv = argv

    def _build_environment(self, width: int = 80, height: int = 24) -> dict[str, str]:
        return super()._build_environment(*web_size(width, height))

    async def _open_app_process(self, width: int = 80,
                                height: int = 24) -> asyncio.subprocess.Process:
        """Start the keeper and its tutor: no shell, its own session, SIGHUP when we die."""
        env = self._build_environment(width, height)
        self._process = process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "tutor.serve.web_tab", *self.argv,
            stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE, env=env, preexec_fn=die_with_parent(signal.SIGHUP),
            start_new_session=True)  # Ctrl-C in the teacher's terminal reaches the server only
        self._stdin = process.stdin
        return process

    async def set_terminal_size(self, width: int, height: int) -> None:
        """Pass a resize on, clamped (the browser can ask for anything)."""
        await super().set_terminal_size(*web_size(width, height))

    def end(self, signum: int = signal.SIGHUP) -> None:
        """SIGHUP: the keeper hangs up on the tutor (SIGKILL after a grace); SIGKILL: both, now."""
        if self._process is not None and self._process.returncode is None:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                if signum == signal.SIGKILL:
                    os.killpg(self._process.pid, signum)
                else:
                    os.kill(self._process.pid, signum)

    async def stop(self) -> None:
        """Ask the tutor to quit; SIGHUP, then SIGKILL, each after `stop_grace` s without an exit.

        textual-serve waits for ever, so a tutor that did not quit kept its tab's seat.
        """
        task, self._task = self._task, None
        if task is None or self._process is None:
            return
        await self._download_manager.cancel_app_downloads(app_service_id=self.app_service_id)
        await self.send_meta({"type": "quit"})
        for signum in (signal.SIGHUP, signal.SIGKILL, None):
            try:
                await asyncio.wait_for(self._process.wait(), self.stop_grace)
                break
            except asyncio.TimeoutError:
                if signum is not None:
                    self.end(signum)
        with contextlib.suppress(asyncio.TimeoutError, asyncio.CancelledError):
            await asyncio.wait_for(task, self.stop_grace)  # its output, to the last byte


class GuardedServer(Server):
    """textual-serve's Server with Host/Origin checks, clamped sizes and a cap on tabs."""

    def __init__(self, argv: list[str], sock: socket.socket, policy: HostPolicy,
                 max_sessions: int) -> None:
        host, port = sock.getsockname()[:2]
        super().__init__(shlex.join(argv), host=host, port=port, title="gd-tutor")
        self.argv = argv
        self.sock = sock
        self.policy = policy
        self.max_sessions = max_sessions
        self.sessions: dict[web.WebSocketResponse, TutorAppService | None] = {}

    async def _make_app(self) -> web.Application:
        app = await super()._make_app()
        app.middlewares.append(guard_middleware(self.policy))
        return app

    async def on_startup(self, app: web.Application) -> None:
        """Say nothing: `serve_web` has printed where the tutor is."""

    async def on_shutdown(self, app: web.Application) -> None:
        """Close every tab's WebSocket so its tutor is told to quit, then hang up on stragglers."""
        for websocket, service in list(self.sessions.items()):
            if service is not None:
                service.end()
            await websocket.close(code=WSCloseCode.GOING_AWAY, message=b"server stopping")

    async def handle_index(self, request: web.Request) -> web.StreamResponse:
        """The page, with its URLs on the (checked) host the browser asked for.

        (With `--host 0.0.0.0` textual-serve would send `http://0.0.0.0:PORT/...`.)
        textual-serve computes the URLs before its first await, so requests cannot mix.
        """
        self.public_url = f"http://{request.headers['Host']}"
        return await super().handle_index(request)

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        """One tab: a tutor at a clamped size, or one sentence if the tutor is full."""
        websocket = web.WebSocketResponse(heartbeat=15, max_msg_size=MAX_PENDING_INPUT)
        await websocket.prepare(request)
        if len(self.sessions) >= self.max_sessions:
            await websocket.send_bytes(f"\r\ngd-tutor: the tutor is full ({self.max_sessions} tabs "
                                       "at once); try again later.\r\n".encode())
            await websocket.close(code=WSCloseCode.TRY_AGAIN_LATER, message=b"full")
            return websocket
        self.sessions[websocket] = None
        try:
            await self._run_tab(websocket, request)
        finally:
            self.sessions.pop(websocket, None)
        return websocket

    async def _run_tab(self, websocket: web.WebSocketResponse, request: web.Request) -> None:
        width = to_int(request.query.get("width", "80"), 80)
        height = to_int(request.query.get("height", "24"), 24)
        service = TutorAppService(self.argv, write_bytes=websocket.send_bytes,
                                  write_str=websocket.send_str, close=websocket.close,
                                  download_manager=self.download_manager)
        self.sessions[websocket] = service
        try:
            await service.start(*web_size(width, height))
            await self._process_messages(websocket, service)
        except asyncio.CancelledError:
            await websocket.close()
        except Exception as error:  # a malformed message ends this tab only
            log.warning("web session ended: %s", error)
        finally:
            await service.stop()

    def serve(self, debug: bool = False) -> None:
        """Serve on the socket bound by `serve_web` until SIGINT/SIGTERM/SIGHUP."""
        self.debug = debug
        self.initialize_logging()
        loop = asyncio.new_event_loop()
        for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            loop.add_signal_handler(signum, self.request_exit)
        web.run_app(self._make_app(), sock=self.sock, handle_signals=False, loop=loop,
                    shutdown_timeout=SHUTDOWN_GRACE, print=lambda *args: None)


def bind(host: str, port: int) -> socket.socket:
    """The listening socket (port 0: a free one); UserError if it cannot be had."""
    try:
        family, _, _, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM,
                                                      flags=socket.AI_PASSIVE)[0]
        return socket.create_server(address[:2], family=family)
    except OSError as exc:
        raise UserError(f"Cannot listen on {host}:{port}: {exc.strerror}.") from None


def serve_web(host: str, port: int, data_dir: Path, lessons_dir: str | None, *,
              max_sessions: int = 50, allow_hosts: tuple[str, ...] = ()) -> None:
    """Serve the tutor over HTTP until SIGINT/SIGTERM/SIGHUP."""
    names = [check_allowed_name(name) for name in allow_hosts]  # said before anything starts
    sock = bind(host, port)
    port = sock.getsockname()[1]
    prepare_web_environment(data_dir)
    server = GuardedServer(child_command(lessons_dir), sock, host_policy(host, port, names),
                           max_sessions)
    print(f"gd-tutor: serving the tutor in a browser at http://{host}:{port}/ "
          f"(progress kept as learner '{WEB_LEARNER}' in {data_dir}; at most {max_sessions} "
          f"tabs at once)", flush=True)
    server.serve()
