"""Which CSV files a fit may read: the data-file policy, handed in by the app or the server.

On a learner's own machine a fit reads the lessons' data files or any path they
type. Served to a class, only the lessons' data folder and the learner's own
data folder may be read, whatever the path says (`..`, absolute paths, links).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from tutor.practice.problems import InputProblem

LEARNER_ENV = "GD_TUTOR_LEARNER"
"""Set by `gd-tutor serve` for each learner's tutor."""
DATA_DIR_ENV = "GD_TUTOR_DATA_DIR"


@dataclass(frozen=True)
class DataPolicy:
    """Where fit data may come from. `served`: kept to the lessons' and the learner's
    folders; `learner_folder`: the learner's own data folder (searched when served)."""

    served: bool = False
    learner_folder: Path | None = None

    @classmethod
    def from_environment(cls) -> DataPolicy:
        """The policy a `gd-tutor` process was started with (the server sets the learner)."""
        folder = os.environ.get(DATA_DIR_ENV)
        return cls(served=bool(os.environ.get(LEARNER_ENV)),
                   learner_folder=Path(folder) if folder else None)

    def folders(self, lessons_data: Path | None) -> list[Path]:
        """The folders searched for a relative name, in order."""
        found = [lessons_data] if lessons_data is not None else []
        if self.served and self.learner_folder is not None:
            found.append(self.learner_folder)
        return found

    def resolve(self, typed: str, lessons_data: Path | None) -> Path:
        """The path a typed name means: the lessons' data folder first, else as typed;
        InputProblem when serving and it lies outside the allowed folders."""
        name = str(typed).strip()
        path = Path(name) if self.served else Path(name).expanduser()
        found = path
        if not path.is_absolute():
            for folder in self.folders(lessons_data):
                if (folder / path).is_file():
                    found = folder / path
                    break
            else:
                found = path if path.exists() or lessons_data is None else lessons_data / path
        if self.served and not self._allowed(found, lessons_data):
            raise InputProblem("In a class only the lesson data files (like anscombe1.csv) and "
                               "files in your own data folder can be fitted.", "data")
        return found

    def find(self, typed: str, lessons_data: Path | None) -> Path:
        """`resolve`, then InputProblem naming the lesson data files when nothing is there."""
        path = self.resolve(typed, lessons_data)
        if path.exists():
            return path
        shipped = (sorted(p.name for p in path.parent.glob("*.csv"))
                   if path.parent.is_dir() else [])
        files = f" The lesson data files are {', '.join(shipped)}." if shipped else ""
        own = "" if self.served else f" A file of your own: its full path, or a path from {Path.cwd()}."
        raise InputProblem(f"There is no data file '{str(typed).strip()}'.{files}{own}", "data")

    def _allowed(self, path: Path, lessons_data: Path | None) -> bool:
        target = path.resolve() if path.is_absolute() else (Path.cwd() / path).resolve()
        return any(target.is_relative_to(folder.resolve())
                   for folder in self.folders(lessons_data))
