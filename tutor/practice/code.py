"""Code exercises: read the learner's source once, run it once in the sandbox, judge that run.

The learner's code NEVER runs in this process: `run_code_attempt` hands it to
`tutor.sandbox.run_code`, which returns only numbers (or one sentence per case).
The engine's numbers for the same cases, and the catalogued mistakes' numbers (our
own code), are computed here beside it, so `judge_code` only compares.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from tutor.practice.codechecks import CHECKS, as_numbers, difference, same
from tutor.practice.codeerrors import explain
from tutor.practice.codelines import timeout_question
from tutor.practice.mistakes import CATALOGUE, for_check, forms_of, where_to_look
from tutor.practice.settings import InputProblem
from tutor.wording import plural

if TYPE_CHECKING:
    from tutor.lessons.model import CodeSpec, Exercise
    from tutor.practice.datafiles import DataPolicy

MAX_CODE = 64_000
WALL_S = 2.0
"""How long one case may run before the loop is ended and the learner told so."""


@dataclass(frozen=True)
class CodeSettings:
    """The learner's source, the exercise's code spec, and how strictly it is isolated."""

    source: str
    spec: CodeSpec
    isolate: str = "auto"
    editable: tuple[str, ...] | None = ("code",)


@dataclass(frozen=True)
class CaseRun:
    """One case: what the learner's function gave (numbers or one sentence, with its line)
    and the engine's numbers for it."""

    case: Mapping[str, Any]
    expected: tuple[float, ...]
    value: Any = None
    error: str | None = None
    kind: str = "ok"
    line: int | None = None
    printed: str = ""


@dataclass(frozen=True)
class CodeOutcome:
    """Every case of one run, the mistakes' numbers on the same cases, and the isolation."""

    settings: CodeSettings
    cases: tuple[CaseRun, ...]
    mistakes: Mapping[str, tuple[tuple[list[float], ...], ...]]  # key: each form's numbers
    isolated: bool = False
    note: str | None = None
    seconds: float = 0.0
    result: Any = None


def read_code(exercise: Exercise, inputs: Mapping[str, Any],
              policy: DataPolicy | None = None) -> CodeSettings:
    """The source to run (the typed code; blank: nothing to run yet)."""
    if exercise.code is None:
        raise InputProblem("This exercise has no code to check.", "code")
    source = inputs.get("code")
    if not isinstance(source, str) or not source.strip():
        raise InputProblem(f"Write your {exercise.code.entry}() first, then run it.", "code")
    if len(source) > MAX_CODE:
        raise InputProblem(f"Your code is longer than {MAX_CODE:,} characters; shorten it.",
                           "code")
    served = bool(policy is not None and policy.served)
    return CodeSettings(source, exercise.code, "require" if served else "auto")


def expected_and_mistakes(spec: CodeSpec) -> tuple[tuple[tuple[float, ...], ...],
                                                   dict[str, tuple[tuple[list[float], ...], ...]]]:
    """The engine's numbers for every case, and the numbers of each applicable mistake's
    forms (main form first; a mistake with no finite numbers on these cases is left out)."""
    check = CHECKS[spec.check]
    expected = tuple(tuple(check.expected(case)) for case in spec.cases)
    found = {}
    for mistake in for_check(spec.check):
        forms = forms_of(mistake, spec.cases)
        if forms:
            found[mistake.key] = forms
    return expected, found


def run_code_attempt(settings: CodeSettings,
                     cancelled: Callable[[], bool] | None = None) -> CodeOutcome:
    """Run the learner's function on every case in the sandbox (one child for the run;
    killed at once when `cancelled()` turns true, then one sentence says so)."""
    from tutor.sandbox import SandboxError, run_code

    spec = settings.spec
    check = CHECKS[spec.check]
    expected, mistakes = expected_and_mistakes(spec)
    try:
        run = run_code(settings.source, spec.entry,
                       [{"args": check.args(case)} for case in spec.cases], wall_s=WALL_S,
                       isolate=settings.isolate, spare=True,  # type: ignore[arg-type]
                       cancelled=cancelled)
    except SandboxError as exc:
        raise InputProblem(_sentence(str(exc)), "code") from None
    cases = tuple(CaseRun(case, want, r.value, r.error, r.kind, r.line, r.printed)
                  for case, want, r in zip(spec.cases, expected, run.cases))
    return CodeOutcome(settings, cases, mistakes, run.isolated, run.note, run.seconds)


def outcome_from_numbers(spec: CodeSpec, values: tuple[Any, ...],
                         source: str = "") -> CodeOutcome:
    """An outcome as if a function (written as `source`) had returned `values`
    (check-lessons judges mistakes so)."""
    expected, mistakes = expected_and_mistakes(spec)
    if CHECKS[spec.check].shape == "number":
        values = tuple(v[0] if isinstance(v, list) and len(v) == 1 else v for v in values)
    cases = tuple(CaseRun(case, want, value)
                  for case, want, value in zip(spec.cases, expected, values))
    return CodeOutcome(CodeSettings(source, spec), cases, mistakes, isolated=True)


def judge_code(exercise: Exercise, outcome: CodeOutcome) -> Any:
    """PASS when every case's numbers are the engine's; else the first problem in words,
    the mistake named when the learner's numbers are a catalogued mistake's."""
    from tutor.practice.verdicts import Verdict

    check = CHECKS[outcome.settings.spec.check]
    got: list[list[float]] = []
    for run in outcome.cases:
        if run.kind == "timeout":
            said = timeout_question(outcome.settings.source, f"{WALL_S:g}", bool(run.printed))
            return Verdict(False, _sentence(said),
                           diagnosis="code_timeout")
        if run.kind != "ok":
            said = run.error or "your code did not run"
            if run.kind == "error":
                said = explain(outcome.settings.source, said, run.line) or said
            return Verdict(False, _sentence(said), diagnosis=f"code_{run.kind}")
        numbers = as_numbers(run.value, check.shape)
        if isinstance(numbers, str):
            return Verdict(False, _sentence(numbers), diagnosis="code_shape")
        got.append(numbers)
    for run, numbers in zip(outcome.cases, got):
        if difference(check, run.case, numbers, run.expected):
            return _mistaken(check, run, numbers, got, outcome)
    return Verdict(True, f"Your {outcome.settings.spec.entry}() gives the engine's numbers on "
                   f"{_all_cases(len(outcome.cases))}.", explain=exercise.explain)


def _all_cases(count: int) -> str:
    """'its one case', 'both cases', 'all 3 cases'."""
    return {1: "its one case", 2: "both cases"}.get(count, f"all {plural(count, 'case')}")


def _mistaken(check: Any, run: CaseRun, numbers: list[float], got: list[list[float]],
              outcome: CodeOutcome) -> Any:
    """The first difference, and the catalogued mistake whose numbers the learner's match
    (then the mistake says where to look, instead of the difference's general advice)."""
    from tutor.practice.verdicts import Verdict

    for key in _in_judging_order(outcome):
        forms = outcome.mistakes[key]
        if any(all(same(mine, theirs) for mine, theirs in zip(got, form)) for form in forms):
            mistake, spec = CATALOGUE[key], outcome.settings.spec
            said = difference(check, run.case, numbers, run.expected, advise=False)
            look = where_to_look(mistake, outcome.settings.source, spec.reference)
            return Verdict(False, f"{said} That is a known mistake: {mistake.title}. {look}",
                           diagnosis=key)
    return Verdict(False, difference(check, run.case, numbers, run.expected),
                   diagnosis="code_differs")


def _in_judging_order(outcome: CodeOutcome) -> list[str]:
    """The mistakes to compare with: those told by the code's shape first (only when the
    learner's code has that shape: their numbers are also another mistake's), then the rest."""
    source = outcome.settings.source
    shaped = [key for key in outcome.mistakes if CATALOGUE[key].only_if_found]
    found = [key for key in shaped if CATALOGUE[key].finder(source)]  # type: ignore[misc]
    return found + [key for key in outcome.mistakes if key not in shaped]


def _sentence(text: str) -> str:
    text = text.strip()
    text = text[:1].upper() + text[1:]
    return text if text.endswith((".", "?", "!")) else text + "."
