"""A stand-in tutor for the serve mechanics tests: reports its terminal and echoes keys.

Prints one status line at start, `resized CxR` on SIGWINCH, `key:<text>` per read;
`q` quits; SIGHUP writes `hup` into its data dir and exits (like the real app's flush).
"""

from __future__ import annotations

import os
import signal
import sys
import tty
from pathlib import Path


def _say(text: str) -> None:
    os.write(1, (text + "\r\n").encode())


def _status() -> str:
    size = os.get_terminal_size(0)
    env = os.environ
    facts = {
        "size": f"{size.columns}x{size.lines}",
        "term": env.get("TERM"),
        "ctty": os.tcgetpgrp(0) == os.getpgrp() and os.getsid(0) == os.getpid(),
        "columns": env.get("COLUMNS"),
        "lines": env.get("LINES"),
        "lang": env.get("LANG"),
        "lcall": env.get("LC_ALL"),
        "secret": env.get("SECRET"),
        "learner": env.get("GD_TUTOR_LEARNER"),
        "data": env.get("GD_TUTOR_DATA_DIR"),
        "args": ",".join(sys.argv[1:]) or None,
    }
    return "gd-tutor fake " + " ".join(f"{k}={v}" for k, v in facts.items())


def _on_hup(signum: int, frame: object) -> None:
    Path(os.environ["GD_TUTOR_DATA_DIR"], "hup").write_text("flushed")
    os._exit(0)


def main() -> None:
    """Run until `q` or SIGHUP."""
    signal.signal(signal.SIGHUP, _on_hup)
    signal.signal(signal.SIGWINCH, lambda s, f: _say("resized " + _status().split()[2][5:]))
    tty.setraw(0)
    _say(_status())
    while True:
        try:
            data = os.read(0, 1024)
        except InterruptedError:
            continue
        if not data or b"q" in data:
            return
        _say("key:" + data.decode(errors="replace"))


if __name__ == "__main__":
    if "--ignore-hup" in sys.argv:
        signal.signal(signal.SIGHUP, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        tty.setraw(0)
        _say(_status())
        while True:
            signal.pause()
    main()
