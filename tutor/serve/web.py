"""`gd-tutor serve --web`: the same tutor in a browser, through textual-serve.

Every browser tab gets its own tutor process, and all of them share one
learner, `web`, whose progress lives in `<data-dir>/learners/web` (a demo or a
projector at the front of the room; use the SSH server for per-learner progress).
"""

from __future__ import annotations

import os
import shlex
import socket
from pathlib import Path

from tutor.errors import UserError
from tutor.serve.child import child_command

WEB_LEARNER = "web"


def web_command(lessons_dir: str | None) -> str:
    """The shell command textual-serve runs for each browser session."""
    return shlex.join(child_command(lessons_dir))


def prepare_web_environment(data_dir: Path) -> Path:
    """Point every web session's tutor at the shared `web` learner's store."""
    store = data_dir / "learners" / WEB_LEARNER
    store.mkdir(parents=True, exist_ok=True)
    os.environ["GD_TUTOR_DATA_DIR"] = str(store)
    os.environ["GD_TUTOR_LEARNER"] = WEB_LEARNER
    for name in ("COLUMNS", "LINES"):
        os.environ.pop(name, None)
    return store


def check_port_free(host: str, port: int) -> None:
    """UserError now, rather than a traceback from the web server later, if the port is taken."""
    try:
        with socket.create_server((host, port)):
            pass
    except OSError as exc:
        raise UserError(f"Cannot listen on {host}:{port}: {exc.strerror}.") from None


def serve_web(host: str, port: int, data_dir: Path, lessons_dir: str | None) -> None:
    """Serve the tutor over HTTP until SIGINT/SIGTERM (textual-serve handles both)."""
    from textual_serve.server import Server

    check_port_free(host, port)
    prepare_web_environment(data_dir)
    print(f"gd-tutor: serving the tutor in a browser at http://{host}:{port}/ "
          f"(progress kept as learner '{WEB_LEARNER}' in {data_dir})", flush=True)
    Server(web_command(lessons_dir), host=host, port=port, title="gd-tutor").serve()
