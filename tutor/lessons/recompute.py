"""Recompute claims with the engine: `run`, `deriv`, `value`, `fit`, `lstsq` and `train`.

`check-lessons` (and tests) come here, through `evaluate_claim`; the engine is
imported inside the functions so that nothing heavy loads until a claim is
actually checked. Reading claims lives in `claims.py`, which never imports this.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path
from typing import Any

from tutor.lessons.claims import ClaimError
from tutor.lessons.model import Claim
from tutor.wording import plural


@dataclass(frozen=True)
class ClaimCheck:
    """The outcome of recomputing a claim: did it hold, and what was computed."""

    holds: bool
    computed: str
    message: str


def matches(computed: object, written: str) -> bool:
    """Does a computed value agree with the value text an author wrote?

    Numbers agree when the computed value rounds to the decimals written
    (`0.500` means three decimals, `40` exactly 40 for an integer); words
    (`diverged`, `true`) compare as text, case-insensitively.
    """
    try:
        want = Decimal(written)
    except InvalidOperation:
        return str(computed).lower() == written.lower()
    if isinstance(computed, bool) or not isinstance(computed, (int, float)):
        return False
    if not math.isfinite(computed):
        return False
    exponent = want.as_tuple().exponent
    half_unit = 0.5 * 10.0 ** int(exponent) if isinstance(exponent, int) else 0.0
    return abs(computed - float(want)) <= half_unit * (1 + 1e-9)


def _point(value: str | float) -> list[float]:
    if isinstance(value, float):
        return [value]
    try:
        return [float(part) for part in str(value).split(",")]
    except ValueError:
        raise ClaimError(f"'{value}' is not a point (numbers separated by commas).") from None


def _number(args: Mapping[str, str | float], name: str, default: float) -> float:
    value = args.get(name, float(default))
    if not isinstance(value, float):
        raise ClaimError(f"{name} must be a number, not '{value}'.")
    return value


def _run(claim: Claim) -> object:
    from tutor.engine import minimize

    args = claim.args
    hyper = {k: _number(args, k, 0.0) for k in ("beta", "beta1", "beta2", "eps", "decay")
             if k in args}
    result = minimize(
        str(args["f"]), _point(args.get("start", 0.0)),
        learning_rate=_number(args, "lr", 0.1),
        max_iterations=int(_number(args, "iterations", 100)),
        precision=_number(args, "precision", 1e-4),
        method=str(args.get("method", "gd")), **hyper,
    )
    quantity = claim.quantity or "x"
    if quantity in ("nit", "status", "fun", "success"):
        return getattr(result, quantity)
    if quantity == "cost":
        return result.fun
    if quantity == "x" and "x" not in result.variables:
        return result.x[0]
    if quantity in result.variables:
        return result.x[result.variables.index(quantity)]
    raise ClaimError(f"a run has no quantity '{quantity}' (use nit, status, fun or a variable).")


def _at_point(claim: Claim, variables: tuple[str, ...]) -> list[float]:
    point = _point(claim.args.get("at", 0.0))
    if len(point) != len(variables):
        raise ClaimError(f"at= gives {plural(len(point), 'number')} but the function has "
                         f"{plural(len(variables), 'variable')}.")
    return point


def _deriv(claim: Claim) -> object:
    from tutor.engine import compile_objective

    objective = compile_objective(str(claim.args["f"]))
    variables = tuple(objective.variables)
    gradient = objective.gradient(_at_point(claim, variables))
    wrt = str(claim.args.get("wrt", claim.quantity or variables[0]))
    if wrt not in variables:
        raise ClaimError(f"the function has no variable '{wrt}'.")
    return gradient[variables.index(wrt)]


def _value(claim: Claim) -> object:
    from tutor.engine import compile_objective

    objective = compile_objective(str(claim.args["f"]))
    return objective.value(_at_point(claim, tuple(objective.variables)))


def _data(claim: Claim, data_dir: Path) -> tuple[list[float], list[float]]:
    from tutor.engine import load_xy_csv

    name = str(claim.args["data"])
    path = Path(name) if Path(name).is_absolute() else data_dir / name
    x, y = claim.args.get("x"), claim.args.get("y")
    data = load_xy_csv(path, x=None if x is None else _column(x),
                       y=None if y is None else _column(y))
    return list(data.xs), list(data.ys)


def _column(value: str | float) -> str | int:
    return int(value) if isinstance(value, float) else value


def _fit(claim: Claim, data_dir: Path) -> object:
    from tutor.engine import fit

    xs, ys = _data(claim, data_dir)
    scale = str(claim.args.get("scale", "true")).lower() not in ("false", "no", "0", "0.0")
    result = fit(xs, ys, learning_rate=_number(claim.args, "lr", 0.1),
                 max_iterations=int(_number(claim.args, "iterations", 10_000)),
                 precision=_number(claim.args, "precision", 1e-9), scale=scale)
    return _fit_quantity(result, claim.quantity or "slope", ("slope", "intercept", "cost",
                                                            "nit", "status", "success"))


def _fit_quantity(result: object, quantity: str, allowed: tuple[str, ...]) -> object:
    if quantity not in allowed:
        raise ClaimError(f"no quantity '{quantity}' here (use {', '.join(allowed)}).")
    return getattr(result, quantity)


def _lstsq(claim: Claim, data_dir: Path) -> object:
    from tutor.engine import least_squares_line

    xs, ys = _data(claim, data_dir)
    return _fit_quantity(least_squares_line(xs, ys), claim.quantity or "slope",
                         ("slope", "intercept"))


TRAIN_QUANTITIES = ("intercept", "cost", "train_cost", "test_cost", "accuracy",
                    "test_accuracy", "epochs", "nit", "status", "success", "separable")


def _train(claim: Claim, data_dir: Path) -> object:
    """A model trained by `engine.train` (x="a,b" for several features)."""
    name = str(claim.args["data"])
    path = Path(name) if Path(name).is_absolute() else data_dir / name
    try:
        stat = path.stat()
        version: tuple[int, int] = (stat.st_mtime_ns, stat.st_size)
    except OSError:
        version = (0, -1)  # the loader says what is wrong with the path
    result = _trained(str(path), version, tuple(sorted(claim.args.items())))
    quantity = claim.quantity or "cost"
    if quantity in result.names and result.coefficients:
        return result.coefficients[result.names.index(quantity)]
    return _fit_quantity(result, quantity, TRAIN_QUANTITIES)


@lru_cache(maxsize=64)
def _trained(path: str, version: tuple[int, int],
             items: tuple[tuple[str, str | float], ...]) -> Any:
    """One training run per data file (and its version) and settings: a lesson claims
    several quantities of the same run (cost, accuracy, each weight), trained once."""
    from tutor.engine import load_table_csv, train

    args = dict(items)
    features = [_column(part) for part in str(args["x"]).split(",")] if "x" in args else None
    table = load_table_csv(Path(path), features,
                           None if "y" not in args else _column(args["y"]))
    whole = {key: int(_number(args, key, default)) for key, default in
             (("epochs", 1000), ("seed", 0), ("hidden", 0), ("batch", 0))}
    result = train(table.columns, table.ys, model=str(args.get("model", "linear")),
                   names=table.x_names, learning_rate=_number(args, "lr", 0.1),
                   epochs=whole["epochs"], batch_size=whole["batch"] or None,
                   seed=whole["seed"], l2=_number(args, "l2", 0.0),
                   test_fraction=_number(args, "test", 0.0), hidden=whole["hidden"],
                   method=str(args.get("method", "gd")),
                   precision=_number(args, "precision", 1e-9))
    return result


def compute_claim(claim: Claim, data_dir: Path) -> object:
    """Recompute a claim's quantity with the engine (raises ClaimError or engine errors)."""
    if claim.source == "run":
        return _run(claim)
    if claim.source == "deriv":
        return _deriv(claim)
    if claim.source == "value":
        return _value(claim)
    if claim.source == "fit":
        return _fit(claim, data_dir)
    if claim.source == "train":
        return _train(claim, data_dir)
    return _lstsq(claim, data_dir)


def _shown(value: object) -> str:
    if isinstance(value, float):
        return f"{value:.6g}"
    return str(value)


def evaluate_claim(claim: Claim, data_dir: Path) -> ClaimCheck:
    """Recompute a claim and say, in one sentence, whether the prose is right."""
    from tutor.engine import EngineInputError

    try:
        computed = compute_claim(claim, data_dir)
    except (ClaimError, EngineInputError) as exc:
        return ClaimCheck(False, "", f"claim cannot be computed: {_sentence(exc)}")
    shown = _shown(computed)
    if matches(computed, claim.written):
        return ClaimCheck(True, shown, f"claim holds ({shown}).")
    return ClaimCheck(False, shown, f"claim says {claim.written} but the engine computes "
                      f"{shown}: {claim.text}")


def _sentence(exc: Exception) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text if text.endswith(".") else text + "."
