"""The authoring guide's example lesson passes check-lessons, as the guide promises."""

from __future__ import annotations

import re
from pathlib import Path

from tutor.lessons import load_lessons
from tutor.practice.review import check_lessons

GUIDE = Path(__file__).resolve().parents[2] / "lessons" / "README.md"


def _example() -> str:
    text = GUIDE.read_text(encoding="utf-8")
    match = re.search(r"<!-- example-lesson -->\n~~~~markdown\n(.*?)\n~~~~\n<!-- /example-lesson -->",
                      text, re.DOTALL)
    assert match, "the guide has lost its marked example lesson"
    return match.group(1) + "\n"


def test_the_guides_example_lesson_passes_check_lessons(tmp_path: Path) -> None:
    (tmp_path / "01-steps-too-big.md").write_text(_example(), encoding="utf-8")
    assert [str(p) for p in check_lessons(tmp_path)] == []
    (lesson,) = load_lessons(tmp_path).lessons
    kinds = [e.kind for e in lesson.exercises]
    assert kinds == ["step", "run", "compare", "numeric"] and len(lesson.claims) == 4


def test_the_example_would_be_caught_if_it_lied(tmp_path: Path) -> None:
    broken = _example().replace(".nit = 40}}", ".nit = 41}}")
    (tmp_path / "01-steps-too-big.md").write_text(broken, encoding="utf-8")
    (problem,) = check_lessons(tmp_path)
    assert "claim says 41 but the engine computes 40" in problem.message


def test_the_guide_is_not_loaded_as_a_lesson() -> None:
    assert all(lesson.path.name != "README.md" for lesson in load_lessons(GUIDE.parent).lessons)


def test_the_guides_sample_claims_are_true() -> None:
    from tutor.lessons.claims import parse_claim
    from tutor.lessons.recompute import evaluate_claim

    samples = [line.strip() for line in GUIDE.read_text(encoding="utf-8").splitlines()
               if line.startswith("    {{claim:")]
    assert len(samples) == 8
    for text in samples:
        outcome = evaluate_claim(parse_claim(text), GUIDE.parent / "data")
        assert outcome.holds, outcome.message


def _model_example() -> str:
    text = GUIDE.read_text(encoding="utf-8")
    match = re.search(r"<!-- example-model-fit -->\n~~~~markdown\n(.*?)\n~~~~\n"
                      r"<!-- /example-model-fit -->", text, re.DOTALL)
    assert match, "the guide has lost its marked model-fit example"
    return match.group(1) + "\n"


def test_the_guides_model_fit_example_passes_check_lessons(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "xor.csv").write_bytes((GUIDE.parent / "data" / "xor.csv").read_bytes())
    lesson = ("---\ntitle: XOR\nslug: xor\norder: 1\nobjectives: [Train a network.]\n---\n\n"
              "# XOR\n\n" + _model_example())
    (tmp_path / "01-xor.md").write_text(lesson, encoding="utf-8")
    assert [str(p) for p in check_lessons(tmp_path)] == []
    (exercise,) = load_lessons(tmp_path).lessons[0].exercises
    assert exercise.goal == {"accuracy_at_least": 1} and exercise.editable == ("hidden", "seed")
