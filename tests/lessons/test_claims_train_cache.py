"""A lesson claims several numbers of one training run: check-lessons trains it once,
and retrains when the data file changes (never a stale number)."""

from __future__ import annotations

from pathlib import Path

import pytest

import tutor.engine
from tutor.lessons.claims import parse_claim
from tutor.lessons.recompute import evaluate_claim

RUN = 'train(data="line.csv", epochs=3000'


def _counting(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    calls: list[int] = []
    real = tutor.engine.train

    def counted(*args: object, **kwargs: object) -> object:
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(tutor.engine, "train", counted)
    return calls


def test_quantities_of_one_run_train_it_once(tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "line.csv").write_text("x,y\n0,1\n1,3\n2,5\n3,7\n", encoding="utf-8")
    calls = _counting(monkeypatch)
    for text in (RUN + ").x = 2.000", RUN + ").intercept = 1.000", RUN + ").cost = 0.000"):
        assert evaluate_claim(parse_claim(text), tmp_path).holds, text
    assert len(calls) == 1
    assert evaluate_claim(parse_claim(RUN + ", seed=1).x = 2.000"), tmp_path).holds
    assert len(calls) == 2  # other settings: another run


def test_a_changed_data_file_is_trained_again(tmp_path: Path) -> None:
    data = tmp_path / "line.csv"
    data.write_text("x,y\n0,1\n1,3\n2,5\n3,7\n", encoding="utf-8")
    assert evaluate_claim(parse_claim(RUN + ").x = 2.000"), tmp_path).holds
    data.write_text("x,y\n0,1\n1,4\n2,7\n3,10\n4,13\n", encoding="utf-8")
    assert evaluate_claim(parse_claim(RUN + ").x = 3.000"), tmp_path).holds
