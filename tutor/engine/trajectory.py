"""The recorded trajectory of a run, stored as flat `array('d')` columns and viewed lazily.

Appending two floats per iteration to typed arrays costs a fraction of
building a list or tuple per point, which keeps a run close to the speed of a
hand-written loop; `Trajectory` turns the columns into points only when asked.
(It was called `Path`, which read like `pathlib.Path`; `DescentResult.path` keeps
its name because the public JSON says `path`.)
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import overload


@dataclass(frozen=True)
class TrajectoryPoint:
    """One recorded point: the position (one value per variable) and the cost there."""

    x: tuple[float, ...]
    cost: float


class Trajectory(Sequence[TrajectoryPoint]):
    """A read-only sequence of TrajectoryPoint over column arrays; `len(path) == nit + 1`."""

    def __init__(self, columns: Sequence[array], costs: array,
                 gradient_at: Callable[[tuple[float, ...]], list[float]]) -> None:
        self._columns = tuple(columns)
        self._costs = costs
        self._gradient_at = gradient_at

    def __len__(self) -> int:
        return len(self._costs)

    @overload
    def __getitem__(self, index: int) -> TrajectoryPoint: ...

    @overload
    def __getitem__(self, index: slice) -> list[TrajectoryPoint]: ...

    def __getitem__(self, index: int | slice) -> TrajectoryPoint | list[TrajectoryPoint]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        cost = self._costs[index]
        return TrajectoryPoint(tuple(column[index] for column in self._columns), cost)

    def __iter__(self) -> Iterator[TrajectoryPoint]:
        for i in range(len(self)):
            yield self[i]

    def __repr__(self) -> str:
        return f"Trajectory({len(self)} points)"

    @property
    def costs(self) -> list[float]:
        """The cost at every recorded point, start included."""
        return self._costs.tolist()

    def column(self, j: int) -> list[float]:
        """Every recorded value of variable number `j` (0-based, alphabetical order)."""
        return self._columns[j].tolist()

    @property
    def points(self) -> list[tuple[float, ...]]:
        """Every recorded position as a tuple."""
        return list(zip(*(c.tolist() for c in self._columns)))

    @property
    def gradients(self) -> list[list[float]]:
        """The gradient at every recorded point (recomputed on demand with the same code)."""
        return [self._gradient_at(point) for point in self.points]
