"""Show the Python: a descent's settings as a standalone SymPy script that prints the same
numbers, ready to copy and run with any Python that has SymPy.

The script is the articles' algorithm (SymPy's `diff` and `lambdify`, then predict,
calculate the error, learn, stop when the step is shorter than the precision), so a
learner can take the run they just made home. It covers plain gradient descent; the
engine also ends a run whose cost rises ten times in a row, which the script does not.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tutor.practice.settings import InputProblem

if TYPE_CHECKING:
    from tutor.practice.settings import DescentSettings

TEMPLATE = '''\
"""{title}: gradient descent, as gd-tutor ran it."""
from sympy import {imports}

{names} = symbols("{symbols}")
variables = [{names_list}]
cost = {cost}
f = lambdify(variables, cost)                                  # cost_fn as Python
gradient = [lambdify(variables, cost.diff(v)) for v in variables]  # diff: the slope

learning_rate = {rate!r}
precision = {precision!r}
max_iterations = {iterations!r}

point = {start!r}
print(0, *point, f(*point))
for n in range(1, max_iterations + 1):
    previous = point                                          # 1. predict: where we are
    slopes = [df(*previous) for df in gradient]               # 2. calculate the error
    point = [p - learning_rate * s for p, s in zip(previous, slopes)]  # 3. learn
    print(n, *point, f(*point))
    step_size = sum((a - b) ** 2 for a, b in zip(point, previous)) ** 0.5
    if step_size < precision:
        break
'''


def python_script(settings: DescentSettings) -> str:
    """The standalone script for one descent's settings (InputProblem for other methods).

    It prints one line per point, `n x... cost`, start first, as the engine's path."""
    import sympy

    from tutor.engine import parse_function

    if settings.method != "gd":
        raise InputProblem("Show the Python covers plain gradient descent (method gd), not "
                           f"{settings.method}.", "method")
    parsed = parse_function(settings.function)
    names = list(parsed.variables)
    functions = sorted({type(f).__name__ for f in parsed.expr.atoms(sympy.Function)}
                       | {str(c) for c in parsed.expr.atoms(sympy.NumberSymbol)})
    unknown = [name for name in functions if not hasattr(sympy, name)]
    if unknown:
        raise InputProblem(f"Show the Python cannot write {unknown[0]} as SymPy.", "function")
    title = f"{settings.function} from {', '.join(f'{v:g}' for v in settings.start)} at " \
        f"learning rate {settings.learning_rate:g}"
    return TEMPLATE.format(
        title=title.replace('"', "'"), imports=", ".join(["lambdify", "symbols", *functions]),
        names=", ".join(names), symbols=" ".join(names),
        names_list=", ".join(names), cost=sympy.sstr(parsed.expr),
        rate=settings.learning_rate, precision=settings.precision,
        iterations=settings.iterations, start=[float(v) for v in settings.start])
