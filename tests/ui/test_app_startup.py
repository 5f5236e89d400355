"""The first screen paints before SymPy is imported; the engine warms up in the background."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

PROBE = r"""
import asyncio, json, sys
import textual.app as textual_app
from tutor.ui.app import TutorApp

seen = {}
original = textual_app.App._display

def display(self, screen, renderable):
    if renderable is not None and not self._batch_count and "first_paint" not in seen:
        seen["first_paint"] = {"sympy": "sympy" in sys.modules,
                               "engine": "tutor.engine" in sys.modules,
                               "screen": type(screen).__name__}
    return original(self, screen, renderable)

textual_app.App._display = display

async def main():
    app = TutorApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await app.screen.loaded.wait()
        await app.workers.wait_for_complete()
        await pilot.pause()
        seen["after_warm_up"] = {"sympy": "sympy" in sys.modules, "ready": app.engine_ready}

asyncio.run(main())
print(json.dumps(seen))
"""


def test_first_paint_comes_before_sympy(data_dir: Path, lessons_dir: Path) -> None:
    done = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True,
                          timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen["first_paint"] == {"sympy": False, "engine": False, "screen": "TutorScreen"}
    assert seen["after_warm_up"] == {"sympy": True, "ready": True}
