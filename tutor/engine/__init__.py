"""The engine: pure maths (stdlib + SymPy only), importable without Textual or numpy.

Parse a typed cost function safely, differentiate it, and run gradient descent
(predict, calculate the error, learn) or fit a straight line to data.
"""

from __future__ import annotations

from tutor.engine.data import DataError, XYData, load_xy_csv
from tutor.engine.descent import Descent, DescentResult, StepReport, minimize
from tutor.engine.errors import EngineInputError, ParseError
from tutor.engine.objective import Objective, compile_objective
from tutor.engine.optimizers import METHODS, Optimizer, make_optimizer
from tutor.engine.parser import ParsedFunction, parse_function
from tutor.engine.path import Path, PathPoint
from tutor.engine.regression import FitResult, Line, fit, least_squares_line

__all__ = [
    "DataError", "Descent", "DescentResult", "EngineInputError", "FitResult", "Line", "METHODS",
    "Objective", "Optimizer", "ParseError", "ParsedFunction", "Path", "PathPoint", "StepReport",
    "XYData", "compile_objective", "fit", "least_squares_line", "load_xy_csv", "make_optimizer",
    "minimize", "parse_function",
]
