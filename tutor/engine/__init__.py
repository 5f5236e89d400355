"""The engine: pure maths (stdlib + SymPy only), importable without Textual or numpy.

Parse a typed cost function safely, differentiate it, and run gradient descent
(predict, calculate the error, learn), fit a straight line to data, or train a
linear, logistic or small neural-network model on several features (`train`).

`import tutor.engine` loads SymPy and the descent stack (the app and the SSH
server import it early to warm up); the CSV readers, the line fit and the
models load on first use (PEP 562).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from tutor.engine.descent import Descent, DescentResult, StepReport, minimize
from tutor.engine.errors import DataError, EngineInputError, ParseError
from tutor.engine.objective import Objective, compile_objective
from tutor.engine.optimizers import METHODS, Optimizer, make_optimizer
from tutor.engine.parser import ParsedFunction, parse_function
from tutor.engine.trajectory import Trajectory, TrajectoryPoint

_HOMES = {
    "DataError": "errors", "EngineInputError": "errors", "ParseError": "errors",
    "XYData": "data", "load_xy_csv": "data",
    "Descent": "descent", "DescentResult": "descent", "StepReport": "descent",
    "minimize": "descent",
    "Objective": "objective", "compile_objective": "objective",
    "METHODS": "optimizers", "Optimizer": "optimizers", "make_optimizer": "optimizers",
    "ParsedFunction": "parser", "parse_function": "parser",
    "Trajectory": "trajectory", "TrajectoryPoint": "trajectory",
    "FitResult": "regression", "FitStep": "regression", "Line": "regression", "fit": "regression",
    "least_squares_line": "regression",
    "BatchStep": "models", "EpochReport": "models", "MODELS": "models", "ModelResult": "models",
    "train": "models",
    "Table": "table", "load_table_csv": "table", "least_squares": "lstsq",
}

__all__ = sorted(_HOMES)


def __getattr__(name: str) -> Any:
    """Import the module that defines `name` the first time it is asked for."""
    if name not in _HOMES:
        raise AttributeError(f"module 'tutor.engine' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"tutor.engine.{_HOMES[name]}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


if TYPE_CHECKING:
    from tutor.engine.data import XYData, load_xy_csv
    from tutor.engine.lstsq import least_squares
    from tutor.engine.models import MODELS, BatchStep, EpochReport, ModelResult, train
    from tutor.engine.regression import FitResult, FitStep, Line, fit, least_squares_line
    from tutor.engine.table import Table, load_table_csv
