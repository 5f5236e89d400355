"""The lesson model: what the loader produces and the UI, checks and CLI read.

Plain frozen dataclasses with no maths in them, so that importing the model is
cheap (no SymPy, no engine) and the app can paint its first screen at once.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, TypeVar, Union

@dataclass(frozen=True)
class LessonProblem:
    """Something wrong in a lesson file, at a 1-based line (0 when no line applies)."""

    path: Path
    line: int
    message: str

    def __str__(self) -> str:
        """`file:line: message`, the way compilers report problems."""
        return f"{self.path}:{self.line}: {self.message}"


@dataclass(frozen=True)
class Claim:
    """A number the prose states, written `{{claim: source(args).quantity = value}}`.

    `written` is the value text exactly as the author wrote it (what the reader
    sees); `source`, `args` and `quantity` say how `check-lessons` recomputes it.
    """

    source: str
    args: Mapping[str, str | float]
    quantity: str | None
    written: str
    text: str
    line: int = 0


@dataclass(frozen=True)
class MarkdownSegment:
    """A run of markdown prose between exercises, with claims rendered to values."""

    text: str
    line: int = 1


@dataclass(frozen=True)
class ExplainCase:
    """An explanation shown after a pass only when its condition holds for the run the
    learner made: the start within `start_between`, the end near `end_near`, the rate
    within `rate_between` (each optional; none at all is the fallback)."""

    text: str
    start_between: tuple[float, float] | None = None
    end_near: tuple[float, ...] | None = None
    rate_between: tuple[float, float] | None = None
    tolerance: float = 0.01
    line: int = 0


@dataclass(frozen=True)
class CodeSpec:
    """What a code exercise gives and checks: the `starter` the editor opens with, the
    `entry` function the learner keeps (its `signature` shown), the `cases` it is run on
    (mappings of numbers and formulas: function, start, rate, precision, iterations, or
    xs, ys, slope, intercept), the `reference` solution (must pass), the catalogue keys
    of the `mistakes` check-lessons must see diagnosed, and the `check` that compares."""

    entry: str
    cases: tuple[Mapping[str, Any], ...]
    reference: str
    starter: str = ""
    signature: str = ""
    mistakes: tuple[str, ...] = ()
    check: str = "path"


@dataclass(frozen=True)
class Exercise:
    """One interactive exercise, read from a fenced ```exercise YAML block.

    Numbers are already converted: `start` is a tuple of floats (or None when the
    kind needs no run), `learning_rate`/`precision` floats, `iterations` an int.
    A fit's model settings (`x` features, `y`, `model`, `batch_size`, `epochs`, `seed`,
    `l2`, `test_fraction`, `hidden`; schema.MODEL_FIELDS) are kept as written, None when
    unset: the practice layer reads them (fit_fields.py) and says what is wrong.
    """

    id: str
    lesson_slug: str
    kind: str = "run"
    prompt: str = ""
    function: str | None = None
    start: tuple[float, ...] | None = None
    learning_rate: float | None = None
    iterations: int = 100
    precision: float = 1e-4
    method: str = "gd"
    editable: tuple[str, ...] = ()
    goal: Mapping[str, Any] = field(default_factory=dict)
    hints: tuple[str, ...] = ()
    solution: Mapping[str, Any] = field(default_factory=dict)
    wrong: tuple[Mapping[str, Any], ...] = ()
    wrong_notes: tuple[str, ...] = ()
    compare: Mapping[str, Any] | None = None
    line: int = 0
    options: tuple[str, ...] = ()
    option_notes: tuple[str, ...] = ()
    data: str | None = None
    scale: bool = True
    explain: str = ""
    explain_when: tuple[ExplainCase, ...] = ()
    path: Path | None = None
    code: CodeSpec | None = None
    x: Any = None
    y: Any = None
    model: Any = None
    batch_size: Any = None
    epochs: Any = None
    seed: Any = None
    l2: Any = None
    test_fraction: Any = None
    hidden: Any = None

    @property
    def key(self) -> str:
        """The progress key, `lesson-slug/exercise-id`."""
        return f"{self.lesson_slug}/{self.id}"


Segment = Union[MarkdownSegment, Exercise]


class _Numbered(Protocol):
    @property
    def slug(self) -> str: ...

    @property
    def order(self) -> int: ...


L = TypeVar("L", bound=_Numbered)


@dataclass(frozen=True)
class Lesson:
    """One lesson file: front matter plus its segments in reading order."""

    slug: str
    title: str
    order: int
    objectives: tuple[str, ...]
    path: Path
    segments: tuple[Segment, ...]
    recap: str = ""
    claims: tuple[Claim, ...] = ()

    @property
    def exercises(self) -> tuple[Exercise, ...]:
        """The lesson's exercises in reading order."""
        return tuple(s for s in self.segments if isinstance(s, Exercise))

    @property
    def number(self) -> int:
        """The number a learner types (`gd-tutor lesson 3`): the lesson's `order`."""
        return self.order


def find_lesson(lessons: Sequence[L], wanted: str | int) -> L | None:
    """The lesson with this slug or number (`order`; "5" and "05" both work), or None."""
    text = str(wanted).strip()
    number = int(text) if text.isdigit() else None
    for lesson in lessons:
        if lesson.slug == text or lesson.order == number:
            return lesson
    return None


@dataclass(frozen=True)
class LessonSet:
    """Every lesson that loaded (ordered by `order`) and every problem found on the way."""

    lessons: tuple[Lesson, ...]
    problems: tuple[LessonProblem, ...]
    directory: Path

    def find(self, wanted: str | int) -> Lesson | None:
        """The lesson with this slug or number (`order`; "5" and "05" both work), or None."""
        return find_lesson(self.lessons, wanted)

    @property
    def data_dir(self) -> Path:
        """Where `data:` files of fit exercises and claims are looked up."""
        return self.directory / "data"


@dataclass(frozen=True)
class LessonStub:
    """What the first screen needs of a lesson, read without YAML or exercise parsing.

    `scan_lessons` makes these from the front matter (the same checks as
    `load_lessons`, so the same lessons exist) and a quick look at the body:
    `exercise_keys` are the plain `id:` lines of the exercise blocks and
    `opening` is the markdown before the first exercise, claims not rendered.
    """

    slug: str
    title: str
    order: int
    objectives: tuple[str, ...]
    path: Path
    exercise_keys: tuple[str, ...] = ()
    opening: str = ""
    recap: str = ""

    @property
    def number(self) -> int:
        """The number a learner types: the lesson's `order`."""
        return self.order


@dataclass(frozen=True)
class LessonIndex:
    """The lessons as `scan_lessons` found them: stubs in order and front-matter problems."""

    lessons: tuple[LessonStub, ...]
    problems: tuple[LessonProblem, ...]
    directory: Path

    def find(self, wanted: str | int) -> LessonStub | None:
        """The stub with this slug or number, like `LessonSet.find`."""
        return find_lesson(self.lessons, wanted)
