"""`train(...)` claims: lessons about models state numbers that check-lessons recomputes."""

from __future__ import annotations

from pathlib import Path

import pytest

from tutor.engine import load_table_csv, train
from tutor.lessons.claims import ClaimError, parse_claim
from tutor.lessons.recompute import evaluate_claim

DATA = Path(__file__).resolve().parents[2] / "lessons" / "data"
TWO = 'train(data="longley.csv", x="gnp,year", y="employed", epochs=2000'


def engine_value(quantity: str, **kwargs: object) -> object:
    table = load_table_csv(DATA / "longley.csv", ["gnp", "year"], "employed")
    result = train(table.columns, table.ys, names=table.x_names, epochs=2000, **kwargs)
    if quantity in result.names:
        return result.coefficients[result.names.index(quantity)]
    return getattr(result, quantity)


@pytest.mark.parametrize(("claim", "quantity", "kwargs"), [
    (TWO + ").gnp", "gnp", {}),
    (TWO + ").cost", "cost", {}),
    (TWO + ", test=0.25, seed=1).test_cost", "test_cost", {"test_fraction": 0.25, "seed": 1}),
    (TWO + ", batch=4, seed=2, l2=0.1).intercept", "intercept",
     {"batch_size": 4, "seed": 2, "l2": 0.1}),
    (TWO + ").status", "status", {}),
])
def test_train_claims_hold_with_the_engines_value_and_not_another(claim: str, quantity: str,
                                                                  kwargs: dict) -> None:
    value = engine_value(quantity, **kwargs)
    written = value if isinstance(value, str) else f"{value:.6g}"
    assert evaluate_claim(parse_claim(f"{claim} = {written}"), DATA).holds
    if not isinstance(value, str):
        assert not evaluate_claim(parse_claim(f"{claim} = {value * 1.5 + 1:.6g}"), DATA).holds


def test_train_claims_that_cannot_be_computed_say_why() -> None:
    logistic = 'train(data="longley.csv", x="gnp", y="employed", model=logistic).accuracy = 1'
    assert "needs every y to be 0 or 1" in evaluate_claim(parse_claim(logistic), DATA).message
    network = 'train(data="longley.csv", x="gnp", y="employed", hidden=2, epochs=5).gnp = 1'
    assert "no quantity 'gnp'" in evaluate_claim(parse_claim(network), DATA).message
    with pytest.raises(ClaimError, match="needs data="):
        parse_claim('train(x="a").cost = 1')
    with pytest.raises(ClaimError, match="has no argument 'speed'"):
        parse_claim('train(data="longley.csv", speed=2).cost = 1')
