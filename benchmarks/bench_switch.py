"""Lesson switch: from ctrl+n / ctrl+b until the new lesson's whole first screen is painted.

    python benchmarks/bench_switch.py [--repeat 10] [--busy N]

Both programs run on an 80x24 pseudo-terminal (as in bench_startup.py). Their
output is fed to a small screen model (vtscreen.py), so the clock stops when the
screen SHOWS the new lesson's first screen, every row of it, not when its first
words went past in the byte stream (a header and one line of prose can be on show
while the rest of the screen still holds the old lesson). After they are up and
idle, ctrl+n and ctrl+b are typed in turn; each switch is left to settle (at least
1.5 s, then 0.5 s without output); the settled screen is the target, and the time
is from the key to the first moment the screen equalled it (the scrollbar columns
and the footer row left out: a scrollbar thumb shrinks as the rest of a lesson
mounts below the fold).

- gd-tutor: the real console script on the built-in lessons (lessons 1 <-> 2);
- floor: a plain Textual app whose ctrl+n / ctrl+b swap one Static to the same
  text, the rows gd-tutor's settled first screens showed (Python + Textual: a key,
  one update, one repaint).

`--busy N` starts N busy-loop processes (one per core: `--busy 2` here) for the
length of the run; they stop by themselves after 15 minutes at most, and are
killed at the end. It prints the medians and the ratio gd-tutor / floor
(target <= 1.5).
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import select
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_startup import SCRIPT, PtyProcess, _env  # noqa: E402 - the sibling benchmark
from vtscreen import VtScreen  # noqa: E402

FLOOR = """\
import json, sys
from textual.app import App
from textual.widgets import Static

SCREENS = json.loads(sys.argv[1])


class Floor(App):
    BINDINGS = [("ctrl+n", "show(1)", "Next"), ("ctrl+b", "show(0)", "Prev")]

    def compose(self):
        yield Static(SCREENS[0], id="page", markup=False)

    def action_show(self, index):
        self.query_one("#page").update(SCREENS[index])


Floor().run()
"""
BUSY = "import time\nend = time.monotonic() + 900\nwhile time.monotonic() < end: pass\n"
START_S = 2.0
"""Idle time after start-up (the tutor warms SymPy up in a thread after the first lesson)."""
SETTLE_S, IDLE_S = 1.5, 0.5
"""A switch has settled once SETTLE_S passed since the key and then IDLE_S went by with
no output and no CPU used (the tutor builds the next lesson's page meanwhile, as it
does while a learner reads)."""
MARGIN = 3  # the reader's vertical scrollbar (2 columns) and its right padding


class Terminal:
    """A program on a pty whose every output chunk is kept with the time it arrived."""

    def __init__(self, argv: list[str], env: dict[str, str]) -> None:
        self.child = PtyProcess(argv, env)
        self.screen = VtScreen(80, 24)

    def read(self, timeout: float) -> list[tuple[float, bytes]]:
        """Output that arrives within `timeout` seconds of quiet (stops at the first gap)."""
        chunks = []
        while True:
            ready, _, _ = select.select([self.child.master], [], [], timeout)
            if not ready:
                return chunks
            chunks.append((time.monotonic(), os.read(self.child.master, 65536)))

    def wait_for(self, text: str, timeout: float = 60.0) -> None:
        """Feed output to the screen until `text` is on it."""
        end = time.monotonic() + timeout
        while not any(text in line for line in self.screen.lines()):
            if time.monotonic() > end:
                raise TimeoutError(f"{text!r} never showed: {self.screen.lines()}")
            for _, data in self.read(0.2):
                self.screen.feed(data)

    def settle(self, seconds: float) -> list[tuple[float, bytes]]:
        """Keep reading for `seconds`, then until the program is idle (no output, no CPU);
        the output read meanwhile (already on the screen)."""
        end, read = time.monotonic() + seconds, []
        while True:
            used = self.cpu_ticks()
            chunks = self.read(IDLE_S)
            for _, data in chunks:
                self.screen.feed(data)
            read += chunks
            if not chunks and time.monotonic() > end and self.cpu_ticks() - used <= 1:
                return read

    def cpu_ticks(self) -> int:
        """The program's user + system CPU time so far, in clock ticks."""
        fields = Path(f"/proc/{self.child.proc.pid}/stat").read_text().rpartition(")")[2].split()
        return int(fields[11]) + int(fields[12])

    def switch(self, key: bytes, header: str) -> tuple[float, list[str]]:
        """Type `key`; (seconds until the settled screen first showed, that screen)."""
        before = copy.deepcopy(self.screen)
        chunks: list[tuple[float, bytes]] = []
        start = time.monotonic()
        self.child.send(key)
        shown = copy.deepcopy(self.screen)
        while not any(header in line for line in shown.lines()[:1]):
            if time.monotonic() - start > 30:
                raise TimeoutError(f"{header!r} never showed in the header")
            for moment, data in self.read(0.1):
                chunks.append((moment, data))
                shown.feed(data)
        for _, data in chunks:
            self.screen.feed(data)
        chunks += self.settle(SETTLE_S - (time.monotonic() - start))  # the rest too
        target = self.screen.lines(MARGIN)[:-1]
        if header not in target[0]:
            raise RuntimeError(f"{header!r} is not on the settled screen: {target}")
        for moment, data in chunks:
            before.feed(data)
            if before.lines(MARGIN)[:-1] == target:
                return moment - start, target
        raise AssertionError("unreachable: the last chunk gives the target")

    def close(self) -> None:
        """Quit the program."""
        self.child.close()


def switch_times(argv: list[str], env: dict[str, str], ready: str, headers: tuple[str, str],
                 repeat: int) -> tuple[list[float], list[list[str]]]:
    """Start `argv`, wait for `ready`, then ctrl+n / ctrl+b in turn `repeat` times each.

    Returns the seconds of every switch and the first two settled screens (next, back)."""
    term = Terminal(argv, env)
    try:
        term.wait_for(ready)
        term.settle(START_S)
        times, screens = [], []
        for turn in range(2 * repeat):
            key, header = (b"\x0e", headers[1]) if turn % 2 == 0 else (b"\x02", headers[0])
            seconds, screen = term.switch(key, header)
            times.append(seconds)
            screens.append(screen)
        return times, screens[:2]
    finally:
        term.close()


@contextmanager
def busy_cores(count: int) -> Iterator[None]:
    """`count` busy-loop processes for the duration (each ends by itself within 15 min)."""
    procs = [subprocess.Popen([sys.executable, "-c", BUSY]) for _ in range(count)]
    try:
        yield
    finally:
        for proc in procs:
            proc.kill()
            proc.wait()


def main() -> int:
    """Measure gd-tutor, then the floor on the same screens; print medians and the ratio."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--busy", type=int, default=0, help="busy-loop processes meanwhile")
    args = parser.parse_args()
    if not SCRIPT.exists():
        print(f"no gd-tutor console script next to {sys.executable}", file=sys.stderr)
        return 2
    headers = ("Lesson 1 of", "Lesson 2 of")
    with tempfile.TemporaryDirectory() as folder, busy_cores(args.busy):
        work = Path(folder)
        data = tempfile.mkdtemp(dir=work)
        tutor, screens = switch_times([str(SCRIPT)], _env(data), "Lesson 1 of", headers,
                                      args.repeat)
        floor_py = work / "floor.py"
        floor_py.write_text(FLOOR, encoding="utf-8")
        texts = ["\n".join(screens[1]), "\n".join(screens[0])]  # lesson 1, lesson 2
        floor_argv = [sys.executable, str(floor_py), json.dumps(texts)]
        floor, _ = switch_times(floor_argv, _env(str(work)), "Lesson 1 of", headers,
                                args.repeat)
    f, t = statistics.median(floor), statistics.median(tutor)
    runs = lambda xs: ", ".join(f"{x * 1000:.0f}" for x in xs)  # noqa: E731
    print(f"lesson switch (ctrl+n / ctrl+b, lessons 1 <-> 2, until the whole first screen "
          f"is painted), median of {2 * args.repeat}, {args.busy} busy processes:")
    print(f"  floor (Static swap)  {f * 1000:6.0f} ms   (runs: {runs(floor)})")
    print(f"  gd-tutor             {t * 1000:6.0f} ms   (runs: {runs(tutor)})")
    print(f"  ratio gd-tutor / floor = {t / f:.2f}   (target <= 1.5)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
