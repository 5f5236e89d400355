"""Time to first paint of `gd-tutor` against a minimal Textual app, and memory after a long run.

    python benchmarks/bench_startup.py [--repeat 7] [--iterations 10000]

Both programs are started the same way, as a fresh Python process on a
pseudo-terminal of 80x24 (TERM=xterm-256color), alternating run by run; the
clock stops when a marker the program paints first appears in its output:

- hello: a Textual app showing one Static (the floor: Python + Textual start-up);
- gd-tutor: the real console script on the built-in lessons with an empty data
  dir, until its header ("Lesson 1 of ...") AND the first words of lesson 1's
  opening paragraph are on screen (a header alone would not be a first screen).

It prints the median of each and the ratio gd-tutor / hello (target <= 1.2).
Then it starts gd-tutor on a one-exercise lesson whose run does `--iterations`
updates, runs it with Enter, waits for the verdict and reads the process's
resident memory from /proc (VmRSS now, VmHWM peak; target <= 100 MiB).
"""

from __future__ import annotations

import argparse
import fcntl
import os
import select
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from pathlib import Path

SCRIPT = Path(sys.executable).parent / "gd-tutor"
HELLO = """\
from textual.app import App
from textual.widgets import Static


class Hello(App):
    def compose(self):
        yield Static("hello-first-paint")


Hello().run()
"""
LONG_LESSON = """\
---
title: A long run
slug: long-run
order: 1
objectives: [Watch a long run.]
---

```exercise
id: long
kind: run
prompt: Run it.
function: x^2
start: 3
learning_rate: 0.00001
iterations: {iterations}
precision: 0.000000000001
editable: [learning_rate]
goal:
  stop_at_limit: true
solution: {{}}
wrong: [{{learning_rate: 0.4}}]
```
"""


class PtyProcess:
    """A child process on its own 80x24 pseudo-terminal whose output we can search."""

    def __init__(self, argv: list[str], env: dict[str, str]) -> None:
        master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
        self.master = master
        self.output = b""
        self.proc = subprocess.Popen(argv, stdin=slave, stdout=slave, stderr=slave, env=env,
                                     start_new_session=True, close_fds=True)
        os.close(slave)

    def wait_for(self, marker: bytes, timeout: float = 60.0) -> float:
        """Read output until `marker` appears; return the monotonic time it did."""
        end = time.monotonic() + timeout
        while marker not in self.output:
            left = end - time.monotonic()
            if left <= 0:
                raise TimeoutError(f"{marker!r} did not appear; output tail: {self.output[-400:]!r}")
            ready, _, _ = select.select([self.master], [], [], min(left, 0.5))
            if ready:
                self.output += os.read(self.master, 65536)
        return time.monotonic()

    def send(self, data: bytes) -> None:
        """Type bytes at the program."""
        os.write(self.master, data)

    def close(self) -> None:
        """Quit with ctrl+q (kill if it lingers), draining output meanwhile."""
        self.send(b"\x11")
        end = time.monotonic() + 10
        while self.proc.poll() is None and time.monotonic() < end:
            ready, _, _ = select.select([self.master], [], [], 0.1)
            if ready:
                try:
                    os.read(self.master, 65536)
                except OSError:
                    break
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()
        os.close(self.master)


def _env(data_dir: str, lessons_dir: str | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GD_TUTOR_")}
    env.update(TERM="xterm-256color", GD_TUTOR_DATA_DIR=data_dir, COLUMNS="80", LINES="24")
    env.pop("NO_COLOR", None)
    if lessons_dir:
        env["GD_TUTOR_LESSONS_DIR"] = lessons_dir
    return env


def time_to_marker(argv: list[str], env: dict[str, str], *markers: bytes) -> float:
    """Seconds from spawning `argv` until every one of `markers` is painted."""
    start = time.monotonic()
    child = PtyProcess(argv, env)
    try:
        return max(child.wait_for(marker) for marker in markers) - start
    finally:
        child.close()


def opening_words(count: int = 2) -> bytes:
    """The first words of the first lesson's opening paragraph, as the terminal shows them."""
    from tutor.lessons import scan_lessons

    first = scan_lessons().lessons[0]
    body = [line for line in first.opening.splitlines()
            if line.strip() and not line.startswith("#")]
    return " ".join(body[0].split()[:count]).encode()


def startup(repeat: int, work: Path, opening: bytes) -> tuple[list[float], list[float]]:
    """Alternate hello and gd-tutor `repeat` times each (after one warm-up of each)."""
    hello = work / "hello.py"
    hello.write_text(HELLO, encoding="utf-8")
    hello_times: list[float] = []
    tutor_times: list[float] = []
    for run in range(repeat + 1):
        data = tempfile.mkdtemp(dir=work)
        h = time_to_marker([sys.executable, str(hello)], _env(data), b"hello-first-paint")
        t = time_to_marker([str(SCRIPT)], _env(data), b"Lesson 1 of", opening)
        if run:  # the first pair only warms the file cache
            hello_times.append(h)
            tutor_times.append(t)
    return hello_times, tutor_times


def memory_after_long_run(iterations: int, work: Path) -> tuple[float, float, float]:
    """Run a `iterations`-update exercise in gd-tutor; (seconds, VmRSS MiB, VmHWM MiB)."""
    lessons = work / "long-lessons"
    lessons.mkdir()
    (lessons / "01-long-run.md").write_text(LONG_LESSON.format(iterations=iterations),
                                           encoding="utf-8")
    child = PtyProcess([str(SCRIPT)], _env(tempfile.mkdtemp(dir=work), str(lessons)))
    try:
        child.wait_for(b"Lesson 1 of")
        child.wait_for(b"Press Enter to run")  # the exercise pane is mounted
        child.send(b"\t")  # into the learning-rate field
        time.sleep(0.3)
        start = time.monotonic()
        child.send(b"\r")
        done = child.wait_for(b"PASS", timeout=120)
        time.sleep(0.5)
        status = Path(f"/proc/{child.proc.pid}/status").read_text(encoding="utf-8")
    finally:
        child.close()
    fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
    mib = lambda name: int(fields[name].split()[0]) / 1024  # noqa: E731 - kB to MiB
    return done - start, mib("VmRSS"), mib("VmHWM")


def main() -> int:
    """Run both measurements and print a small report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--iterations", type=int, default=10_000)
    args = parser.parse_args()
    if not SCRIPT.exists():
        print(f"no gd-tutor console script next to {sys.executable}", file=sys.stderr)
        return 2
    opening = opening_words()
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        hello, tutor = startup(args.repeat, work, opening)
        seconds, rss, peak = memory_after_long_run(args.iterations, work)
    h, t = statistics.median(hello), statistics.median(tutor)
    print(f"first paint, median of {args.repeat} (80x24 pty; gd-tutor until "
          f"'Lesson 1 of' and {opening.decode()!r}):")
    print(f"  hello Textual app  {h * 1000:7.0f} ms   (runs: {', '.join(f'{x*1000:.0f}' for x in hello)})")
    print(f"  gd-tutor           {t * 1000:7.0f} ms   (runs: {', '.join(f'{x*1000:.0f}' for x in tutor)})")
    print(f"  ratio gd-tutor / hello = {t / h:.2f}   (target <= 1.2)")
    print(f"run of {args.iterations} updates in a lesson: verdict after {seconds:.2f} s")
    print(f"  resident memory after the run: {rss:.1f} MiB (peak {peak:.1f} MiB; target <= 100)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
