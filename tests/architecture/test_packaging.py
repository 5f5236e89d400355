"""The wheel ships the lessons, and an installed gd-tutor finds them."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

import tutor

CHECKOUT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    proc = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(CHECKOUT)],
        capture_output=True, text=True, timeout=600,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    (found,) = out.glob("gd_tutor-*.whl")
    return found


def test_wheel_ships_lessons_and_data(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    lessons = {n for n in names if n.startswith("tutor/bundled_lessons/") and n.endswith(".md")}
    assert "tutor/bundled_lessons/README.md" in lessons
    shipped = {Path(n).name for n in lessons} - {"README.md"}
    on_disk = {p.name for p in (CHECKOUT / "lessons").glob("[0-9][0-9]-*.md")}
    assert shipped == on_disk and len(on_disk) >= 3
    assert any(n.startswith("tutor/bundled_lessons/data/") and n.endswith(".csv") for n in names)
    assert "tutor/ui/tutor.tcss" in names


def test_wheel_has_console_script(wheel: Path) -> None:
    zf = zipfile.ZipFile(wheel)
    (entry_points,) = [n for n in zf.namelist() if n.endswith("entry_points.txt")]
    assert "gd-tutor = tutor.cli:main" in zf.read(entry_points).decode()


def test_installed_package_finds_its_lessons() -> None:
    from tutor.lessons import default_lessons_dir

    found = Path(default_lessons_dir())
    assert sorted(found.glob("[0-9][0-9]-*.md")), f"no lessons in {found}"
    package = Path(tutor.__file__).resolve().parent
    if CHECKOUT not in package.parents:  # a real (non-editable) install, as in CI
        assert found.resolve() == package / "bundled_lessons"
