"""Reading and running a fit with the model settings: the CLI's path through the practice layer."""

from __future__ import annotations

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
