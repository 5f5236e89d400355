"""Real failures, not mocks: a store another user cannot open and a full disk leave the
store exactly as it was and the session runs on in memory, saying so once.

Permission tests run the store as `nobody` (root ignores file modes); disk-full tests
mount a small tmpfs inside a private mount namespace (`unshare -m`), which vanishes
with the process. Both need root and skip where that is not available.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from support.as_nobody import AS_NOBODY, folder_for_nobody

from tutor.progress import ProgressStore

PROBE = """
import json, sqlite3, sys
from pathlib import Path
from tutor.progress import ProgressStore

def fill(folder):  # only ever called on the private 192 KiB tmpfs
    try:
        with open(Path(folder) / "filler", "wb") as out:
            while True:
                out.write(b"\\0" * 4096)
                out.flush()
    except OSError:
        pass

folder, mode = sys.argv[1], sys.argv[2]
if mode == "fill-first":
    fill(folder)
store = ProgressStore.open(folder)
told = []
store.on_warning = told.append
seen = {"saving_at_open": getattr(store, "saving", None), "warning_at_open": store.warning,
        "lesson": store.current_lesson()}
if mode == "fill-later":
    fill(folder)
for key in ("new/one", "new/two"):
    store.record_attempt(key, {}, True)
seen.update(saving=getattr(store, "saving", None), warning=store.warning, told=told,
            completed=store.completed())
store.close()
try:
    uri = f"file:{Path(folder) / 'progress.db'}?mode=ro&immutable=1"
    on_disk = sqlite3.connect(uri, uri=True)
    seen["on_disk"] = [r[0] for r in on_disk.execute("SELECT key FROM exercises ORDER BY key")]
except Exception as exc:
    seen["on_disk"] = type(exc).__name__
seen["files"] = sorted(p.name for p in Path(folder).iterdir())
print(json.dumps(seen))
"""


def _probe(command: list[str], folder: Path, mode: str) -> dict:
    done = subprocess.run([*command, sys.executable, "-c", PROBE, str(folder), mode],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.splitlines()[-1])


def _learner(folder: Path) -> bytes:
    """A store with a lesson and one passed exercise; returns its bytes."""
    with ProgressStore.open(folder) as store:
        store.set_current_lesson("gradient-descent")
        store.record_attempt("old/one", {}, True)
    return (folder / "progress.db").read_bytes()


@pytest.fixture
def shared() -> Iterator[Path]:
    """A folder `nobody` can reach (pytest's tmp_path is root's alone)."""
    yield from folder_for_nobody("gd-store-", "to act as another user")


def test_a_store_the_learner_cannot_read_is_kept_not_moved_aside(shared: Path) -> None:
    folder = shared / "learner"
    before = _learner(folder)
    (folder / "progress.db").chmod(0o600)  # root's file: EACCES for the learner
    folder.chmod(0o777)  # ...in a folder the learner could rename it in
    seen = _probe(AS_NOBODY, folder, "open")
    assert not [p for p in folder.iterdir() if ".corrupt-" in p.name]
    assert (folder / "progress.db").read_bytes() == before
    assert seen["warning_at_open"].startswith(
        f"Progress is not being saved: {folder / 'progress.db'} cannot be opened (")
    assert seen["saving_at_open"] is False and seen["lesson"] is None
    assert seen["completed"] == ["new/one", "new/two"] and seen["told"] == []


def test_a_store_the_learner_can_only_read_is_shown_and_kept(shared: Path) -> None:
    folder = shared / "learner"
    before = _learner(folder)  # root's file and folder, both 0o755/0o644: read-only
    seen = _probe(AS_NOBODY, folder, "open")
    assert (folder / "progress.db").read_bytes() == before
    assert seen["lesson"] == "gradient-descent"
    assert seen["completed"] == ["new/one", "new/two", "old/one"]
    assert seen["warning"].startswith("Progress is not being saved") and seen["saving"] is False
    assert seen["on_disk"] == ["old/one"] and seen["files"] == ["progress.db"]


@pytest.fixture(scope="module")
def private_tmpfs() -> list[str]:
    """The command prefix that runs a program with a 192 KiB tmpfs mounted on argv[-2]."""
    if os.geteuid() != 0 or shutil.which("unshare") is None:
        pytest.skip("needs root and unshare to mount a small tmpfs")
    with tempfile.TemporaryDirectory() as probe:
        tried = subprocess.run(["unshare", "-m", "sh", "-c",
                                f"mount -t tmpfs -o size=64k tmpfs {probe}"],
                               capture_output=True, text=True, timeout=30)
    if tried.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {tried.stderr.strip()}")
    return ["unshare", "-m", "sh", "-c",
            'mount -t tmpfs -o size=192k tmpfs "$1" && cp "$2" "$1/" && shift 2 && exec "$@"',
            "sh"]


def _on_full_disk(prefix: list[str], tmp_path: Path, mode: str) -> dict:
    source = tmp_path / "source"
    _learner(source)
    mount = tmp_path / "mnt"
    mount.mkdir()
    command = [*prefix, str(mount), str(source / "progress.db")]
    return _probe(command, mount, mode)


def test_a_full_disk_at_login_keeps_the_store_and_its_progress(private_tmpfs: list[str],
                                                               tmp_path: Path) -> None:
    seen = _on_full_disk(private_tmpfs, tmp_path, "fill-first")
    assert not [name for name in seen["files"] if ".corrupt-" in name]
    assert seen["on_disk"] == ["old/one"]  # intact, where it was, not moved aside
    assert seen["lesson"] == "gradient-descent"
    assert seen["completed"] == ["new/one", "new/two", "old/one"]
    assert seen["warning_at_open"].startswith("Progress is not being saved: ")
    assert "so it is left as it is; this session starts from it" in seen["warning_at_open"]
    assert seen["saving_at_open"] is False


def test_a_full_disk_mid_session_is_told_once_and_the_session_goes_on(
        private_tmpfs: list[str], tmp_path: Path) -> None:
    seen = _on_full_disk(private_tmpfs, tmp_path, "fill-later")
    assert seen["warning_at_open"] is None and seen["on_disk"] == ["old/one"]
    assert seen["completed"] == ["new/one", "new/two", "old/one"]  # shown, though not saved
    assert len(seen["told"]) == 1 and seen["told"][0] == seen["warning"]
    assert seen["warning"].startswith("Progress is not being saved (database or disk is full)")
    assert seen["saving_at_open"] is True and seen["saving"] is False
