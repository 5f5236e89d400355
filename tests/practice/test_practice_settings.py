"""Reading typed inputs once, and running them once: one sentence for every bad field."""

from __future__ import annotations

from pathlib import Path

import pytest

from tutor.lessons.model import Exercise
from tutor.lessons.schema import MAX_COMPARE, MAX_ITERATIONS
from tutor.practice import DataPolicy, DescentSettings, Hooks, InputProblem, read, run
from tutor.practice.running import CHUNK, one_sentence
from tutor.practice.settings import compare_list, read_descent

GOOD = {"function": "x^2", "start": "3", "learning_rate": "0.1", "iterations": "100",
        "precision": "0.0001", "method": "gd"}


def test_read_descent_reads_the_typed_strings() -> None:
    settings = read_descent(None, GOOD | {"start": "-1.2, 1", "method": "Adam",
                                          "function": "x^2 + y^2"})
    assert settings == DescentSettings("x^2 + y^2", (-1.2, 1.0), 0.1, 100, 0.0001, "adam")


@pytest.mark.parametrize("typed", ["-1 2", "(-1, 2)", "-1;2", "[-1,2]", " -1 ,  2 "])
def test_every_way_of_typing_a_start_reads_the_same(typed: str) -> None:
    assert read_descent(None, GOOD | {"function": "x^2+y^2", "start": typed}).start == (-1.0, 2.0)


@pytest.mark.parametrize(("key", "value", "sentence"), [
    ("learning_rate", "fast", "The learning rate must be a number, like 0.1, not 'fast'."),
    ("learning_rate", "-1", "The learning rate must be greater than 0, like 0.1."),
    ("start", "", "The start needs a number for each variable, like 3 or -1.2,1."),
    ("iterations", "2.5", f"The iteration limit must be a whole number from 1 to "
                          f"{MAX_ITERATIONS:,}, not '2.5'."),
    ("iterations", str(MAX_ITERATIONS + 1), f"The iteration limit must be a whole number from 1 "
                                            f"to {MAX_ITERATIONS:,}, not '{MAX_ITERATIONS + 1}'."),
    ("method", "sgd", "The method must be one of gd, momentum, nesterov, adagrad, rmsprop, adam, "
                      "not 'sgd'."),
    ("function", " ", "Type a function first, for example x^2."),
    ("precision", "nan", "The precision must be a finite number, not 'nan'."),
    ("start", "1,2", "This function has 1 variable (x), so the start needs 1 number, like 1."),
])
def test_bad_input_is_one_sentence_naming_the_field(key: str, value: str, sentence: str) -> None:
    with pytest.raises(InputProblem) as caught:
        read_descent(None, GOOD | {key: value})
    assert str(caught.value) == sentence
    assert caught.value.field == key


def test_blank_fields_mean_the_kinds_defaults() -> None:
    settings = read_descent(None, GOOD | {"iterations": "", "precision": " ", "method": ""})
    assert (settings.iterations, settings.precision, settings.method) == (100, 1e-4, "gd")
    assert read_descent(None, GOOD | {"precision": "0"}).precision == 0.0  # never stop early


def test_a_field_the_learner_may_not_edit_is_read_from_the_exercise() -> None:
    exercise = Exercise(id="e", lesson_slug="t", function="x^2", start=(3.0,),
                        learning_rate=0.123456789, editable=("iterations",),
                        goal={"converge_within": 50})
    typed = GOOD | {"learning_rate": "0.123457", "function": "x^4", "iterations": "7"}
    settings = read_descent(exercise, typed)
    assert settings.learning_rate == 0.123456789 and settings.function == "x^2"
    assert settings.iterations == 7


def test_compare_list_takes_rates_or_methods_and_is_capped() -> None:
    assert compare_list("0.01, 0.1;0.5") == ((0.01, 0.1, 0.5), ())
    assert compare_list("gd, Adam") == ((), ("gd", "adam"))
    with pytest.raises(InputProblem):
        compare_list("gd, 0.1x")
    with pytest.raises(InputProblem) as too_many:
        compare_list(",".join(["0.1"] * (MAX_COMPARE + 1)))
    assert str(too_many.value) == f"Compare at most {MAX_COMPARE} learning rates or methods at once."


def test_a_run_matches_the_engine_and_can_be_cancelled_between_chunks() -> None:
    outcome = run(read(None, GOOD, "run"))
    assert outcome.result.status == "converged" and outcome.result.nit == 40
    asked: list[int] = []
    seen: list[tuple[int, int]] = []
    hooks = Hooks(cancelled=lambda: len(asked) >= 3 or bool(asked.append(1)),
                  progress=lambda done, total: seen.append((done, total)))
    total = CHUNK * 10
    stopped = run(read(None, GOOD | {"precision": "0", "iterations": str(total)}, "run"), hooks)
    assert stopped.result.status == "stopped"
    assert stopped.result.nit == 4 * CHUNK and len(stopped.result.path) == 4 * CHUNK + 1
    assert seen == [(CHUNK, total), (2 * CHUNK, total), (3 * CHUNK, total)]
    quick = run(read(None, GOOD | {"precision": "0", "iterations": "500"}, "run"),
                Hooks(cancelled=lambda: True))  # a run shorter than a chunk finishes regardless
    assert quick.result.status == "max_iterations" and quick.result.nit == 500


def test_engine_parse_error_is_one_sentence() -> None:
    with pytest.raises(ValueError) as caught:
        read(None, GOOD | {"function": "x^^2"}, "run")
    sentence = one_sentence(caught.value)
    assert sentence.endswith(".") and "\n" not in sentence and "Traceback" not in sentence


def test_data_policy_prefers_the_lessons_data_folder(tmp_path: Path) -> None:
    (tmp_path / "a.csv").write_text("x,y\n1,2\n")
    assert DataPolicy().find("a.csv", tmp_path) == tmp_path / "a.csv"
    with pytest.raises(InputProblem) as missing:
        DataPolicy().find("b.csv", tmp_path)
    assert str(missing.value) == ("There is no data file 'b.csv'. The lesson data files are a.csv."
                                  f" A file of your own: its full path, or a path from {Path.cwd()}.")
    with pytest.raises(InputProblem) as served:  # in a class the server's folders are not said
        DataPolicy(served=True).find("b.csv", tmp_path)
    assert str(served.value).endswith("are a.csv.")


def test_a_served_policy_keeps_fits_to_the_lesson_and_learner_folders(tmp_path: Path) -> None:
    lessons, learner, other = (tmp_path / n for n in ("lessons", "learner", "other"))
    for folder in (lessons, learner, other):
        folder.mkdir()
        (folder / f"{folder.name}.csv").write_text("x,y\n1,2\n2,3\n")
    served = DataPolicy(served=True, learner_folder=learner)
    assert served.find("lessons.csv", lessons) == lessons / "lessons.csv"
    assert served.find("learner.csv", lessons) == learner / "learner.csv"
    for typed in (str(other / "other.csv"), "../other/other.csv"):
        with pytest.raises(InputProblem) as refused:
            served.find(typed, lessons)
        assert "In a class only the lesson data files" in str(refused.value)
    assert DataPolicy().find(str(other / "other.csv"), lessons) == other / "other.csv"


def test_every_public_name_is_what_it_says_even_after_every_module_is_loaded() -> None:
    """A submodule named like an exported function would replace it once imported."""
    import importlib
    import types

    import tutor.practice as practice

    for module in set(practice._HOMES.values()):
        importlib.import_module(f"tutor.practice.{module}")
    for name in practice._HOMES:
        assert not isinstance(getattr(practice, name), types.ModuleType), name
