"""The tutor zygote: a process that has already imported gd-tutor and forks one per learner.

Starting Python, Textual, SymPy and the lessons code costs about half a second
of CPU and ~25 MiB per learner; forking a warm process instead saves that CPU
and shares the pages between sessions. The server (tutor.serve.spawner) talks to
it over a SOCK_SEQPACKET socket: each request is one JSON message carrying the
PTY slave fd (SCM_RIGHTS); replies are JSON lines on stdout: `{"id", "pid"}`
when a child started and `{"exit", "status"}` when one was reaped.

Run as `python -m tutor.serve.zygote FD`; it exits when the socket closes.
"""

from __future__ import annotations

import fcntl
import gc
import importlib
import json
import os
import runpy
import selectors
import signal
import socket
import sys
import termios
import traceback
from typing import Any

TUTOR_MODULE = "tutor.cli"
# The app's modules, its lesson loader and the engine (SymPy, which the app would import
# in a thread right after its first paint).
PRELOAD = (
    "argparse", "tutor.commands.app", "tutor.ui.app", "tutor.engine",
    # loaded right after the first paint (full lessons, markdown, the exercise pane)
    "yaml", "tutor.lessons.blocks", "tutor.lessons.claims", "textual.widgets.markdown",
    "tutor.ui.widgets.exercise",
)
DATABASE_PRELOAD = ("tutor.progress.postgres",)
"""psycopg and the PostgreSQL store (about 0.15 s of CPU per tutor otherwise), preloaded
only when the class keeps progress in PostgreSQL ($GD_TUTOR_DATABASE set for the zygote)."""


def preload(modules: tuple[str, ...] = PRELOAD) -> None:
    """Import what a learner's tutor needs before its first screen and first run.

    The modules are named, not imported statically: the zygote is a warm
    `python -m tutor.cli` launcher, not a user of the UI's code (the layers stay apart).
    """
    for name in modules:
        importlib.import_module(name)
    if os.environ.get("GD_TUTOR_DATABASE"):
        for name in DATABASE_PRELOAD:
            try:
                importlib.import_module(name)
            except ImportError:  # no psycopg: each tutor says so itself, once
                pass


def _run_tutor(args: list[str]) -> int:
    """Run `python -m tutor.cli ARGS` in this (forked) process and return its exit status."""
    sys.argv = ["gd-tutor", *args]
    sys.modules.pop(TUTOR_MODULE, None)  # run it afresh as __main__, as `python -m` does
    try:
        runpy.run_module(TUTOR_MODULE, run_name="__main__", alter_sys=True)
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    return 0


def _reply(message: dict[str, Any]) -> None:
    os.write(1, (json.dumps(message) + "\n").encode())


def _become_tutor(request: dict[str, Any], slave: int) -> int:
    """In the forked child: take the PTY as controlling terminal, then run the tutor."""
    for sig in (signal.SIGCHLD, signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.set_wakeup_fd(-1)
    gc.enable()
    os.setsid()
    fcntl.ioctl(slave, termios.TIOCSCTTY, 0)
    for fd in (0, 1, 2):
        os.dup2(slave, fd)
    os.closerange(3, 1024)
    os.chdir(request.get("cwd") or "/")
    os.environ.clear()
    os.environ.update(request["env"])
    _name_process(f"gd-tutor {request['env'].get('GD_TUTOR_LEARNER', '')}")
    argv = request["argv"]
    if tuple(argv[1:3]) != ("-m", TUTOR_MODULE):
        os.execvpe(argv[0], argv, request["env"])
    _fresh_stdio()
    return _run_tutor(argv[3:])


def _fresh_stdio() -> None:
    """New text streams on fds 0-2 (the zygote's were a pipe and whatever the server had)."""
    sys.stdin = sys.__stdin__ = open(0, encoding="utf-8", errors="replace", closefd=False)
    for fd, name in ((1, "stdout"), (2, "stderr")):
        stream = open(fd, "w", encoding="utf-8", errors="replace", buffering=1, closefd=False)
        setattr(sys, name, stream)
        setattr(sys, f"__{name}__", stream)


def _name_process(name: str) -> None:
    """Show the learner in `ps -o comm` and top (the kernel keeps 15 characters)."""
    try:
        with open("/proc/self/comm", "w", encoding="utf-8") as comm:
            comm.write(name[:15])
    except OSError:
        pass


def _fork(request: dict[str, Any], slave: int) -> None:
    pid = os.fork()
    if pid == 0:
        code = 1
        try:
            code = _become_tutor(request, slave)
        except BaseException:  # noqa: BLE001 - a child must never return into the zygote
            traceback.print_exc()
        finally:
            for stream in (sys.stdout, sys.stderr):
                try:
                    stream.flush()
                except (OSError, ValueError):
                    pass
            os._exit(code if isinstance(code, int) else 1)
    os.close(slave)
    _reply({"id": request["id"], "pid": pid})


def _handle(sock: socket.socket) -> bool:
    try:
        data, fds, _flags, _addr = socket.recv_fds(sock, 1 << 20, 4)
    except InterruptedError:
        return True
    if not data:
        return False
    request = _parse(data)
    if request is None or len(fds) != 1:
        for fd in fds:
            os.close(fd)
        ident = request.get("id") if request else None
        _reply({"id": ident, "error": "unreadable request or no terminal passed"})
        return True
    try:
        _fork(request, fds[0])
    except OSError as exc:  # e.g. fork() failing under a process limit: this request only
        os.close(fds[0])
        _reply({"id": request["id"], "error": f"cannot fork ({exc.strerror})"})
    return True


def _parse(data: bytes) -> dict[str, Any] | None:
    """A launch request, or None when it is not one (a bad request never ends the zygote)."""
    try:
        request = json.loads(data)
    except ValueError:
        return None
    fields = {"id": int, "argv": list, "env": dict}
    if not isinstance(request, dict) or any(not isinstance(request.get(k), t)
                                            for k, t in fields.items()):
        return None
    return request


def _reap() -> None:
    while True:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        _reply({"exit": pid, "status": os.waitstatus_to_exitcode(status)})


def serve(sock: socket.socket) -> None:
    """Fork a tutor per request until the server closes the socket."""
    wake_r, wake_w = os.pipe()
    os.set_blocking(wake_r, False)
    os.set_blocking(wake_w, False)
    signal.set_wakeup_fd(wake_w)
    signal.signal(signal.SIGCHLD, lambda signum, frame: None)
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        # The server decides when we stop (it closes the socket after its sessions ended),
        # even when a service manager signals the whole process group or cgroup.
        signal.signal(sig, signal.SIG_IGN)
    selector = selectors.DefaultSelector()
    selector.register(sock, selectors.EVENT_READ)
    selector.register(wake_r, selectors.EVENT_READ)
    running = True
    while running:
        for key, _ in selector.select():
            if key.fileobj is sock:
                running = _handle(sock)
            else:
                _drain(wake_r)
        _reap()


def _drain(fd: int) -> None:
    try:
        while os.read(fd, 512):
            pass
    except BlockingIOError:
        pass


def main() -> int:
    """Entry point: `python -m tutor.serve.zygote FD`."""
    sock = socket.socket(fileno=int(sys.argv[1]))
    gc.disable()
    preload()
    gc.freeze()  # the preloaded objects stay out of the children's collections: fewer copied pages
    _reply({"ready": os.getpid()})
    serve(sock)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
