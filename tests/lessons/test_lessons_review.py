"""check_lessons: reference solutions pass, wrong answers fail, claims hold, lines are right."""

from __future__ import annotations

from pathlib import Path

from tutor.lessons import default_lessons_dir
from tutor.practice.review import check_lessons, review_lessons

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def _marked(path: Path) -> set[int]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return {i for i, text in enumerate(lines, start=1) if "PROBLEM" in text}


def test_good_lessons_pass_every_check() -> None:
    review = review_lessons(FIXTURES / "good")
    assert review.problems == ()
    assert review.summary() == "3 lessons, 5 exercises, 7 claims: all checks pass."


def test_every_unsound_exercise_and_claim_is_reported_at_its_line() -> None:
    path = FIXTURES / "unsound" / "01-unsound.md"
    problems = check_lessons(FIXTURES / "unsound")
    assert {p.line for p in problems} == _marked(path)
    assert all(p.path == path for p in problems)
    assert len(problems) == len(_marked(path))


def test_messages_name_the_exercise_and_the_reason() -> None:
    messages = {p.line: p.message for p in check_lessons(FIXTURES / "unsound")}
    assert messages[10].startswith("claim says 41 but the engine computes 40:")
    assert messages[22] == ("exercise 'loose-goal': the wrong answer {learning_rate: 0.3} passes, "
                            "so the goal is too loose: Converged in 12 updates; the goal was "
                            "100 or fewer.")
    assert messages[32] == ("exercise 'failing-solution': the reference solution fails: "
                            "Converged in 40 updates, but the goal is 10 or fewer. Try a "
                            "learning rate of 0.4: that converges in 8 updates.")
    assert messages[38].startswith("exercise 'bad-function': the function does not parse:")
    assert messages[49] == ("exercise 'bad-start': start has 1 number but the function has "
                            "2 variables.")
    assert "solution sets 'start', which the learner cannot edit" in messages[63]
    assert messages[72] == "exercise 'bad-choice': goal choice must be 1 to 3."
    assert "unknown method 'sgd'" in messages[81]
    assert "data file 'nowhere.csv' is not in lessons/data/" in messages[90]


def test_a_wrong_answer_that_passes_is_caught(tmp_path: Path) -> None:
    text = (FIXTURES / "good" / "02-too-far.md").read_text(encoding="utf-8")
    # 1.5 diverges on x^2, so it cannot be a wrong answer to "make it diverge".
    (tmp_path / "02-too-far.md").write_text(
        text.replace("wrong: [{learning_rate: 0.5}]", "wrong: [{learning_rate: 1.2}]"),
        encoding="utf-8")
    (problem,) = check_lessons(tmp_path)
    assert problem.line == 19
    assert "the wrong answer {learning_rate: 1.2} passes" in problem.message


def test_loader_problems_and_stray_files_are_included() -> None:
    review = review_lessons(FIXTURES / "broken")
    names = {(p.path.name, p.line) for p in review.problems}
    assert ("notes.md", 0) in names and ("01-no-front.md", 1) in names
    assert ("03-bad-exercises.md", 56) in names
    assert review.summary() == "2 lessons, 2 exercises, 1 claim: 13 problems."


def test_problems_are_sorted_by_file_then_line() -> None:
    problems = check_lessons(FIXTURES / "broken")
    keys = [(str(p.path), p.line) for p in problems]
    assert keys == sorted(keys)


def test_an_empty_folder_is_a_problem(tmp_path: Path) -> None:
    (problem,) = check_lessons(tmp_path)
    assert "no lesson files" in problem.message


def test_the_shipped_lessons_pass() -> None:
    review = review_lessons(default_lessons_dir())
    assert [str(p) for p in review.problems] == []
    assert len(review.lesson_set.lessons) >= 3 and review.claim_count > 0
