"""Turn one fenced ```exercise YAML block into an `Exercise`, noting every problem.

Problems carry the real line in the lesson file: the line of the offending key
inside the block when it can be found, else the block's opening fence.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tutor.lessons.codeblock import read_code_spec
from tutor.lessons.goals import misfit
from tutor.lessons.model import Exercise, ExplainCase, LessonProblem
from tutor.lessons.schema import (
    BLOCK_KEYS, EDITABLE_FIELDS, EXERCISE_KINDS, GOAL_KEYS, INPUT_KEYS, MAX_HINTS, MODEL_FIELDS,
    defaults_for, kind_rule,
)

ID_RE = re.compile(r"[a-z0-9-]+")
if TYPE_CHECKING:  # PyYAML is imported on first use: the app paints before it is needed
    import yaml



def load_yaml(text: str) -> Any:
    """`yaml.safe_load` semantics, with libyaml's CSafeLoader when PyYAML was built with it.

    Raises `yaml.YAMLError` like `safe_load`; the C loader is about four times faster.
    """
    import yaml

    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # noqa: S506


def yaml_error_type() -> type[Exception]:
    """`yaml.YAMLError`, imported on first use."""
    import yaml

    return yaml.YAMLError


class BlockError(ValueError):
    """A problem that makes the exercise unusable (it is left out of the lesson)."""

    def __init__(self, message: str, key: str | None = None, line: int | None = None) -> None:
        super().__init__(message)
        self.key = key
        self.line = line


class BlockReader:
    """Reads one exercise block; `problems` collects what is wrong but not fatal."""

    def __init__(self, path: Path, fence_line: int, text: str, lesson_slug: str,
                 render: Callable[[str, int], str] | None = None) -> None:
        self.path = path
        self.fence_line = fence_line
        self.lines = text.splitlines()
        self.lesson_slug = lesson_slug
        self.problems: list[LessonProblem] = []
        self.render = render or (lambda text, line: text)

    def line_of(self, key: str | None) -> int:
        """The file line where `key:` appears in the block (else the fence line)."""
        if key:
            pattern = re.compile(rf"^\s*(?:-\s*)?{re.escape(key)}\s*:")
            for offset, text in enumerate(self.lines):
                if pattern.match(text):
                    return self.fence_line + 1 + offset
        return self.fence_line

    def note(self, message: str, key: str | None = None) -> None:
        """Record a problem that still lets the exercise load."""
        self.problems.append(LessonProblem(self.path, self.line_of(key), message))

    def read(self) -> Exercise | None:
        """The Exercise, or None (with a problem recorded) when it cannot be used."""
        try:
            return self._rendered(self._build(self._mapping()))
        except BlockError as exc:
            line = exc.line if exc.line is not None else self.line_of(exc.key)
            self.problems.append(LessonProblem(self.path, line, str(exc)))
            return None

    def _rendered(self, exercise: Exercise) -> Exercise:
        """Claims in the prompt, hints, options and explanation, shown as their values."""
        def show(text: str, key: str) -> str:
            return self.render(text, self.line_of(key)) if "{{" in text else text

        prompt_key = "prompt" if self.line_of("prompt") != self.fence_line else "question"
        return replace(exercise, prompt=show(exercise.prompt, prompt_key),
                       explain=show(exercise.explain, "explain"),
                       explain_when=tuple(replace(c, text=show(c.text, "text"))
                                          for c in exercise.explain_when),
                       hints=tuple(show(h, "hints") for h in exercise.hints),
                       options=tuple(show(o, "options") for o in exercise.options),
                       option_notes=tuple(show(n, "options") for n in exercise.option_notes),
                       wrong_notes=tuple(show(n, "wrong") for n in exercise.wrong_notes))

    def _mapping(self) -> Mapping[str, Any]:
        try:
            data = load_yaml("\n".join(self.lines))
        except yaml_error_type() as exc:
            line, message = yaml_problem(exc, self.fence_line + 1)
            raise BlockError(f"exercise YAML: {message}; the exercise is left out until it "
                             "is fixed.", line=line) from None
        if not isinstance(data, dict):
            raise BlockError("an exercise block must hold 'key: value' lines (YAML mapping).")
        return data

    def _build(self, data: Mapping[str, Any]) -> Exercise:
        code_kind = data.get("kind") == "code"
        for key in () if code_kind else ("solution", "wrong"):
            if key not in data:
                self.note(f"the exercise has no '{key}:' (check-lessons runs it to prove the "
                          "goal can be met and is not met by mistake).")
        for key in data:
            if key not in BLOCK_KEYS:
                self.note(f"unknown exercise key '{key}' (known: {', '.join(sorted(BLOCK_KEYS))}).",
                          str(key))
        kind = str(data.get("kind", "run"))
        if kind not in EXERCISE_KINDS:
            raise BlockError(f"unknown exercise kind '{kind}' (use {', '.join(EXERCISE_KINDS)}).",
                             "kind")
        defaults = defaults_for(kind)
        exercise = Exercise(
            id=self._id(data), lesson_slug=self.lesson_slug, kind=kind,
            prompt=str(data.get("prompt", data.get("question", "")) or "").strip(),
            function=self._function(data, kind), start=self._start(data, kind),
            learning_rate=self._positive(data, "learning_rate", None),
            iterations=int(self._positive(data, "iterations", defaults["iterations"],
                                          integer=True) or defaults["iterations"]),
            precision=self._positive(data, "precision", defaults["precision"])
            or defaults["precision"],
            method=str(data.get("method", defaults["method"])), editable=self._editable(data),
            goal=self._goal(data, kind), hints=self._hints(data),
            solution=self._inputs(data.get("solution"), "solution") or {},
            wrong=self._wrong(data), wrong_notes=self._wrong_notes(data),
            compare=self._compare(data, kind),
            line=self.fence_line, options=self._options(data, kind),
            option_notes=self._option_notes(data),
            data=self._data(data, kind), scale=self._bool(data, "scale", True),
            explain=self._explain_text(data), explain_when=self._explain_cases(data),
            path=self.path, code=read_code_spec(data, self.note, BlockError) if code_kind
            else None, **self._model_fields(data, kind),
        )
        return _with_code_inputs(exercise)

    def _model_fields(self, data: Mapping[str, Any], kind: str) -> dict[str, Any]:
        """A fit's model settings as written (the practice layer checks their values)."""
        given = {key: data[key] for key in MODEL_FIELDS if data.get(key) is not None}
        if given and kind != "fit":
            self.note(f"'{next(iter(given))}' is a setting of a fit; this is a '{kind}' "
                      "exercise.", next(iter(given)))
            return {}
        return given

    def _id(self, data: Mapping[str, Any]) -> str:
        value = data.get("id")
        if value is None:
            raise BlockError("the exercise has no 'id:' (e.g. id: first-run).")
        text = str(value)
        if not ID_RE.fullmatch(text):
            raise BlockError(f"exercise id '{text}' may use only a-z, 0-9 and '-'.", "id")
        return text

    def _function(self, data: Mapping[str, Any], kind: str) -> str | None:
        value = data.get("function")
        if value is None:
            if "function" in kind_rule(kind).needs:
                raise BlockError(f"a '{kind}' exercise needs a 'function:'.")
            return None
        return str(value)

    def _start(self, data: Mapping[str, Any], kind: str) -> tuple[float, ...] | None:
        value = data.get("start")
        if value is None:
            if "start" in kind_rule(kind).needs:
                raise BlockError(f"a '{kind}' exercise needs a 'start:' point.")
            return None
        try:
            return parse_point(value)
        except ValueError as exc:
            raise BlockError(str(exc), "start") from None

    def _positive(self, data: Mapping[str, Any], key: str, default: float | None,
                  *, integer: bool = False) -> float | None:
        value = _yaml_number(data.get(key))
        if value is None:
            return default
        ok = isinstance(value, (int, float)) and not isinstance(value, bool)
        if ok and integer:
            ok = float(value).is_integer()
        if not ok or not math.isfinite(value) or value <= 0:
            what = "a whole number" if integer else "a number"
            self.note(f"'{key}' must be {what} above 0, not {value!r}.", key)
            return default
        return float(value)

    def _bool(self, data: Mapping[str, Any], key: str, default: bool) -> bool:
        value = data.get(key, default)
        if not isinstance(value, bool):
            self.note(f"'{key}' must be true or false.", key)
            return default
        return value

    def _editable(self, data: Mapping[str, Any]) -> tuple[str, ...]:
        value = data.get("editable", [])
        names = [value] if isinstance(value, str) else value
        if not isinstance(names, list):
            self.note("'editable' must be a list of field names.", "editable")
            return ()
        for name in names:
            if name not in EDITABLE_FIELDS:
                self.note(f"'{name}' cannot be editable (use {', '.join(EDITABLE_FIELDS)}).",
                          "editable")
        return tuple(str(n) for n in names if n in EDITABLE_FIELDS)

    def _goal(self, data: Mapping[str, Any], kind: str) -> Mapping[str, Any]:
        goal = data.get("goal") or {}
        if not isinstance(goal, dict):
            raise BlockError("'goal' must be a mapping such as 'converge_within: 50'.", "goal")
        for key in goal:
            if key not in GOAL_KEYS:
                self.note(f"unknown goal '{key}' (use {', '.join(GOAL_KEYS)}).", str(key))
        if kind == "code":  # judged by its cases: its function's numbers against the engine's
            return dict(goal) or {"code": "matches the engine"}
        needed = kind_rule(kind).needs_goal
        if needed and needed not in goal:
            raise BlockError(f"a '{kind}' exercise needs 'goal: {{{needed}: ...}}'.", "goal")
        if not any(k in goal for k in GOAL_KEYS if k != "tolerance"):
            raise BlockError("the exercise has no goal, so it can never be passed.", "goal")
        wrong = misfit(kind, data)
        if wrong is not None:
            key, why = wrong
            line = self.line_of(key)
            raise BlockError(f"lesson '{self.lesson_slug}', exercise '{data.get('id')}': the "
                             f"goal '{key}' makes no sense here: {why}.", key,
                             self.line_of("goal") if line == self.fence_line else line)
        return dict(goal)

    def _hints(self, data: Mapping[str, Any]) -> tuple[str, ...]:
        hints = data.get("hints") or []
        if isinstance(hints, str):
            hints = [hints]
        if not isinstance(hints, list):
            self.note("'hints' must be a list of sentences.", "hints")
            return ()
        if len(hints) > MAX_HINTS:
            self.note(f"{len(hints)} hints; at most {MAX_HINTS} are allowed.", "hints")
        return tuple(str(h).strip() for h in hints)

    def _inputs(self, value: Any, key: str) -> dict[str, Any] | None:
        if value is None:
            return None
        if not isinstance(value, dict):
            self.note(f"'{key}' must be a mapping such as {{learning_rate: 0.4}}.", key)
            return None
        for name in value:
            if name not in INPUT_KEYS:
                self.note(f"'{key}' sets unknown field '{name}'.", key)
        return dict(value)

    def _wrong_items(self, data: Mapping[str, Any]) -> list[Any]:
        value = data.get("wrong")
        return value if isinstance(value, list) else ([] if value is None else [value])

    def _wrong(self, data: Mapping[str, Any]) -> tuple[Mapping[str, Any], ...]:
        items = [{k: v for k, v in item.items() if k != "why"} if isinstance(item, dict) else item
                 for item in self._wrong_items(data)]
        found = (self._inputs(item, "wrong") for item in items)
        return tuple(item for item in found if item is not None)

    def _wrong_notes(self, data: Mapping[str, Any]) -> tuple[str, ...]:
        """A known wrong answer's own explanation (`why:`), said when a learner gives it."""
        notes = tuple(str(item.get("why", "") or "").strip() if isinstance(item, dict) else ""
                      for item in self._wrong_items(data) if isinstance(item, dict))
        return notes if any(notes) else ()

    def _compare(self, data: Mapping[str, Any], kind: str) -> Mapping[str, Any] | None:
        value = data.get("compare")
        if kind != "compare":
            return None if value is None else dict(value) if isinstance(value, dict) else None
        if not isinstance(value, dict) or not (
                isinstance(value.get("learning_rates"), list)
                or isinstance(value.get("methods"), list)):
            raise BlockError("a 'compare' exercise needs 'compare: {learning_rates: [..]}' "
                             "or 'compare: {methods: [..]}'.", "compare")
        return dict(value)

    def _options(self, data: Mapping[str, Any], kind: str) -> tuple[str, ...]:
        value = data.get("options")
        if kind != "choice" and value is None:
            return ()
        if not isinstance(value, list) or len(value) < 2:
            raise BlockError("a choice needs 'options:' with at least two entries.", "options")
        return tuple(str(v.get("text", "")) if isinstance(v, dict) else str(v) for v in value)

    def _option_notes(self, data: Mapping[str, Any]) -> tuple[str, ...]:
        """Each option's own explanation, said when a learner picks it (`{text, why}` entries;
        a plain string has none)."""
        value = data.get("options")
        if not isinstance(value, list):
            return ()
        notes = []
        for item in value:
            if isinstance(item, dict):
                if set(item) - {"text", "why"} or not str(item.get("text", "")).strip():
                    self.note("an option is a text, or {text: ..., why: ...}.", "options")
                notes.append(str(item.get("why", "") or "").strip())
            else:
                notes.append("")
        return tuple(notes) if any(notes) else ()

    def _explain_text(self, data: Mapping[str, Any]) -> str:
        value = data.get("explain", "")
        return "" if isinstance(value, list) else str(value or "").strip()

    def _explain_cases(self, data: Mapping[str, Any]) -> tuple[ExplainCase, ...]:
        """`explain:` as a list of `{text, start_between, end_near, rate_between, tolerance}`:
        the first whose conditions hold for the passing run is shown."""
        value = data.get("explain")
        if not isinstance(value, list):
            return ()
        cases = []
        for item in value:
            if not isinstance(item, dict) or not str(item.get("text", "")).strip():
                self.note("each 'explain:' case needs a 'text:' (and optional 'start_between', "
                          "'end_near', 'rate_between', 'tolerance').", "explain")
                continue
            unknown = set(item) - {"text", "start_between", "end_near", "rate_between",
                                   "tolerance"}
            if unknown:
                self.note(f"unknown explain condition '{sorted(unknown)[0]}'.", "explain")
            try:
                cases.append(ExplainCase(
                    str(item["text"]).strip(), _pair(item.get("start_between")),
                    _point(item.get("end_near")), _pair(item.get("rate_between")),
                    float(item.get("tolerance", 0.01)), self.line_of("explain")))
            except (TypeError, ValueError):
                self.note("explain conditions must be numbers, like start_between: [0, 2].",
                          "explain")
        return tuple(cases)

    def _data(self, data: Mapping[str, Any], kind: str) -> str | None:
        value = data.get("data")
        if kind == "fit" and not value:
            raise BlockError("a 'fit' exercise needs 'data:' naming a CSV file in lessons/data/.")
        return None if value is None else str(value)


def _with_code_inputs(exercise: Exercise) -> Exercise:
    """A code exercise's one field is its code, and its reference is its solution."""
    if exercise.code is None:
        return exercise
    return replace(exercise, editable=("code",), solution={"code": exercise.code.reference})


def yaml_problem(exc: yaml.YAMLError | Exception, first_line: int) -> tuple[int, str]:
    """The file line and a readable message for a YAML error in text starting at `first_line`.

    The line is where the broken construct starts (an unclosed bracket) when
    PyYAML knows it, else where it noticed the problem.
    """
    problem_mark = getattr(exc, "problem_mark", None)
    context_mark = getattr(exc, "context_mark", None)
    mark = context_mark or problem_mark
    line = first_line + (mark.line if mark else 0)
    message = str(getattr(exc, "problem", None) or "invalid YAML")
    context = getattr(exc, "context", None)
    if context:
        message = f"{context}, {message}"
    if problem_mark is not None and mark is not problem_mark:
        noticed = first_line + problem_mark.line
        if noticed != line:
            message += f" on line {noticed}"
    return line, message


def _yaml_number(value: Any) -> Any:
    """PyYAML reads `1e-3` as text; turn such text back into a number."""
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            return value
    return value


def _pair(value: Any) -> tuple[float, float] | None:
    if value is None:
        return None
    low, high = (float(v) for v in value)
    return (low, high)


def _point(value: Any) -> tuple[float, ...] | None:
    if value is None:
        return None
    return tuple(float(v) for v in (value if isinstance(value, (list, tuple)) else [value]))


def parse_point(value: Any) -> tuple[float, ...]:
    """A start point from YAML or a learner: `3`, `[-1.2, 1]` or `"-1.2, 1"`."""
    if isinstance(value, bool):
        raise ValueError("a start point must be numbers, not true/false.")
    if isinstance(value, (int, float)):
        parts: list[Any] = [value]
    elif isinstance(value, (list, tuple)):
        parts = list(value)
    else:
        parts = [p for p in str(value).replace(";", ",").split(",")]
    try:
        point = tuple(float(p) for p in parts)
    except (TypeError, ValueError):
        raise ValueError(f"'{value}' is not a start point: give numbers separated "
                         "by commas, like 3 or -1.2, 1.") from None
    if not point or not all(math.isfinite(v) for v in point):
        raise ValueError(f"'{value}' is not a start point: give finite numbers, like 3.")
    return point
