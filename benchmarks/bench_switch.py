"""Lesson switch: from ctrl+n / ctrl+b to the new lesson's header and opening prose on screen.

    python benchmarks/bench_switch.py [--repeat 10]

Both programs run on an 80x24 pseudo-terminal (as in bench_startup.py); after they
are up and idle, ctrl+n and ctrl+b are typed in turn and the clock stops when the
target lesson's "Lesson N of" AND the first words of its opening paragraph are in
the output written after the key:

- floor: a plain Textual app whose ctrl+n / ctrl+b swap one Static to the same
  lesson's title, objectives and opening text (Python + Textual repaint only);
- gd-tutor: the real console script on the built-in lessons (lessons 1 <-> 2).

It prints the medians and the ratio gd-tutor / floor (target <= 1.5).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_startup import SCRIPT, PtyProcess, _env  # noqa: E402 - the sibling benchmark

FLOOR = """\
import json, sys
from textual.app import App
from textual.widgets import Static

SCREENS = json.loads(sys.argv[1])


class Floor(App):
    BINDINGS = [("ctrl+n", "show(1)", "Next"), ("ctrl+b", "show(0)", "Prev")]

    def compose(self):
        yield Static(SCREENS[0], id="page")

    def action_show(self, index):
        self.query_one("#page").update(SCREENS[index])


Floor().run()
"""
SETTLE_S = 2.0
"""Idle time after start-up (the tutor warms SymPy up in a thread after the first lesson)."""


def first_screens() -> list[tuple[str, bytes, bytes]]:
    """For lessons 1 and 2: (the text of their first screen, header marker, opening words)."""
    from tutor.lessons import scan_lessons

    index = scan_lessons()
    out = []
    for stub in index.lessons[:2]:
        body = [line for line in stub.opening.splitlines() if line.strip()
                and not line.startswith("#")]
        header = f"Lesson {stub.number} of {len(index.lessons)}"
        text = "\n\n".join([f"{header}: {stub.title}", "In this lesson you will",
                            *(f"• {o}" for o in stub.objectives), *body[:6]])
        out.append((text, header.encode(), " ".join(body[0].split()[:2]).encode()))
    return out


def switch_times(child: PtyProcess, screens: list[tuple[str, bytes, bytes]],
                 repeat: int) -> list[float]:
    """Type ctrl+n and ctrl+b in turn `repeat` times each; seconds until each target shows."""
    times = []
    for turn in range(2 * repeat):
        key, target = (b"\x0e", screens[1]) if turn % 2 == 0 else (b"\x02", screens[0])
        child.output = b""
        start = time.monotonic()
        child.send(key)
        times.append(max(child.wait_for(target[1]), child.wait_for(target[2])) - start)
        time.sleep(SETTLE_S)  # the rest of the lesson mounts meanwhile (keys wait for it)
    return times


def measure(argv: list[str], env: dict[str, str], ready: bytes,
            screens: list[tuple[str, bytes, bytes]], repeat: int) -> list[float]:
    """Start `argv`, wait for `ready` and a quiet moment, then time the switches."""
    child = PtyProcess(argv, env)
    try:
        child.wait_for(ready)
        time.sleep(SETTLE_S)
        return switch_times(child, screens, repeat)
    finally:
        child.close()


def main() -> int:
    """Measure the floor and gd-tutor, print the medians and the ratio."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=10)
    args = parser.parse_args()
    if not SCRIPT.exists():
        print(f"no gd-tutor console script next to {sys.executable}", file=sys.stderr)
        return 2
    screens = first_screens()
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        floor_py = work / "floor.py"
        floor_py.write_text(FLOOR, encoding="utf-8")
        floor_argv = [sys.executable, str(floor_py), json.dumps([s[0] for s in screens])]
        floor = measure(floor_argv, _env(str(work)), screens[0][2], screens, args.repeat)
        data = tempfile.mkdtemp(dir=work)
        tutor = measure([str(SCRIPT)], _env(data), b"three-step", screens, args.repeat)
    f, t = statistics.median(floor), statistics.median(tutor)
    runs = lambda xs: ", ".join(f"{x * 1000:.0f}" for x in xs)  # noqa: E731
    print(f"lesson switch (ctrl+n / ctrl+b, lessons 1 <-> 2), median of {2 * args.repeat}:")
    print(f"  floor (Static swap)  {f * 1000:6.0f} ms   (runs: {runs(floor)})")
    print(f"  gd-tutor             {t * 1000:6.0f} ms   (runs: {runs(tutor)})")
    print(f"  ratio gd-tutor / floor = {t / f:.2f}   (target <= 1.5)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
