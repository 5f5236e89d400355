"""Running a command as `nobody`, for tests that need a user file modes apply to (root
ignores them): the command prefix, and a folder that user can reach.

Needs root and `setpriv`; where either is missing, or this Python and the installed tutor
cannot be read by another user (a venv in a private folder, as CI's mktemp one), the
folder helper skips the test.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

NOBODY = 65534
AS_NOBODY = ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups"]
"""Put in front of a command to run it as `nobody`, with no supplementary groups."""


def nobody_can_run_the_tutor() -> bool:
    """True if this Python and the installed tutor can be run as `nobody`."""
    done = subprocess.run([*AS_NOBODY, sys.executable, "-c", "import tutor.progress"],
                          capture_output=True, timeout=60, cwd="/")
    return done.returncode == 0


def folder_for_nobody(prefix: str, purpose: str) -> Iterator[Path]:
    """Yield a fresh temp folder `nobody` can reach (pytest's tmp_path is root's alone), and
    remove it afterwards; skip, naming `purpose`, where nothing can run as `nobody`.

    For a fixture: `yield from folder_for_nobody("gd-store-", "to act as another user")`.
    """
    if os.geteuid() != 0 or shutil.which("setpriv") is None:
        pytest.skip(f"needs root and setpriv {purpose}")
    if not nobody_can_run_the_tutor():
        pytest.skip("this Python or the tutor is not readable by another user")
    folder = Path(tempfile.mkdtemp(prefix=prefix))
    folder.chmod(0o755)
    yield folder
    shutil.rmtree(folder)
