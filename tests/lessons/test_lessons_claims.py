"""Claims: parsed by a tokenizer (never evaluated as code), matched by written decimals."""

from __future__ import annotations

from pathlib import Path

import pytest

from tutor.lessons.claims import ClaimError, parse_claim, tokenize
from tutor.lessons.recompute import evaluate_claim, matches

DATA = Path(__file__).resolve().parent / "fixtures" / "good" / "data"


def test_parse_a_run_claim() -> None:
    claim = parse_claim('{{claim: run(f="(1-x)^2 + 100(y-x^2)^2", start="-1.2,1", lr=0.001, '
                        'iterations=5000, method=adam).y = 1.00}}', line=7)
    assert claim.source == "run" and claim.quantity == "y" and claim.written == "1.00"
    assert claim.args == {"f": "(1-x)^2 + 100(y-x^2)^2", "start": "-1.2,1", "lr": 0.001,
                          "iterations": 5000.0, "method": "adam"}
    assert claim.line == 7


def test_parse_claims_without_a_quantity() -> None:
    claim = parse_claim('{{claim: deriv(f="x^4 - 3x^3 + 2", at=0) = 0}}')
    assert (claim.source, claim.quantity, claim.written) == ("deriv", None, "0")


@pytest.mark.parametrize(("text", "message"), [
    ('run(f="x^2", start=3 lr=0.1).nit = 40', "expected ',' but found 'lr'"),
    ('walk(f="x^2").nit = 3', "unknown claim source 'walk'"),
    ('run(f="x^2", speed=3).nit = 3', "run() has no argument 'speed'"),
    ('run(f="x^2").nit', "expected '=' but found the end"),
    ('run(f="x^2").nit = ', "needs a value after '='"),
    ('run(start=3).nit = 4', 'run() needs f="...", the function'),
    ('lstsq().slope = 1', 'lstsq() needs data="file.csv"'),
    ('run(f="x^2").nit = 4 5', "unexpected '5' after the claimed value"),
    ('run(f=__import__("os")).nit = 1', "expected ',' but found '('"),
    ('run(f="x^2"); import os', "cannot read the claim at '; import os'"),
])
def test_malformed_claims_are_one_sentence(text: str, message: str) -> None:
    with pytest.raises(ClaimError) as caught:
        parse_claim(text)
    assert message in str(caught.value)


def test_tokenizer_kinds() -> None:
    assert tokenize('run(lr=-1.5e-3, m=adam, f="x")') == [
        ("word", "run"), ("punct", "("), ("word", "lr"), ("punct", "="), ("number", "-1.5e-3"),
        ("punct", ","), ("word", "m"), ("punct", "="), ("word", "adam"), ("punct", ","),
        ("word", "f"), ("punct", "="), ("string", '"x"'), ("punct", ")")]


@pytest.mark.parametrize(("computed", "written", "expected"), [
    (40, "40", True), (41, "40", False), (40.4, "40", True), (40.6, "40", False),
    (0.5004, "0.500", True), (0.5006, "0.500", False), (0.49951, "0.500", True),
    (0.0003988, "0.000", True), (1.23e-5, "1.2e-5", True), (1.3e-5, "1.2e-5", False),
    ("diverged", "diverged", True), ("converged", "diverged", False),
    (True, "true", True), (float("nan"), "0", False), ("diverged", "0", False),
])
def test_matches_by_written_decimals(computed: object, written: str, expected: bool) -> None:
    assert matches(computed, written) is expected


@pytest.mark.parametrize(("text", "holds"), [
    ('run(f="x^2", start=3, lr=0.1).nit = 40', True),
    ('run(f="x^2", start=3, lr=0.1).nit = 39', False),
    ('run(f="x^2", start=3, lr=1.1).status = diverged', True),
    ('run(f="x^2", start=3, lr=0.1, iterations=1).x = 2.4', True),
    ('run(f="x^2", start=3, lr=0.1, iterations=1).x = 2.5', False),
    ('run(f="x^2 + y^2", start="3,4", lr=0.1, iterations=1).y = 3.2', True),
    ('run(f="x^2", start=3, lr=0.01, iterations=10).status = max_iterations', True),
    ('deriv(f="x^4 - 3x^3 + 2", at=0) = 0', True),
    ('deriv(f="x^2 + 3y", at="1,5", wrt=y) = 3', True),
    ('deriv(f="x^2", at=3) = 6', True),
    ('deriv(f="x^2", at=3) = 5', False),
    ('value(f="x^2", at=3) = 9', True),
    ('value(f="x^2 + y^2", at="3,4") = 25', True),
    ('lstsq(data="study.csv").intercept = 1.17', True),
    ('lstsq(data="study.csv").slope = 1.970', True),
    ('fit(data="study.csv", iterations=5000).slope = 1.970', True),
    ('fit(data="study.csv", iterations=2).status = max_iterations', True),
])
def test_claims_are_recomputed_by_the_engine(text: str, holds: bool) -> None:
    outcome = evaluate_claim(parse_claim(text), DATA)
    assert outcome.holds is holds, outcome.message


@pytest.mark.parametrize(("text", "message"), [
    ('value(f="x^^2", at=1) = 1', "claim cannot be computed: unexpected '^'"),
    ('value(f="x^2", at="1,2") = 1', "at= gives 2 numbers but the function has 1 variable."),
    ('run(f="x^2", start=3).speed = 1', "a run has no quantity 'speed'"),
    ('lstsq(data="none.csv").slope = 1', "claim cannot be computed:"),
    ('run(f="x^2", start=3, lr=fast).nit = 1', "lr must be a number, not 'fast'."),
])
def test_claims_that_cannot_be_computed_say_why(text: str, message: str) -> None:
    outcome = evaluate_claim(parse_claim(text), DATA)
    assert not outcome.holds and message in outcome.message


def test_a_false_claim_reports_the_computed_value() -> None:
    outcome = evaluate_claim(parse_claim('run(f="x^2", start=3, lr=0.1).nit = 39'), DATA)
    assert outcome.computed == "40"
    assert outcome.message.startswith("claim says 39 but the engine computes 40:")
