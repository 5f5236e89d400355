"""Errors in a learner's code said in words, at the line where the trouble came in.

A SymPy object where a number belongs (`slope = cost_fn.diff(x)`, `slope = df(x)` with
the Symbol x, `slope = df` not called, `learning_rate * cost_fn`) crashes later, at a line
that is right ("cannot determine truth value of Relational" at the `if`). These read the
source with `ast.parse` (never run it) to find the assignment that brought the formula
in and name it. An import the sandbox refuses (numpy) gets one sentence saying what may
be imported and why.
"""

from __future__ import annotations

import ast
import re

SYMPY_ERROR = re.compile(r"Relational|'function'|sympy|Symbol|'(Add|Mul|Pow|Derivative)'|"
                         r"can't convert expression|Cannot convert expression")
IMPORT_ERROR = re.compile(r"(ModuleNotFoundError|ImportError): (?:import of (\w+) halted|"
                          r"No module named '([\w.]+)')")
ALLOWED = "this exercise may import only Python's standard library and SymPy"
WHY_NOT = {"numpy": ": lambdify turns the derivative into plain math functions, as the engine "
                    "does, so numpy is left out",
           "scipy": ": SymPy's diff and lambdify are all the exercise needs"}


def explain(source: str, error: str, line: int | None) -> str | None:
    """A clearer sentence for `error` (the sandbox's, with its line), or None to keep it."""
    found = IMPORT_ERROR.search(error)
    if found:
        module = (found.group(2) or found.group(3) or "").split(".")[0]
        where = f"line {line}: " if line else ""
        return f"{where}{module} cannot be imported here; {ALLOWED}{WHY_NOT.get(module, '')}"
    if SYMPY_ERROR.search(error):
        return _formula_origin(source)
    return None


def _formula_origin(source: str) -> str | None:
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    symbols, functions, kept = _module_names(tree)
    call = f"{next(iter(functions), 'df')}({_guess_name(tree)})"
    for node in sorted((n for n in ast.walk(tree) if isinstance(n, ast.Assign)),
                       key=lambda n: n.lineno):
        said = _assigned_formula(node, symbols, functions, call, kept)
        if said:
            return f"line {node.lineno}: {said}"
    return _cost_in_arithmetic(tree, call)


def _module_names(tree: ast.AST) -> tuple[set[str], list[str], set[str]]:
    """Names bound to symbols(...)/Symbol(...) (always x too), and to lambdify(...) (with
    the names handed to lambdify: a derivative kept in a name for it is right)."""
    symbols, functions, kept = {"x"}, [], set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and _called_name(node) == "lambdify":
            kept.update(n.id for a in node.args for n in ast.walk(a) if isinstance(n, ast.Name))
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call):
            called = _called_name(node.value)
            names = [t.id for t in node.targets if isinstance(t, ast.Name)]
            if called in ("symbols", "Symbol"):
                symbols.update(names)
            elif called == "lambdify":
                functions += names
    return symbols, functions, kept


def _called_name(call: ast.Call) -> str:
    func = call.func
    return func.id if isinstance(func, ast.Name) else \
        func.attr if isinstance(func, ast.Attribute) else ""


def _guess_name(tree: ast.AST) -> str:
    names = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}
    return "previous_x" if "previous_x" in names else "the current guess"


def _assigned_formula(node: ast.Assign, symbols: set[str], functions: list[str],
                      call: str, kept: set[str]) -> str | None:
    """What is wrong when this assignment stores a formula or a function, not a number."""
    target = next((t.id for t in node.targets if isinstance(t, ast.Name)), None)
    value = node.value
    if target is None or target in functions or target in kept:
        return None
    if isinstance(value, ast.Name) and value.id in functions:
        return f"{target} is the function {value.id} itself, not a number: call {call}"
    if not isinstance(value, ast.Call):
        return None
    name = _called_name(value)
    if name == "diff":
        return f"{target} is a formula in x (the derivative), not a number: call {call}"
    symbolic = any(isinstance(a, ast.Name) and a.id in symbols for a in value.args)
    if name in functions and symbolic:
        return f"{target} is a formula in x, not a number: call {call}"
    return None


def _cost_in_arithmetic(tree: ast.AST, call: str) -> str | None:
    """`learning_rate * cost_fn`: the first function parameter (the SymPy cost) used in
    arithmetic as if it were a number."""
    function = next((n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)), None)
    if function is None or not function.args.args:
        return None
    cost = function.args.args[0].arg
    for node in sorted((n for n in ast.walk(function) if isinstance(n, ast.BinOp)),
                       key=lambda n: n.lineno):
        if any(isinstance(side, ast.Name) and side.id == cost
               for side in (node.left, node.right)):
            return (f"line {node.lineno}: {cost} is a formula in x, not a number: for the "
                    f"slope there, call {call}")
    return None


__all__ = ["explain"]
