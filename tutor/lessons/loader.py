"""Read lesson files (`NN-slug.md`) into `Lesson`s without ever raising.

Front matter is read with YAML (libyaml's safe loader when available);
```exercise blocks become `Exercise`s where they stand; prose becomes
`MarkdownSegment`s with claims rendered to the values written. Every problem
becomes a `LessonProblem` with its real line in the file, and a broken file
never stops the others loading. This module imports neither SymPy nor the
engine, and PyYAML only on first use, so the app starts fast.

`scan_lessons` is the fast path for the app's first paint: front matter read by
a tiny parser (YAML only when that parser is unsure), no exercise YAML at all.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import tutor
from tutor.lessons.model import (
    Claim, Exercise, Lesson, LessonIndex, LessonProblem, LessonSet, LessonStub, MarkdownSegment,
    Segment,
)
from tutor.lessons.schema import LESSON_FORMAT

LESSON_GLOB = "[0-9][0-9]-*.md"
SLUG_RE = re.compile(r"[a-z0-9-]+")
_EXERCISE_FENCE = re.compile(r"^ {0,3}(?P<fence>`{3,}|~{3,})\s*exercise\s*$")
_ANY_FENCE = re.compile(r"^ {0,3}(?P<fence>`{3,}|~{3,})")
_L = TypeVar("_L", Lesson, LessonStub)


def default_lessons_dir() -> Path:
    """$GD_TUTOR_LESSONS_DIR, else the lessons shipped in the wheel, else the checkout's."""
    configured = os.environ.get("GD_TUTOR_LESSONS_DIR")
    if configured:
        return Path(configured)
    package = Path(tutor.__file__).resolve().parent
    bundled = package / "bundled_lessons"
    if bundled.is_dir():
        return bundled
    return package.parent / "lessons"


def load_lessons(directory: str | os.PathLike[str] | None = None) -> LessonSet:
    """Load every `NN-slug.md` in `directory`, ordered by `order`, collecting problems."""
    folder = Path(directory) if directory is not None else default_lessons_dir()
    if not folder.is_dir():
        return LessonSet((), (LessonProblem(folder, 0, "lesson folder not found."),), folder)
    lessons: list[Lesson] = []
    problems: list[LessonProblem] = []
    for path in sorted(folder.glob(LESSON_GLOB)):
        lesson, found = load_lesson_file(path)
        problems.extend(found)
        if lesson is not None:
            lessons.append(lesson)
    lessons = _drop_duplicates(lessons, problems)
    lessons.sort(key=lambda lesson: (lesson.order, lesson.path.name))
    return LessonSet(tuple(lessons), tuple(problems), folder)


def _drop_duplicates(lessons: list[_L], problems: list[LessonProblem]) -> list[_L]:
    kept: list[_L] = []
    slugs: dict[str, _L] = {}
    orders: dict[int, _L] = {}
    for lesson in lessons:
        if lesson.slug in slugs:
            problems.append(LessonProblem(lesson.path, _front_line(lesson.path, "slug"),
                            f"slug '{lesson.slug}' is already used by {slugs[lesson.slug].path.name};"
                            " this lesson is left out."))
            continue
        if lesson.order in orders:
            problems.append(LessonProblem(lesson.path, _front_line(lesson.path, "order"),
                            f"order {lesson.order} is already used by "
                            f"{orders[lesson.order].path.name}."))
        slugs[lesson.slug] = lesson
        orders.setdefault(lesson.order, lesson)
        kept.append(lesson)
    return kept


def _front_line(path: Path, key: str) -> int:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return 0
    return next((i + 1 for i, text in enumerate(lines) if text.startswith(f"{key}:")), 1)


@dataclass
class _FileReader:
    """State while reading one lesson file."""

    path: Path
    lines: list[str]
    problems: list[LessonProblem] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)

    def problem(self, line: int, message: str) -> None:
        self.problems.append(LessonProblem(self.path, line, message))


def _open_file(path: Path) -> _FileReader | LessonProblem:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        return LessonProblem(path, 0, "the file is not UTF-8 text.")
    except OSError as exc:
        return LessonProblem(path, 0, f"cannot read the file ({exc.strerror}).")
    return _FileReader(path, text.splitlines())


def load_lesson_file(path: Path) -> tuple[Lesson | None, list[LessonProblem]]:
    """Read one lesson file: the Lesson (None if unusable) and its problems."""
    reader = _open_file(path)
    if isinstance(reader, LessonProblem):
        return None, [reader]
    front, body_start = _front_matter(reader)
    if front is None:
        return None, reader.problems
    header = _header(reader, front)
    if header is None:
        return None, reader.problems
    segments = list(_segments(reader, body_start, header["slug"]))
    lesson = Lesson(segments=tuple(segments), path=path, claims=tuple(reader.claims), **header)
    _check_exercise_ids(reader, lesson)
    return lesson, reader.problems


def _front_matter(reader: _FileReader, quick: bool = False) -> tuple[dict[str, Any] | None, int]:
    lines = reader.lines
    if not lines or lines[0].strip() != "---":
        reader.problem(1, "no front matter: a lesson starts with a '---' line, then "
                       "title, slug, order and objectives, then '---'.")
        return None, 0
    end = next((i for i in range(1, len(lines)) if lines[i].strip() in ("---", "...")), None)
    if end is None:
        reader.problem(1, "the front matter is never closed with a '---' line.")
        return None, 0
    simple = quick_front_matter(lines[1:end]) if quick else None
    if simple is not None:
        return simple, end + 1
    from tutor.lessons.blocks import load_yaml, yaml_error_type, yaml_problem

    try:
        data = load_yaml("\n".join(lines[1:end]))
    except yaml_error_type() as exc:
        line, message = yaml_problem(exc, 2)
        reader.problem(line, f"front matter YAML: {message}.")
        return None, 0
    if not isinstance(data, dict):
        reader.problem(2, "the front matter must be 'key: value' lines (title, slug, order, ...).")
        return None, 0
    return data, end + 1


def _key_line(reader: _FileReader, key: str) -> int:
    for i, text in enumerate(reader.lines[1:], start=2):
        if text.strip() == "---":
            break
        if text.startswith(f"{key}:"):
            return i
    return 1


def _header(reader: _FileReader, front: dict[str, Any]) -> dict[str, Any] | None:
    ok = True
    for key in ("title", "slug", "order"):
        if key not in front:
            reader.problem(1, f"the front matter has no '{key}'.")
            ok = False
    title, slug, order = front.get("title"), front.get("slug"), front.get("order")
    if "title" in front and (not isinstance(title, str) or not title.strip()):
        reader.problem(_key_line(reader, "title"), "'title' must be a line of text.")
        ok = False
    if "slug" in front and (not isinstance(slug, str) or not SLUG_RE.fullmatch(slug)):
        reader.problem(_key_line(reader, "slug"),
                       f"slug {slug!r} may use only a-z, 0-9 and '-'.")
        ok = False
    if "order" in front and (not isinstance(order, int) or isinstance(order, bool)):
        reader.problem(_key_line(reader, "order"), f"'order' must be a whole number, not {order!r}.")
        ok = False
    if "format" in front and front["format"] != LESSON_FORMAT:
        reader.problem(_key_line(reader, "format"),
                       f"this lesson is written in format {front['format']!r}; this gd-tutor "
                       f"reads format {LESSON_FORMAT} (leave 'format:' out, or write "
                       f"'format: {LESSON_FORMAT}').")
        ok = False
    if not ok:
        return None
    return {"title": title.strip(), "slug": slug, "order": order,
            "objectives": _objectives(reader, front), "recap": _recap(reader, front)}


def _objectives(reader: _FileReader, front: dict[str, Any]) -> tuple[str, ...]:
    value = front.get("objectives")
    if value is None:
        reader.problem(1, "the front matter has no 'objectives' (a list of what the learner "
                       "will be able to do).")
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        reader.problem(_key_line(reader, "objectives"), "'objectives' must be a list of sentences.")
        return ()
    return tuple(v.strip() for v in value)


def _recap(reader: _FileReader, front: dict[str, Any]) -> str:
    value = front.get("recap", "")
    if not isinstance(value, str):
        reader.problem(_key_line(reader, "recap"), "'recap' must be text.")
        return ""
    return value.strip()


def _segments(reader: _FileReader, start: int, slug: str) -> Iterator[Segment]:
    prose: list[str] = []
    prose_line = start + 1
    fence: str | None = None
    i = start
    while i < len(reader.lines):
        text = reader.lines[i]
        match = _EXERCISE_FENCE.match(text) if fence is None else None
        if match:
            if "".join(prose).strip():
                yield _prose(prose, prose_line)
            exercise, i = _exercise(reader, i, match.group("fence"), slug)
            if exercise is not None:
                yield exercise
            prose, prose_line = [], i + 2
        else:
            fence = _track_fence(text, fence)
            prose.append(text if fence is not None or _ANY_FENCE.match(text)
                         else _render_claims(reader, text, i + 1))
        i += 1
    if "".join(prose).strip():
        yield _prose(prose, prose_line)


def _prose(lines: list[str], first_line: int) -> MarkdownSegment:
    """A prose segment whose `line` is that of its first non-blank line."""
    blank = next(i for i, text in enumerate(lines) if text.strip())
    return MarkdownSegment("\n".join(lines[blank:]).rstrip("\n") + "\n", first_line + blank)


def _track_fence(text: str, fence: str | None) -> str | None:
    match = _ANY_FENCE.match(text)
    if not match:
        return fence
    marker = match.group("fence")
    if fence is None:
        return marker
    closes = marker[0] == fence[0] and len(marker) >= len(fence) and text.strip() == marker
    return None if closes else fence


def _exercise(reader: _FileReader, index: int, fence: str, slug: str) -> tuple[Exercise | None, int]:
    """Read the block opening at `index`; return it and the index of its closing fence."""
    from tutor.lessons.blocks import BlockReader  # not needed by `scan_lessons`

    for end in range(index + 1, len(reader.lines)):
        text = reader.lines[end].strip()
        if text and set(text) == {fence[0]} and len(text) >= len(fence):
            block = "\n".join(reader.lines[index + 1:end])
            block_reader = BlockReader(reader.path, index + 1, block, slug,
                                       lambda text, line: _render_claims(reader, text, line))
            exercise = block_reader.read()
            reader.problems.extend(block_reader.problems)
            return exercise, end
    reader.problem(index + 1, "this exercise block is never closed; it is left out.")
    return None, len(reader.lines)


def _render_claims(reader: _FileReader, text: str, line: int) -> str:
    if "{{" not in text:
        return text
    from tutor.lessons.claims import CLAIM_RE, ClaimError, parse_claim

    def shown(match: re.Match[str]) -> str:
        try:
            claim = parse_claim(match.group(0), line)
        except ClaimError as exc:
            reader.problem(line, f"malformed claim: {exc}")
            return match.group("body").rsplit("=", 1)[-1].strip().strip("\"'")
        reader.claims.append(claim)
        return claim.written

    rendered = CLAIM_RE.sub(shown, text)
    if re.search(r"\{\{\s*claim\s*:", rendered):
        reader.problem(line, "a claim is not closed with '}}' on the same line.")
    return rendered


def _check_exercise_ids(reader: _FileReader, lesson: Lesson) -> None:
    seen: set[str] = set()
    for exercise in lesson.exercises:
        if exercise.id in seen:
            line = next((n for n in range(exercise.line + 1, len(reader.lines) + 1)
                         if reader.lines[n - 1].lstrip().startswith("id:")), exercise.line)
            reader.problem(line, f"exercise id '{exercise.id}' is used twice in "
                           "this lesson; progress would mix them up.")
        seen.add(exercise.id)


# ---- the fast path for the app's first paint ---------------------------------------------

_FRONT_KEY = re.compile(r"(?P<key>[A-Za-z_][A-Za-z0-9_]*):(?:[ \t]+(?P<value>.*))?")
_LIST_ITEM = re.compile(r"(?P<indent> *)- (?P<value>.*)")
_PLAIN_BAD_START = tuple("-?:,[]{}#&*!|<>'\"%@`~=+.0123456789")
_INTEGER = re.compile(r"0|[1-9][0-9]*")
_YAML_WORDS = {"y", "yes", "n", "no", "true", "false", "on", "off", "null"}


def scan_lessons(directory: str | os.PathLike[str] | None = None) -> LessonIndex:
    """The lessons `load_lessons` would load, as stubs, without parsing exercise YAML.

    The same files, front-matter checks and duplicate rules apply, so the same
    lessons exist in the same order; problems are those of the front matter only
    (the full load finds the rest). About ten times faster than `load_lessons`.
    """
    folder = Path(directory) if directory is not None else default_lessons_dir()
    if not folder.is_dir():
        return LessonIndex((), (LessonProblem(folder, 0, "lesson folder not found."),), folder)
    stubs: list[LessonStub] = []
    problems: list[LessonProblem] = []
    for path in sorted(folder.glob(LESSON_GLOB)):
        stub = _scan_file(path, problems)
        if stub is not None:
            stubs.append(stub)
    stubs = _drop_duplicates(stubs, problems)
    stubs.sort(key=lambda stub: (stub.order, stub.path.name))
    return LessonIndex(tuple(stubs), tuple(problems), folder)


def _scan_file(path: Path, problems: list[LessonProblem]) -> LessonStub | None:
    reader = _open_file(path)
    if isinstance(reader, LessonProblem):
        problems.append(reader)
        return None
    front, body_start = _front_matter(reader, quick=True)
    header = _header(reader, front) if front is not None else None
    problems.extend(reader.problems)
    if header is None:
        return None
    body = reader.lines[body_start:]
    fence = next((i for i, text in enumerate(body) if _EXERCISE_FENCE.match(text)), len(body))
    return LessonStub(path=path, exercise_keys=_exercise_keys(body, header["slug"]),
                      opening="\n".join(body[:fence]), **header)


def _exercise_keys(body: list[str], slug: str) -> tuple[str, ...]:
    """`slug/id` for each exercise block with a plain top-level `id:` line."""
    keys: list[str] = []
    fence: str | None = None
    for text in body:
        match = _EXERCISE_FENCE.match(text) if fence is None else None
        if match:
            fence = match.group("fence")
        elif fence is not None and text.strip() and set(text.strip()) == {fence[0]}:
            fence = None
        elif fence is not None and text.startswith("id:"):
            value = _scalar(text[3:].strip())
            if isinstance(value, str) and SLUG_RE.fullmatch(value):  # ids follow slug rules
                keys.append(f"{slug}/{value}")
    return tuple(keys)


def quick_front_matter(lines: list[str]) -> dict[str, Any] | None:
    """Front matter of simple `key: value` lines and `- item` lists, or None if unsure.

    Whenever it returns a dict, `yaml.safe_load` of the same lines gives an equal
    one; anything it does not fully understand (flow lists, comments, numbers
    other than plain integers, escapes, continuation lines) gives None, and the
    caller falls back to YAML.
    """
    data: dict[str, Any] = {}
    listing: str | None = None  # the key whose `- item` lines may follow
    indent: str | None = None  # the indent of its items, fixed by the first one
    for text in (line.rstrip() for line in lines):
        item = _LIST_ITEM.fullmatch(text)
        if not text or (item and listing is not None):
            if item and not _add_item(data, listing, item, indent):
                return None
            indent = item.group("indent") if item else indent
            continue
        entry = _FRONT_KEY.fullmatch(text)
        if entry is None or entry.group("key") in data:
            return None
        raw = (entry.group("value") or "").strip()
        value = _scalar(raw) if raw else None
        if raw and value is None:
            return None
        data[entry.group("key")] = value
        listing, indent = (None if raw else entry.group("key")), None
    return data or None  # YAML reads nothing at all as None


def _add_item(data: dict[str, Any], key: str | None, item: re.Match[str],
              indent: str | None) -> bool:
    """Append a `- value` line to the list under `key`; False when unsure."""
    value = _scalar(item.group("value").strip())
    if key is None or value is None or (indent is not None and item.group("indent") != indent):
        return False
    if data[key] is None:
        data[key] = []
    data[key].append(value)
    return True


def _scalar(text: str) -> str | int | None:
    """A one-line YAML scalar that is surely a string or a plain integer, else None."""
    if len(text) >= 2 and text[0] == text[-1] == '"':
        inner = text[1:-1]
        return None if '"' in inner or "\\" in inner else inner
    if len(text) >= 2 and text[0] == text[-1] == "'":
        inner = text[1:-1]
        return None if "'" in inner.replace("''", "") else inner.replace("''", "'")
    if _INTEGER.fullmatch(text):
        return int(text)
    if (not text or text.startswith(_PLAIN_BAD_START) or ": " in text or " #" in text
            or text.endswith(":") or "\t" in text or text.lower() in _YAML_WORDS):
        return None
    return text
