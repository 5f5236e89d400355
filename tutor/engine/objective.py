"""A cost function ready to evaluate: value, symbolic gradient, and their Python code.

The derivative is taken symbolically (SymPy `diff`) and turned into plain
Python with `lambdify(..., modules="math")`, which is as fast as hand code for
small expressions. The same printed code is reused by the descent kernel, so
`value`, `gradient` and a run agree to the last digit.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

import sympy
from sympy.printing.pycode import PythonCodePrinter
from sympy.utilities.lambdify import lambdify

from tutor.engine.deadline import run_within
from tutor.engine.errors import EngineInputError, ParseError
from tutor.engine.kernel import build_kernel
from tutor.engine.parser import ParsedFunction, parse_function, real_parts, variable_sort_key

CSE_NODE_LIMIT = 2000
# Printing, cse and lambdify cost 0.15-0.4 ms per node of the function and its derivatives.
MAX_NODES = 2500
COMPILE_SECONDS = 0.4
# Errors plain float maths can raise; evaluation turns them into nan/inf instead.
MATH_ERRORS = (ValueError, ZeroDivisionError, OverflowError, TypeError)


@dataclass(frozen=True)
class Objective:
    """A compiled cost function of one or more variables (ordered alphabetically)."""

    variables: tuple[str, ...]
    expr: sympy.Expr
    gradient_exprs: tuple[sympy.Expr, ...]
    value_lines: tuple[str, ...]
    gradient_lines: tuple[str, ...]
    texts: tuple[str, str] = field(repr=False, compare=False)
    _value: object = field(repr=False, compare=False)
    _gradient: object = field(repr=False, compare=False)
    _kernels: dict = field(default_factory=dict, repr=False, compare=False)

    @property
    def derivative_text(self) -> str:
        """The derivative(s) as text: "f'(x) = 2*x" or "df/dx = ..., df/dy = ..."."""
        return self.texts[1]

    @property
    def text(self) -> str:
        """The function itself as text, e.g. 'x^2'."""
        return self.texts[0]

    def value(self, point: tuple[float, ...] | list[float]) -> float:
        """f(point) as a float; math faults give nan (domain, non-real) or inf (overflow)."""
        try:
            return _real(self._value(*point))  # type: ignore[operator]
        except OverflowError:
            return math.inf
        except MATH_ERRORS:
            return math.nan

    def gradient(self, point: tuple[float, ...] | list[float]) -> list[float]:
        """The gradient at `point`, one float per variable; faults give nan."""
        try:
            return [_real(g) for g in self._gradient(*point)]  # type: ignore[operator]
        except MATH_ERRORS:
            return [math.nan] * len(self.variables)

    def kernel(self, inline_gd: bool) -> Callable:
        """The compiled descent loop for this function (built once, then cached)."""
        if inline_gd not in self._kernels:
            self._kernels[inline_gd] = build_kernel(self.value_lines, self.gradient_lines,
                                                    len(self.variables), inline_gd)
        return self._kernels[inline_gd]

    def fault(self, point: tuple[float, ...] | list[float]) -> str | None:
        """Why evaluating at `point` fails, in words, or None when it does not fail."""
        try:
            values = [self._value(*point), *self._gradient(*point)]  # type: ignore[operator]
        except MATH_ERRORS as exc:
            return describe_fault(exc)
        if any(isinstance(v, complex) for v in values):
            return "a result that is not a real number (a power of a negative number)"
        return None


def describe_fault(exc: BaseException) -> str:
    """A short phrase for a math exception raised while evaluating a function."""
    if isinstance(exc, ZeroDivisionError):
        return "a division by zero"
    if isinstance(exc, OverflowError):
        return "a number too large for the computer (overflow)"
    if isinstance(exc, ValueError):
        return "a math domain error (such as the log or square root of a negative number)"
    return "a result that is not a real number (a power of a negative number)"


def derivative_text(names: tuple[str, ...], gradient_exprs: tuple[sympy.Expr, ...]) -> str:
    """"f'(x) = 2*x" for one variable, "df/dx = ..., df/dy = ..." for several."""
    if len(names) == 1:
        return f"f'({names[0]}) = {pretty(gradient_exprs[0])}"
    return ", ".join(f"df/d{name} = {pretty(g)}" for name, g in zip(names, gradient_exprs))


def pretty(expr: sympy.Expr) -> str:
    """An expression as a learner would type it: 2*x^3 rather than 2*x**3."""
    return sympy.sstr(expr, full_prec=False).replace("**", "^")


def _real(value: object) -> float:
    """A float from an evaluated expression; complex results become nan."""
    if isinstance(value, complex):
        return math.nan
    return float(value)  # type: ignore[arg-type]


class MathPrinter(PythonCodePrinter):
    """lambdify's "math" printer, except that squares of a name print as a product.

    `v*v` is exact (one correctly rounded multiply) and several times faster in
    CPython than `v**2`; value, gradient and the descent loop all print with it.
    """

    def _print_Pow(self, expr: sympy.Pow, rational: bool = False) -> str:
        if expr.exp == 2 and expr.base.is_Symbol:
            name = self._print(expr.base)
            return f"({name}*{name})"
        return super()._print_Pow(expr, rational=rational)

    def _print_Float(self, expr: sympy.Float) -> str:
        """A float as Python's shortest repr, which reads back as the same double.

        SymPy prints 15 digits, so 0.9483429281431761 would come back one
        unit in the last place off, and the largest double as inf.
        """
        value = float(expr)
        return repr(value) if math.isfinite(value) else super()._print_Float(expr)

    def _print_Add(self, expr: sympy.Add, order: str | None = None) -> str:
        text = super()._print_Add(expr, order=order)
        if len(expr.args) != 2 or not text.startswith("-") or " - " in text:
            return text
        first, _, second = text[1:].partition(" + ")
        # -a + b and b - a are the same float (IEEE rounding is symmetric), one op fewer.
        return f"{second} - {first}" if second and "+" not in second else text


def code_printer() -> MathPrinter:
    """The printer with the settings `lambdify(modules="math")` uses."""
    return MathPrinter({"fully_qualified_modules": False, "inline": True,
                        "allow_unknown_functions": False, "order": "none"})


def compile_objective(fun: str | ParsedFunction | sympy.Expr) -> Objective:
    """Parse (if needed), differentiate and compile a cost function.

    Raises ParseError for bad text, for a derivative too long to work with and
    for work that takes over COMPILE_SECONDS (parse_function has its own
    limit), and EngineInputError for an expression that plain Python maths
    cannot evaluate.
    """
    if isinstance(fun, str):
        fun = parse_function(fun)
    if isinstance(fun, ParsedFunction):
        expr, names = fun.expr, fun.variables
    elif not isinstance(fun, sympy.Expr):
        raise EngineInputError(f"a function must be text or a SymPy expression, "
                               f"not {type(fun).__name__}")
    else:
        expr = fun
        names = tuple(sorted((s.name for s in expr.free_symbols), key=variable_sort_key))
        if not names:
            raise EngineInputError("the function has no variable; use x, y ...")
    return run_within(COMPILE_SECONDS, "the function is too complicated to differentiate "
                      "quickly; try a shorter or less nested one", lambda: _compile(expr, names))


def _compile(expr: sympy.Expr, names: tuple[str, ...]) -> Objective:
    """Differentiate `expr` by each variable; lambdify value and gradient with one printer.

    The expressions are rewritten in the names v_0, v_1, ... first, so the code
    lambdify runs and the code printed into the descent loop are the same text.
    """
    by_name = {s.name: s for s in expr.free_symbols}
    symbols = [by_name[n] for n in names]
    gradient_exprs = _gradient(expr, symbols)
    nodes = _node_count([expr, *gradient_exprs])
    if nodes > MAX_NODES:
        raise ParseError(f"the function's derivative is too long to work with (more than "
                         f"{MAX_NODES} parts); try a shorter function")
    texts = (pretty(expr), derivative_text(names, gradient_exprs))
    local = [sympy.Symbol(f"v_{i}", real=True) for i in range(len(symbols))]
    swap = dict(zip(symbols, local))
    value_expr = expr.xreplace(swap)
    gradient_list = [g.xreplace(swap) for g in gradient_exprs]
    small = nodes <= CSE_NODE_LIMIT
    value_cse, gradient_cse = _cse_for("c_", small), _cse_for("d_", small)
    value_lines = _code_lines(*value_cse(value_expr), ["new"])
    gradient_lines = _code_lines(*gradient_cse(gradient_list),
                                 [f"g_{i}" for i in range(len(local))])
    printer = code_printer()
    value = lambdify(local, value_expr, modules="math", printer=printer, cse=value_cse)
    gradient = lambdify(local, gradient_list, modules="math", printer=printer, cse=gradient_cse)
    return Objective(names, expr, gradient_exprs, value_lines, gradient_lines, texts, value,
                     gradient)


class _RealAbs(sympy.Function):
    """|u| for real u, whose derivative is sign(u) * u' (SymPy's Abs assumes u may be complex)."""

    def fdiff(self, argindex: int = 1) -> sympy.Expr:
        return sympy.sign(self.args[0])


def _gradient(expr: sympy.Expr, symbols: list[sympy.Symbol]) -> tuple[sympy.Expr, ...]:
    """d expr / d s for each symbol, with |u|' = sign(u) u' (no re/im/arg in the result)."""
    real_expr = expr.replace(sympy.Abs, _RealAbs)
    return tuple(real_parts(sympy.diff(real_expr, s).replace(_RealAbs, sympy.Abs))
                 for s in symbols)


def _cse_for(prefix: str, enabled: bool) -> Callable:
    """A common-subexpression pass whose temporaries are named prefix0, prefix1, ...

    Disabled for very large expressions, where cse costs more time than it saves.
    """
    def run(exprs: sympy.Expr | list[sympy.Expr]) -> tuple[list, object]:
        if not enabled:
            return [], exprs
        return sympy.cse(exprs, symbols=sympy.numbered_symbols(prefix), list=False)
    return run


def _node_count(exprs: list[sympy.Expr]) -> int:
    """How many nodes the expression trees have together (counting stops past MAX_NODES)."""
    count = 0
    for expr in exprs:
        for _ in sympy.preorder_traversal(expr):
            count += 1
            if count > MAX_NODES:
                return count
    return count


def _code_lines(temporaries: list, reduced: object, targets: list[str]) -> tuple[str, ...]:
    """Assignments for the temporaries, then target = expression for each result."""
    printer = code_printer()
    results = reduced if isinstance(reduced, list) else [reduced]
    try:
        lines = [f"{t} = {printer.doprint(e)}" for t, e in temporaries]
        lines += [f"{name} = {printer.doprint(e)}" for name, e in zip(targets, results)]
    except NotImplementedError as exc:  # PrintMethodNotImplementedError: no math equivalent
        raise EngineInputError("the function uses something plain Python maths cannot "
                               "evaluate") from exc
    if any("Not supported" in line or "#" in line for line in lines):
        raise EngineInputError("the function uses something plain Python maths cannot evaluate")
    return tuple(lines)
