"""Reading and running a fit with the model settings: the CLI's path through the practice layer."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from tutor.lessons.schema import FIELDS, MAX_FEATURES, MODEL_FIELDS, MODELS
from tutor.practice import Hooks, InputProblem, read, run

DATA = Path(__file__).resolve().parents[2] / "lessons" / "data"
LONGLEY = str(DATA / "longley.csv")


def test_a_line_fit_stays_a_line_fit() -> None:
    settings = read(None, {"data": LONGLEY}, "fit")
    assert not settings.trains_model and settings.model == "linear"
    assert type(run(settings).result).__name__ == "FitResult"


def test_model_fields_are_read_and_run_by_train() -> None:
    inputs = {"data": LONGLEY, "x_columns": ["gnp", "year"], "y_column": "employed",
              "epochs": "40", "batch_size": "4", "seed": "3", "l2": "0.01",
              "test_fraction": "0.25"}
    settings = read(None, inputs, "fit")
    assert settings.trains_model and settings.x_columns == ("gnp", "year")
    assert (settings.epochs, settings.batch_size, settings.seed) == (40, 4, 3)
    outcome = run(settings)
    assert outcome.result.names == ("gnp", "year") and outcome.result.epochs == 40
    assert outcome.result.nit == 40 * 3 and len(outcome.result.test_costs) == 41
    assert outcome.data.y_name == "employed"


def test_a_cancelled_model_run_stops_after_one_epoch() -> None:
    settings = read(None, {"data": LONGLEY, "x_columns": ["gnp", "year"], "epochs": "500"},
                    "fit")
    outcome = run(settings, Hooks(cancelled=lambda: True))
    assert outcome.result.status == "stopped" and outcome.result.epochs == 1


@pytest.mark.parametrize(("key", "value", "words"), [
    ("model", "probit", "The model must be linear or logistic"),
    ("batch_size", "0", "The batch size must be a whole number 1 or more"),
    ("batch_size", "2.5", "The batch size must be a whole number"),
    ("epochs", "0", "The number of epochs must be a whole number from 1"),
    ("seed", "-1", "The seed must be a whole number from 0"),
    ("l2", "-0.1", "The l2 penalty must be 0 or more"),
    ("l2", "lots", "The l2 penalty must be a number"),
    ("test_fraction", "0.95", "The test fraction must be from 0 to 0.9"),
    ("hidden", "1", "A hidden layer needs 2 to 8 units"),
    ("hidden", "9", "number of hidden units must be a whole number from 0 to 8"),
])
def test_bad_model_fields_are_one_sentence_naming_the_field(key: str, value: str,
                                                            words: str) -> None:
    with pytest.raises(InputProblem, match=words) as caught:
        read(None, {"data": LONGLEY, key: value}, "fit")
    assert caught.value.field == key


def test_scaling_off_is_only_for_a_line() -> None:
    with pytest.raises(InputProblem, match="scaling can be off only for a line") as caught:
        read(None, {"data": LONGLEY, "scale": "false", "epochs": "10"}, "fit")
    assert caught.value.field == "scale"


def test_the_schema_names_the_engines_models_and_limits() -> None:
    from tutor.engine import MODELS as ENGINE_MODELS
    from tutor.engine.table import MAX_FEATURES as ENGINE_MAX

    assert MODELS == ENGINE_MODELS and MAX_FEATURES == ENGINE_MAX
    assert all(key in FIELDS for key in MODEL_FIELDS)


def test_a_lesson_blocks_model_fields_reach_the_settings(tmp_path: Path) -> None:
    from tutor.lessons import load_lessons

    (tmp_path / "01-m.md").write_text(
        "---\ntitle: M\nslug: m\norder: 1\nobjectives: [o]\n---\n\n```exercise\nid: net\n"
        "kind: fit\ndata: xor.csv\nx: [a, b]\ny: label\nmodel: logistic\nhidden: 3\n"
        "batch_size: 2\nepochs: 20\nseed: 4\nl2: 0.01\ntest_fraction: 0\n"
        "goal: {stop_at_limit: true}\nsolution: {}\nwrong: []\n```\n\n"
        "```exercise\nid: not-a-fit\nfunction: x^2\nstart: 3\nhidden: 3\n"
        "goal: {converge_within: 100}\nsolution: {}\nwrong: []\n```\n")
    loaded = load_lessons(tmp_path)
    net, plain = loaded.lessons[0].exercises
    assert (net.x, net.y, net.model, net.hidden, net.batch_size) == (["a", "b"], "label",
                                                                      "logistic", 3, 2)
    assert plain.hidden is None
    assert [p.message for p in loaded.problems] == [
        "'hidden' is a setting of a fit; this is a 'run' exercise."]
    (tmp_path / "data").mkdir()  # a lesson's data are looked up beside it
    (tmp_path / "data" / "xor.csv").write_text((DATA / "xor.csv").read_text())
    settings = read(net, {}, "fit")
    assert settings.trains_model and settings.x_columns == ("a", "b") and settings.hidden == 3
    assert (settings.batch_size, settings.epochs, settings.seed, settings.l2) == (2, 20, 4, 0.01)
    assert run(settings).result.nit == 20 * 2


def test_step_mode_on_a_model_replays_the_very_update_a_full_run_makes() -> None:
    from tutor.engine import load_table_csv, train
    from tutor.practice import ModelStepper

    inputs = {"data": str(DATA / "passed.csv"), "model": "logistic", "batch_size": "8",
              "epochs": "3", "seed": "7"}
    table = load_table_csv(DATA / "passed.csv")
    steps: list = []
    train(table.columns, table.ys, model="logistic", batch_size=8, epochs=3, seed=7,
          on_batch=steps.append)
    stepper = ModelStepper()
    walked = [stepper.next(None, inputs).step for _ in range(len(steps))]
    assert walked == steps  # 3 epochs of 4 batches (30 rows: 8, 8, 8, 6)
    over = stepper.next(None, inputs)
    assert over.step is None and over.updates == 12
    assert stepper.next(None, inputs).step == steps[0]  # a walk that ended starts again
    assert stepper.next(None, {**inputs, "seed": "8"}).step.update == 1  # new inputs: afresh


def test_step_mode_on_a_line_fit_says_so_in_one_sentence() -> None:
    from tutor.practice import ModelStepper

    with pytest.raises(InputProblem, match="steps through a model's batches"):
        ModelStepper().next(None, {"data": LONGLEY})


def test_a_model_in_training_is_shown_at_most_every_snapshot_interval(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from tutor.practice import running

    seen: list = []
    monkeypatch.setattr(running, "SNAPSHOT_S", 0.0)  # every epoch
    settings = read(None, {"data": str(DATA / "xor.csv"), "x_columns": ["a", "b"],
                           "y_column": "label", "model": "logistic", "hidden": "2",
                           "epochs": "6"}, "fit")
    outcome = run(settings, Hooks(snapshot=seen.append))
    assert [len(s.train_costs) for s in seen] == [1, 2, 3, 4, 5, 6]
    assert list(seen[-1].train_costs) == outcome.result.train_costs[1:]
    assert seen[-1].report.predict([[0, 1]]) == outcome.result.predict([[0, 1]])
    seen.clear()
    monkeypatch.setattr(running, "SNAPSHOT_S", 3600.0)
    run(settings, Hooks(snapshot=seen.append))
    assert seen == []


def test_a_long_training_s_pictures_stay_small_and_name_their_epochs(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A picture after 3,000 epochs holds at most SNAPSHOT_POINTS costs, the first and the
    latest among them, each with the epoch it follows (the interface redraws every picture:
    one the size of the whole run froze it for seconds after 100,000 epochs)."""
    from tutor.practice import running

    seen: list = []
    monkeypatch.setattr(running, "SNAPSHOT_S", 0.0)
    monkeypatch.setattr(running, "SNAPSHOT_POINTS", 50)
    settings = read(None, {"data": str(DATA / "xor.csv"), "x_columns": ["a", "b"],
                           "y_column": "label", "model": "logistic", "hidden": "2",
                           "epochs": "3000", "precision": "1e-15"}, "fit")
    outcome = run(settings, Hooks(snapshot=seen.append))
    costs = outcome.result.train_costs  # [0] is before the first epoch
    assert len(seen) == 3000 and len(costs) == 3001
    for picture in seen:
        epoch = picture.report.epoch
        assert len(picture.at) == len(picture.train_costs) == min(epoch, 50)
        assert picture.at[0] == 1 and picture.at[-1] == epoch
        assert list(picture.at) == sorted(set(picture.at))
        assert all(cost == costs[at] for at, cost in zip(picture.at, picture.train_costs))


def test_progress_is_reported_at_most_every_progress_interval() -> None:
    from tutor.practice import running

    told: list[tuple[float, int]] = []
    settings = read(None, {"data": str(DATA / "xor.csv"), "x_columns": ["a", "b"],
                           "y_column": "label", "model": "logistic", "hidden": "2",
                           "epochs": "20000", "precision": "1e-15"}, "fit")
    started = time.monotonic()
    run(settings, Hooks(progress=lambda done, total: told.append((time.monotonic(), done))))
    took = time.monotonic() - started
    gaps = [b[0] - a[0] for a, b in zip(told, told[1:])]
    assert told and len(told) <= took / running.PROGRESS_S + 1
    assert min(gaps, default=running.PROGRESS_S) >= running.PROGRESS_S * 0.99
    assert [done for _, done in told] == sorted({done for _, done in told})
