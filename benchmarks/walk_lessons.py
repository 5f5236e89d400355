"""Walk every shipped lesson with the keyboard, as a learner would, at 60x20 and 80x24.

    python benchmarks/walk_lessons.py [--size 60x20] ...

f3 from each exercise to the next (the cursor must land in it, wholly on screen, marked
without colour, no button cut off), ctrl+n from lesson to lesson, NO_COLOR=1. Prints
each problem found and the time taken. The suite walks a sample of the lessons
(tests/ui/test_walk_lessons.py, whose checks this reuses); this walks them all.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "ui"))
from test_walk_lessons import walk  # noqa: E402 - the test's walk and checks


def main() -> int:
    """Walk at each size asked for (default both); exit 1 if anything was found."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", action="append", help="COLSxROWS (default 60x20 and 80x24)")
    args = parser.parse_args()
    os.environ["NO_COLOR"] = "1"
    found_any = False
    for size in args.size or ["60x20", "80x24"]:
        cols, rows = (int(n) for n in size.split("x"))
        start = time.monotonic()
        with tempfile.TemporaryDirectory() as data:
            found = asyncio.run(walk((cols, rows), Path(data)))
        print(f"{size}: {len(found)} problems, {time.monotonic() - start:.0f} s")
        for problem in found:
            print(f"  {problem}")
        found_any = found_any or bool(found)
    return 1 if found_any else 0


if __name__ == "__main__":
    raise SystemExit(main())
